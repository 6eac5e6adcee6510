/**
 * Integration tests share one PostgreSQL (postgres-setup.ts), one real Temporal dev server (in
 * memory, its own free port) and one prebuilt workflow bundle; each test file gets its own
 * database and task queue.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../../libs/temporal/src/contract';
import {
  REPO_ROOT,
  TEST_RUN_DIR_ENV,
  TEST_STATE_DIR,
  stateFile,
  workflowBundleFile,
  type TestState,
} from './paths';
import { freePorts } from './ports';
import { waitForTemporal, writeWorkflowBundle } from './processes';
import { startTestPostgres } from './postgres-setup';

/**
 * Starts a private dev server on ports of its own. Every port it binds is chosen here (gRPC, UI,
 * HTTP API, metrics: left to itself it picks the last two at random and can collide with ours),
 * and a start that fails, e.g. because another process took a port in the meantime, is retried
 * on fresh ports.
 */
async function startDevServer(cli: string, runDir: string): Promise<{ address: string; pid: number }> {
  const attempts = 3;
  for (let attempt = 1; ; attempt += 1) {
    const [port, uiPort, httpPort, metricsPort] = await freePorts(4);
    const log = openSync(join(runDir, `temporal-dev-server${attempt > 1 ? `-${attempt}` : ''}.log`), 'w');
    const child = spawn(
      cli,
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--ui-port',
        String(uiPort),
        '--http-port',
        String(httpPort),
        '--metrics-port',
        String(metricsPort),
        '--headless',
        '--log-level',
        'warn',
        ...SEARCH_ATTRIBUTE_REGISTRY.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
      ],
      { stdio: ['ignore', log, log], detached: true },
    );
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    child.unref();
    if (!child.pid) throw new Error('could not start the Temporal dev server');
    const address = `127.0.0.1:${port}`;
    try {
      await waitForTemporal(address, Date.now() + 60_000, () => exited);
      return { address, pid: child.pid };
    } catch (err) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (attempt >= attempts) throw err;
      console.warn(
        `${String(err)}; starting it again on other ports (attempt ${attempt + 1} of ${attempts})`,
      );
    }
  }
}

export default async function globalSetup(): Promise<void> {
  const runDir = join(TEST_STATE_DIR, `run-${process.pid}-${Date.now()}`);
  mkdirSync(runDir, { recursive: true });
  process.env[TEST_RUN_DIR_ENV] = runDir;
  const { adminUrl } = await startTestPostgres();

  const cli = execFileSync('bash', [join(REPO_ROOT, 'scripts/temporal-cli.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const { address, pid } = await startDevServer(cli, runDir);

  await writeWorkflowBundle(workflowBundleFile(runDir));

  const state: TestState = {
    temporalAddress: address,
    temporalPid: pid,
    postgresAdminUrl: adminUrl,
    workflowBundlePath: workflowBundleFile(runDir),
  };
  writeFileSync(stateFile(runDir), JSON.stringify(state, null, 2));
}
