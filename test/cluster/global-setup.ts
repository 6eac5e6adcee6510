/**
 * The `cluster` jest project's setup: instead of the dev server, a multi-node Temporal cluster
 * (scripts/temporal-cluster.sh: frontend, matching, worker, two history nodes; 8 shards) on the
 * run's embedded PostgreSQL (postgres-setup.ts), with the prebuilt workflow bundle. The state
 * file names the cluster's frontend, so test/support/platform.ts's startPlatform runs the API and
 * the worker against it unchanged. The server is built first if .tools/temporal-server lacks it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT, TEST_RUN_DIR_ENV, TEST_STATE_DIR, stateFile, workflowBundleFile } from '../support/paths';
import { startTestPostgres } from '../support/postgres-setup';
import { writeWorkflowBundle } from '../support/processes';
import { clusterDir, type ClusterState } from './cluster-state';

/** A base port whose derived ports (base .. base+2030, base-300 .. base-250) are likely free. */
function basePort(): number {
  return 20_000 + 100 * Math.floor(Math.random() * 70);
}

export default async function clusterGlobalSetup(): Promise<void> {
  const runDir = join(TEST_STATE_DIR, `cluster-${process.pid}-${Date.now()}`);
  mkdirSync(runDir, { recursive: true });
  process.env[TEST_RUN_DIR_ENV] = runDir;
  const { adminUrl } = await startTestPostgres();
  for (const script of ['ensure-temporal-server.sh', 'temporal-cli.sh']) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts', script)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  const port = basePort();
  const dir = clusterDir(runDir);
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(runDir, 'temporal-cluster.log'), 'w');
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
      throw new Error(`the Temporal cluster did not start; see ${join(runDir, 'temporal-cluster.log')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  await writeWorkflowBundle(workflowBundleFile(runDir));
  const state: ClusterState = {
    temporalAddress: `127.0.0.1:${port}`,
    temporalPid: child.pid,
    postgresAdminUrl: adminUrl,
    workflowBundlePath: workflowBundleFile(runDir),
    clusterPort: port,
    clusterDir: dir,
  };
  writeFileSync(stateFile(runDir), JSON.stringify(state, null, 2));
}
