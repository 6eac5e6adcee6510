/**
 * Child processes of the bench and the crash run: the API and the worker run from dist/ as in
 * production, configured only through environment variables. Only the children registered here
 * are ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { writeWorkflowBundles } from '../../apps/worker/src/workflow-bundle';
import { QUIET_BUNDLER_LOGGER } from './workflow-code';
import { configSchema, readEnvironment } from '../../libs/config/src/config';
import type { HttpClient } from './http';
import { REPO_ROOT } from './paths';

export const DIST = join(REPO_ROOT, 'dist');
export const API_MAIN = join(DIST, 'apps/api/src/main.js');
export const WORKER_MAIN = join(DIST, 'apps/worker/src/main.js');
export const MIGRATE_MAIN = join(DIST, 'libs/persistence/src/cli/migrate.js');

/** The children this process spawned, by name. */
export const children = new Map<string, ChildProcess>();

export function isAlive(child: ChildProcess | undefined): child is ChildProcess {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

export function killChildren(signal: NodeJS.Signals): void {
  for (const child of children.values()) {
    if (child.pid !== undefined && isAlive(child)) {
      try {
        process.kill(child.pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

/** Stops a child (SIGKILL after 15 s) and forgets it. */
export async function stopChild(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const child = children.get(name);
  if (!child || child.pid === undefined) return;
  if (isAlive(child)) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid, signal);
    const timer = setTimeout(
      () => isAlive(child) && child.pid !== undefined && child.kill('SIGKILL'),
      15_000,
    );
    await exited;
    clearTimeout(timer);
  }
  children.delete(name);
}

/** Spawns `<command> <args>` (default: this Node), its output appended to a log file. */
export function spawnChild(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: string,
  command: string = process.execPath,
): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  children.set(name, child);
  return child;
}

/** Spawns `node <script>` with the given environment, its output appended to a log file. */
export function spawnNode(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  log: string,
  nodeArgs: string[] = [],
): ChildProcess {
  return spawnChild(name, [...nodeArgs, script], env, log);
}

export async function runToCompletion(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  log: string,
): Promise<void> {
  const child = spawnNode(name, script, env, log);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  children.delete(name);
  if (code !== 0) throw new Error(`${name} exited with ${code}; see ${log}`);
}

export async function waitForHealth(
  http: HttpClient,
  child: ChildProcess,
  log: string,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isAlive(child)) throw new Error(`the API exited; see ${log}`);
    try {
      if ((await http.get('/health/ready')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the API did not become healthy in ${timeoutMs / 1000} s; see ${log}`);
}

/** Waits until the worker polls both the workflow and the activity task queue (it bundles workflows at start). */
export async function waitForWorker(
  address: string,
  taskQueue: string,
  child: ChildProcess,
  log: string,
  timeoutMs = 120_000,
): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const until = Date.now() + timeoutMs;
    const types = [
      temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    ];
    while (Date.now() < until) {
      if (!isAlive(child)) throw new Error(`the worker exited; see ${log}`);
      const polled = await Promise.all(
        types.map(async (taskQueueType) => {
          const r = await connection.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: taskQueue },
            taskQueueType,
          });
          return (r.pollers?.length ?? 0) > 0;
        }),
      );
      if (polled.every(Boolean)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the worker did not poll its task queue in ${timeoutMs / 1000} s; see ${log}`);
  } finally {
    await connection.close();
  }
}

/** This process's environment without any configuration variable, plus the given ones. */
export function childEnvironment(config: Record<string, string>): NodeJS.ProcessEnv {
  const known = new Set(Object.keys(configSchema.innerType().shape));
  const inherited = Object.fromEntries(Object.entries(readEnvironment()).filter(([k]) => !known.has(k)));
  return { ...inherited, ...config };
}

/** Waits until a Temporal server answers at `address`; fails early once `exited()` says it died. */
export async function waitForTemporal(
  address: string,
  deadlineMs: number,
  exited: () => boolean,
): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadlineMs) {
    if (exited()) throw new Error(`Temporal dev server for ${address} exited during start-up`);
    try {
      const c = await Connection.connect({ address, connectTimeout: '2s' });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal dev server at ${address} did not come up: ${String(lastError)}`);
}

/**
 * Whatever happens to this process, the children it spawned do not outlive it: killed when it
 * exits, asked to stop (then exit 130) on SIGINT or SIGTERM. `alsoOnExit` stops anything else.
 */
export function stopChildrenWithProcess(alsoOnExit: () => void = () => undefined): void {
  process.once('exit', () => {
    killChildren('SIGKILL');
    alsoOnExit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killChildren('SIGTERM');
      process.exit(130);
    });
  }
}

/** Bundles workflows/ once for a test run and writes it where the run's workers read it. */
export async function writeWorkflowBundle(path: string): Promise<void> {
  // The workflows with their interceptors, as `npm run build` bundles them: both bundles (the
  // traced one for a worker with tracing on).
  await writeWorkflowBundles(path, QUIET_BUNDLER_LOGGER);
}
