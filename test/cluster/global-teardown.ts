/**
 * Stops the cluster of global-setup.ts (SIGTERM to scripts/temporal-cluster.sh, which stops its
 * nodes; whatever of its process group is left after 30 s is killed), then the run's PostgreSQL.
 */
import { rmSync } from 'node:fs';
import { readEnvironment } from '../../libs/config/src/config';
import { TEST_RUN_DIR_ENV } from '../support/paths';
import { stopTestPostgres } from '../support/postgres-setup';
import { clusterState } from './cluster-state';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export default async function clusterGlobalTeardown(): Promise<void> {
  const runDir = readEnvironment()[TEST_RUN_DIR_ENV];
  if (runDir) {
    const { temporalPid } = clusterState();
    try {
      process.kill(temporalPid, 'SIGTERM');
    } catch {
      // already gone
    }
    const until = Date.now() + 30_000;
    while (alive(temporalPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    try {
      process.kill(-temporalPid, 'SIGKILL'); // its process group: the script started it detached
    } catch {
      // nothing left
    }
  }
  await stopTestPostgres();
  if (runDir && readEnvironment()['KEEP_CLUSTER_LOGS'] !== 'true')
    rmSync(runDir, { recursive: true, force: true });
}
