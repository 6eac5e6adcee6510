/**
 * Issue 12 §3–§5, the operator's view, on the API and the worker started as real processes from
 * their entry points (main.ts), with their logs captured as production writes them (JSON lines):
 * - one correlation ID followed from the HTTP request to the workflow task and the activity
 *   attempts it caused, with `grep <id>` alone;
 * - the correlation ID on an error answer the body parser raises, and in the log;
 * - Prometheus metrics on the API (/metrics) and on the worker (the Temporal SDK's own);
 * - the worker runs the prebuilt workflow bundle (WORKFLOW_BUNDLE_PATH) and, on SIGTERM,
 *   finishes the activity in flight before it exits.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readEnvironment } from '../../libs/config/src/config';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { bankAccountNumber, eventually, licenceNumber, signUpAndSignIn } from '../support/factories';
import { HttpClient } from '../support/http';
import { REPO_ROOT } from '../support/paths';
import { testState } from '../support/platform';
import { freePorts } from '../support/ports';
import { isAlive, spawnChild, stopChild, waitForHealth, waitForWorker } from '../support/processes';
import { TEST_REQUEST_LIMITS } from '../support/test-env';

type LogLine = Record<string, unknown> & { msg?: string; correlationId?: string; level?: string };

interface OtlpSpan {
  traceId: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
}

/** A stand-in OTLP/HTTP collector: keeps every span it is sent (JSON encoding). */
function otlpCollector(): { server: Server; spans: OtlpSpan[] } {
  const spans: OtlpSpan[] = [];
  type Attr = { key: string; value: Record<string, unknown> };
  const attrs = (list: Attr[] = []) =>
    Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}') as {
        resourceSpans?: Array<{
          resource?: { attributes?: Attr[] };
          scopeSpans?: Array<{ spans?: Array<{ traceId: string; name: string; attributes?: Attr[] }> }>;
        }>;
      };
      for (const rs of parsed.resourceSpans ?? []) {
        const service = String(attrs(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? [])
          for (const span of ss.spans ?? [])
            spans.push({
              traceId: span.traceId,
              name: span.name,
              service,
              attributes: attrs(span.attributes),
            });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

const BASE = '/verifications/enterprise/deposit';
/** Every payout call to the sandbox bank takes this long: an activity stays in flight. */
const BANK_LATENCY_MS = 3000;

function readLog(file: string): LogLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LogLine);
}

/** `grep <id> <file>`: the raw lines that mention the ID, parsed. */
function grep(file: string, id: string): LogLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes(id))
    .map((l) => JSON.parse(l) as LogLine);
}

function submission() {
  return {
    enterpriseName: 'Acme Cloud Ltd',
    licenceNumber: licenceNumber(),
    bankAccount: {
      holder: 'Acme Cloud Ltd',
      bankName: 'ICBC Beijing',
      accountNumber: bankAccountNumber(true),
    },
  };
}

