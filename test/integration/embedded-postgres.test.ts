/**
 * The embedded PostgreSQL of `npm start` (libs/persistence/src/embedded/embedded-postgres.ts):
 * its data survives a restart, and a start after a crash either recovers by itself or stops with
 * a message that says what to do. The crashes are real: a supervising Node process killed with
 * SIGKILL, a postmaster killed with SIGKILL, a lock file naming a PID that now belongs to another
 * program.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  EmbeddedPostgres,
  embeddedPostgresBinDir,
  postgresProcessIdentity,
} from '../../libs/persistence/src/embedded/embedded-postgres';
import { freePort } from '../support/ports';

const USER = 'account_center';
const PASSWORD = 'embedded-test';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

const postmasterPid = (dataDir: string): number =>
  Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('embedded PostgreSQL (npm start)', () => {
  let root: string;
  let dataDir: string;
  let port: number;
  const spawned: ChildProcess[] = [];
  const servers: EmbeddedPostgres[] = [];

  const server = (): EmbeddedPostgres => {
    const pg = new EmbeddedPostgres({ dataDir, port, user: USER, password: PASSWORD, ephemeral: true });
    servers.push(pg);
    return pg;
  };

  /**
   * A Node process that runs `postgres` on the data folder as its child, the way `npm start`'s
   * local-postgres does; resolves with both PIDs once the server answers.
   */
  const supervisedElsewhere = async (): Promise<{ supervisor: ChildProcess; postmaster: number }> => {
    const identity = postgresProcessIdentity();
    const script = `
      const { spawn } = require('node:child_process');
      const args = ${JSON.stringify(['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='])};
      spawn(${JSON.stringify(join(embeddedPostgresBinDir(), 'postgres'))}, args, { stdio: 'ignore', ...${JSON.stringify(identity ?? {})} });
      setInterval(() => undefined, 1000);`;
    const supervisor = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    spawned.push(supervisor);
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
    await until('the supervised server', () =>
      query(url, 'select 1').then(
        () => true,
        () => false,
      ),
    );
    return { supervisor, postmaster: postmasterPid(dataDir) };
  };

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'ac-embedded-pg-'));
    chmodSync(root, 0o711);
    dataDir = join(root, 'data');
    port = await freePort();
    // The cluster every case starts from, holding one row that must survive.
    const first = server();
    await first.start();
    await first.ensureDatabase('keep');
    await query(first.url('keep'), "create table kept (v text); insert into kept values ('survived')");
    await first.stop();
  });

  afterEach(async () => {
    for (const pg of servers.splice(0)) await pg.stop();
    for (const child of spawned.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    // A server a case left running without its supervisor: shut it down before deleting its folder.
    let leftover: number | undefined;
    try {
      leftover = postmasterPid(dataDir);
    } catch {
      leftover = undefined; // no lock file: nothing runs
    }
    if (leftover && alive(leftover)) {
      process.kill(leftover, 'SIGQUIT');
      await until('the leftover server to stop', () => !alive(leftover));
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps its data across a clean stop and start', async () => {
    const pg = server();
    await pg.start();
    expect(await query(pg.url('keep'), 'select v from kept')).toEqual([{ v: 'survived' }]);
  });

  it('shuts down a server left running by a supervisor killed with SIGKILL, then starts its own', async () => {
    const { supervisor, postmaster } = await supervisedElsewhere();
    supervisor.kill('SIGKILL');
    await until(
      'the supervisor to die',
      () => supervisor.exitCode !== null || supervisor.signalCode !== null,
    );
    expect(alive(postmaster)).toBe(true); // orphaned, still holding the data folder and the port

    const pg = server();
    await pg.start();
    expect(alive(postmaster)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(postmaster);
    expect(await query(pg.url('keep'), 'select v from kept')).toEqual([{ v: 'survived' }]);
  });

  it('starts over a postmaster.pid whose server was killed with SIGKILL', async () => {
    const { postmaster } = await supervisedElsewhere();
    process.kill(postmaster, 'SIGKILL');
    await until('the postmaster to die', () => !alive(postmaster));

    const pg = server();
    await pg.start();
    expect(await query(pg.url('keep'), 'select v from kept')).toEqual([{ v: 'survived' }]);
  });

  it('starts over a postmaster.pid whose PID now belongs to another program', async () => {
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    spawned.push(other);
    await until('sleep to run', () => other.pid !== undefined);
    writeFileSync(join(dataDir, 'postmaster.pid'), `${other.pid}\n${dataDir}\n0\n${port}\n\n127.0.0.1\n`);

    const pg = server();
    await pg.start();
    expect(alive(other.pid!)).toBe(true); // the other program is left alone
    expect(await query(pg.url('keep'), 'select v from kept')).toEqual([{ v: 'survived' }]);
  });

  it('refuses to start beside a server that a live supervisor still runs, and says which process to stop', async () => {
    const { supervisor, postmaster } = await supervisedElsewhere();
    await expect(server().start()).rejects.toThrow(
      new RegExp(`already running .*\\(pid ${postmaster}\\).*kill ${supervisor.pid}`),
    );
    expect(alive(postmaster)).toBe(true);
  });

  it('refuses a data folder that is not a cluster, saying what to do', async () => {
    const notACluster = join(root, 'not-a-cluster');
    mkdirSync(notACluster);
    const pg = new EmbeddedPostgres({ dataDir: notACluster, port, user: USER, password: PASSWORD });
    await expect(pg.start()).rejects.toThrow(/holds no PostgreSQL cluster .*move it away or delete it/);
  });
});
