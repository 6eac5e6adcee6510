/**
 * The `cluster` jest project's setup: instead of the dev server, a multi-node Temporal cluster
 * (scripts/temporal-cluster.sh: frontend, matching, worker, two history nodes; 8 shards) on the
 * run's embedded PostgreSQL (postgres-setup.ts), with the prebuilt workflow bundle. The state
 * file names the cluster's frontend, so test/support/platform.ts's startPlatform runs the API and
 * the worker against it unchanged. The server is built first if .tools/temporal-server lacks it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT, TEST_RUN_DIR_ENV, TEST_STATE_DIR, stateFile, workflowBundleFile } from '../support/paths';
import { startTestPostgres } from '../support/postgres-setup';
import { waitForTemporal, writeWorkflowBundle } from '../support/processes';
import { clusterDir, type ClusterState } from './cluster-state';

/**
 * Every port scripts/temporal-cluster.sh derives from its base (gRPC, membership = gRPC − 300,
 * frontend HTTP, Prometheus from base + 2000) for two history nodes.
 */
const OFFSETS = [0, 1, 2, 6, 10, 22].flatMap((g) => [g, g - 300]).concat([2000, 2001, 2002, 2011, 2012]);

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port whose every derived port is free now (a taken one would stop a node at start-up). */
async function basePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries += 1) {
    const base = 20_000 + 100 * Math.floor(Math.random() * 70);
    const free = await Promise.all(OFFSETS.map((o) => isFree(base + o)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free range of ports for the Temporal cluster');
}

export default async function clusterGlobalSetup(): Promise<void> {
  const runDir = join(TEST_STATE_DIR, `cluster-${process.pid}-${Date.now()}`);
  mkdirSync(runDir, { recursive: true });
  process.env[TEST_RUN_DIR_ENV] = runDir;
  const { adminUrl } = await startTestPostgres();
  for (const script of ['ensure-temporal-server.sh', 'temporal-cli.sh']) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts', script)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  // A cluster that does not come up, or whose frontend does not answer once it says it is ready,
  // is started once more on other ports; its log is printed so a CI failure says why.
  let started: { port: number; pid: number; dir: string } | undefined;
  for (let attempt = 1; !started; attempt += 1) {
    try {
      started = await startCluster(runDir, adminUrl, attempt);
    } catch (err) {
      const logFile = join(runDir, `temporal-cluster-${attempt}.log`);
      process.stderr.write(`[cluster] start ${attempt} failed: ${String(err)}\n`);
      if (existsSync(logFile))
        process.stderr.write(readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
      if (attempt >= 2) throw err;
    }
  }
  const { port, pid, dir } = started;
  await writeWorkflowBundle(workflowBundleFile(runDir));
  const state: ClusterState = {
    temporalAddress: `127.0.0.1:${port}`,
    temporalPid: pid,
    postgresAdminUrl: adminUrl,
    workflowBundlePath: workflowBundleFile(runDir),
    clusterPort: port,
    clusterDir: dir,
  };
  writeFileSync(stateFile(runDir), JSON.stringify(state, null, 2));
}

export async function startCluster(
  runDir: string,
  adminUrl: string,
  attempt: number,
): Promise<{ port: number; pid: number; dir: string }> {
  const port = await basePort();
  const dir = join(clusterDir(runDir), `start-${attempt}`);
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(runDir, `temporal-cluster-${attempt}.log`), 'w');
  const child = spawn('bash', [join(REPO_ROOT, 'scripts/temporal-cluster.sh'), 'start'], {
    env: {
      ...readEnvironment(),
      TEMPORAL_PORT: String(port),
      TEMPORAL_DB_URL: adminUrl,
      TEMPORAL_CLUSTER_DIR: dir,
      TEMPORAL_UI: 'off',
      TEMPORAL_HISTORY_NODES: '2',
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  child.unref();
  if (!child.pid) throw new Error('could not start scripts/temporal-cluster.sh');
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const until = Date.now() + 180_000;
  while (!existsSync(join(dir, 'ready'))) {
    if (exited || Date.now() > until) {
      if (!exited) process.kill(-child.pid, 'SIGTERM');
      throw new Error(
        `the Temporal cluster did not start; see ${join(runDir, `temporal-cluster-${attempt}.log`)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    await waitForTemporal(`127.0.0.1:${port}`, Date.now() + 30_000, () => exited);
  } catch (err) {
    if (!exited) process.kill(-child.pid, 'SIGTERM');
    throw err;
  }
  return { port, pid: child.pid, dir };
}