describe('operators follow one request from the API to the activity (issue 12)', () => {
  let db: TestDatabase;
  let dir: string;
  let apiLog: string;
  let workerLog: string;
  let http: HttpClient;
  let workerMetricsUrl: string;
  let worker: ChildProcess;
  const otlp = otlpCollector();
  const suffix = randomBytes(4).toString('hex');

  beforeAll(async () => {
    const state = testState();
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'ac-observability-'));
    apiLog = join(dir, 'api.log');
    workerLog = join(dir, 'worker.log');
    const [apiPort, metricsPort, otlpPort] = await freePorts(3);
    await new Promise<void>((r) => otlp.server.listen(otlpPort, '127.0.0.1', () => r()));
    const taskQueue = `test-obs-${suffix}`;
    const env: NodeJS.ProcessEnv = {
      PATH: readEnvironment()['PATH'] ?? '',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'log',
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`,
      DATABASE_URL: db.config.url,
      TEMPORAL_ADDRESS: state.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DOCUMENT_STORE_DIR: join(dir, 'documents'),
      SANDBOX_ROUTES: 'true',
      BANK_SANDBOX_LANDING_DELAY_MS: '0',
      BANK_SANDBOX_POLL_INTERVAL_MS: '100',
      BANK_SANDBOX_LATENCY_MS: `${BANK_LATENCY_MS}-${BANK_LATENCY_MS}`,
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      WORKER_SHUTDOWN_GRACE_SECONDS: '20',
      // The bundle as `npm run build` makes it (global-setup built this one the same way).
      WORKFLOW_BUNDLE_PATH: state.workflowBundlePath,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      ...TEST_REQUEST_LIMITS,
    };
    const register = join(REPO_ROOT, 'test/support/ts-register.js');
    const api = spawnChild(
      `obs-api-${suffix}`,
      ['-r', register, join(REPO_ROOT, 'apps/api/src/main.ts')],
      env,
      apiLog,
    );
    worker = spawnChild(
      `obs-worker-${suffix}`,
      ['-r', register, join(REPO_ROOT, 'apps/worker/src/main.ts')],
      env,
      workerLog,
    );
    http = new HttpClient(`http://127.0.0.1:${apiPort}`);
    workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    await waitForHealth(http, api, apiLog, 110_000);
    await waitForWorker(state.temporalAddress, taskQueue, worker, workerLog, 110_000);
  }, 240_000);

  afterAll(async () => {
    await stopChild(`obs-worker-${suffix}`);
    await stopChild(`obs-api-${suffix}`);
    await db?.dispose();
    await new Promise((r) => otlp.server.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('grep <correlationId> finds the request, the workflow task and every activity attempt it caused', async () => {
    const owner = await signUpAndSignIn(http);
    const id = `obs-${suffix}-start`;
    const created = await http.request('POST', BASE, {
      body: submission(),
      token: owner.token,
      headers: { 'x-correlation-id': id },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-correlation-id')).toBe(id);
    const workflowId = `deposit-verification:${owner.accountId}`;

    // The payout activity ran (it takes the bank's latency) under the request's ID.
    const attempts = await eventually(
      async () => {
        const lines = grep(workerLog, id).filter(
          (l) => l.msg === 'activity attempt completed' && l.activityType === 'requestDepositPayout',
        );
        return lines.length > 0 ? lines : undefined;
      },
      25_000,
      'the payout activity to complete under the request correlation ID',
    );
    expect(attempts[0]).toMatchObject({ correlationId: id, workflowId, attempt: 1, service: 'worker' });

    // The API's line for the request itself.
    const requestLines = grep(apiLog, id);
    expect(requestLines).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        correlationId: id,
        method: 'POST',
        route: BASE,
        status: 201,
        service: 'api',
      }),
    );
    // The workflow task that the request started, from the workflow's own logger (the header
    // carried by the Temporal client, read by the workflow interceptor).
    const workerLines = grep(workerLog, id);
    expect(workerLines).toContainEqual(
      expect.objectContaining({ msg: 'workflow started by request', correlationId: id, workflowId }),
    );
    expect(workerLines).toContainEqual(
      expect.objectContaining({
        msg: 'activity attempt started',
        correlationId: id,
        workflowId,
        activityType: 'requestDepositPayout',
        attempt: 1,
      }),
    );
    // Every line of both processes is one JSON object with a level.
    for (const line of [...readLog(apiLog), ...readLog(workerLog)]) {
      expect(typeof line.level).toBe('string');
    }
  });

  it('one trace by OTLP from the HTTP request through the workflow start to the workflow and its activities', async () => {
    const id = `obs-${suffix}-start`;
    const server = await eventually(
      async () => otlp.spans.find((s) => s.attributes['correlation.id'] === id),
      15_000,
      "the request's server span",
    );
    expect(server).toMatchObject({ service: 'account-center-api', name: `POST ${BASE}` });
    const trace = await eventually(
      async () => {
        const names = otlp.spans
          .filter((s) => s.traceId === server.traceId)
          .map((s) => `${s.service} ${s.name}`);
        return names.includes('account-center-worker RunActivity:requestDepositPayout') &&
          names.includes('account-center-worker StartActivity:requestDepositPayout')
          ? names
          : undefined;
      },
      15_000,
      'the activity span in the same trace',
    );
    expect(trace).toEqual(
      expect.arrayContaining([
        'account-center-api StartWorkflow:depositVerificationWorkflow',
        // The workflow's own span for scheduling it (from the workflow sandbox, by the sink; the
        // RunWorkflow span ends, and is exported, when the workflow does).
        'account-center-worker StartActivity:requestDepositPayout',
        'account-center-worker RunActivity:requestDepositPayout',
      ]),
    );
  });

  it('an error answer of the body parser carries the correlation ID, and the log line shares it', async () => {
    const id = `obs-${suffix}-bad-body`;
    const res = await http.request('POST', '/sessions', {
      // Over the 256 kB limit: the body parser refuses it before any route runs.
      rawBody: JSON.stringify({ email: 'a'.repeat(300_000) }),
      headers: { 'x-correlation-id': id, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'payload_too_large', correlationId: id } });
    expect(res.headers.get('x-correlation-id')).toBe(id);
    const lines = await eventually(
      async () => {
        const found = grep(apiLog, id);
        return found.length > 0 ? found : undefined;
      },
      10_000,
      'the refused request in the API log',
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request refused', status: 413, correlationId: id }),
    );
  });

  it('the API serves Prometheus metrics by route, outbox and reviewer queues at /metrics', async () => {
    const res = await fetch(`${http.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /account_center_http_requests_total\{method="POST",route="\/verifications\/enterprise\/deposit",status="201"\} [1-9]/,
    );
    expect(text).toMatch(
      /account_center_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="unmatched",status="413"\}/,
    );
    expect(text).toMatch(/^account_center_outbox_pending \d+$/m);
    expect(text).toMatch(/^account_center_outbox_oldest_pending_age_seconds [\d.]+$/m);
    expect(text).toMatch(/^account_center_review_tasks_open\{queue="review"\} \d+$/m);
    expect(text).toMatch(/^account_center_review_tasks_sla_breached\{queue="senior-review"\} \d+$/m);
  });

  it("the worker serves the Temporal SDK's metrics: task slots, schedule-to-start latency, sticky cache", async () => {
    const res = await fetch(workerMetricsUrl);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(text).toMatch(/^temporal_activity_schedule_to_start_latency/m);
    expect(text).toMatch(/^temporal_workflow_task_schedule_to_start_latency/m);
    expect(text).toMatch(/^temporal_sticky_cache_size/m);
  });

  it("every metric the compose stack's Grafana dashboard charts is one the API or the worker serves", async () => {
    const served = [
      await (await fetch(`${http.baseUrl}/metrics`)).text(),
      await (await fetch(workerMetricsUrl)).text(),
    ].join('\n');
    const dashboard = JSON.parse(
      readFileSync(join(REPO_ROOT, 'deploy/observability/grafana/account-center.json'), 'utf8'),
    ) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const charted = new Set(
      dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) =>
          [...t.expr.matchAll(/\b((?:account_center|temporal)_[a-z_]+)/g)].map((m) => m[1]),
        ),
      ),
    );
    expect(charted.size).toBeGreaterThanOrEqual(10);
    const missing = [...charted].filter((name) => !new RegExp(`^${name}[{ ]`, 'm').test(served));
    expect(missing).toEqual([]);
  });

  it('on SIGTERM the worker finishes the activity in flight, then exits 0', async () => {
    const owner = await signUpAndSignIn(http);
    const id = `obs-${suffix}-shutdown`;
    const created = await http.request('POST', BASE, {
      body: submission(),
      token: owner.token,
      headers: { 'x-correlation-id': id },
    });
    expect(created.status).toBe(201);
    await eventually(
      async () =>
        grep(workerLog, id).some(
          (l) => l.msg === 'activity attempt started' && l.activityType === 'requestDepositPayout',
        ) || undefined,
      25_000,
      'the payout activity to start',
    );
    // The payout is in flight (the bank answers after BANK_LATENCY_MS): stop the worker now.
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    expect(isAlive(worker)).toBe(true);
    process.kill(worker.pid!, 'SIGTERM');
    expect(await exited).toBe(0);

    const lines = readLog(workerLog);
    const stopAt = lines.findIndex((l) => typeof l.msg === 'string' && l.msg.startsWith('SIGTERM received'));
    const doneAt = lines.findIndex(
      (l) =>
        l.msg === 'activity attempt completed' &&
        l.correlationId === id &&
        l.activityType === 'requestDepositPayout',
    );
    expect(stopAt).toBeGreaterThanOrEqual(0);
    // Completed after the signal, not cancelled: the grace period let it finish.
    expect(doneAt).toBeGreaterThan(stopAt);
    expect(lines.slice(stopAt)).not.toContainEqual(
      expect.objectContaining({ msg: 'activity attempt failed', correlationId: id }),
    );
  }, 60_000);
});
