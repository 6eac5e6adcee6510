import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT, TEST_RUN_DIR_ENV, stateFile, type TestState } from '../support/paths';

/** The run's state (test/support/paths.ts) plus where the cluster keeps its PIDs and ports. */
export interface ClusterState extends TestState {
  /** TEMPORAL_PORT of scripts/temporal-cluster.sh: the frontend's port, the others follow. */
  clusterPort: number;
  /** TEMPORAL_CLUSTER_DIR: logs/<node>.log, pids/<node>.pid, ready. */
  clusterDir: string;
}

export const clusterDir = (runDir: string): string => join(runDir, 'cluster');

export function clusterState(): ClusterState {
  const runDir = readEnvironment()[TEST_RUN_DIR_ENV];
  if (!runDir) throw new Error('no test run: cluster tests start through jest (test/cluster/global-setup)');
  return JSON.parse(readFileSync(stateFile(runDir), 'utf8')) as ClusterState;
}

/** The PID of one node (`history-1`, `frontend`, ...) from the cluster's pids/ folder. */
export function nodePid(state: ClusterState, node: string): number {
  return Number(readFileSync(join(state.clusterDir, 'pids', `${node}.pid`), 'utf8').trim());
}

/** history node name → shards it owns now, from `scripts/temporal-cluster.sh shards`. */
export async function shardOwners(state: ClusterState): Promise<Record<string, number>> {
  const { stdout: out } = await promisify(execFile)(
    'bash',
    [join(REPO_ROOT, 'scripts/temporal-cluster.sh'), 'shards'],
    { env: { ...readEnvironment(), TEMPORAL_PORT: String(state.clusterPort) } },
  );
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, , shards] = line.split(' ');
        return [name, Number(shards)];
      }),
  );
}

/**
 * Stops a cluster that scripts/temporal-cluster.sh runs as `pid` (started detached, so its own
 * process group): SIGTERM stops its nodes, history last; what is left after 30 s is killed.
 */
export async function stopCluster(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const until = Date.now() + 30_000;
  while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // nothing left
  }
}
