/**
 * Starts the real platform for a test file: the HTTP API on a free port, optionally the worker
 * (in process, on a task queue of its own), both on a fresh database, against the shared
 * Temporal dev server. Talk to it over real HTTP with `platform.http`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/core';
import { Client, Connection } from '@temporalio/client';
import { createApiApp } from '../../apps/api/src/app.factory';
import {
  startWorkerRuntime,
  type WorkerRuntime,
  type WorkerRuntimeOptions,
} from '../../apps/worker/src/worker-runtime';
import { parseConfig, readEnvironment, type AppConfig } from '../../libs/config/src/config';
import { ManualClock, SystemClock, type Clock } from '../../libs/domain/src/clock';
import { payloadDataConverter } from '../../libs/temporal/src/payload-codec';
import { createTestDatabase, type TestDatabase } from './databases';
import { HttpClient } from './http';
import { TEST_REQUEST_LIMITS } from './test-env';
import { TEST_RUN_DIR_ENV, stateFile, type TestState } from './paths';

export interface PlatformOptions {
  /** Start the Temporal worker (and the sandbox bank dispatcher) too. */
  worker?: boolean;
  /** A ManualClock to move time in the API and activities; default: the system clock. */
  clock?: Clock;
  /** Extra configuration, as environment variables (e.g. { BANK_SANDBOX_LANDING_DELAY_MS: '0' }). */
  env?: Record<string, string>;
  workerOptions?: Pick<WorkerRuntimeOptions, 'drawAmountFen' | 'bankOverrides'>;
}

export interface Platform {
  url: string;
  http: HttpClient;
  config: AppConfig;
  orm: MikroORM;
  db: TestDatabase;
  clock: Clock;
  temporal: Client;
  app: INestApplication;
  worker?: WorkerRuntime;
  close(): Promise<void>;
}

export function testState(): TestState {
  const runDir = readEnvironment()[TEST_RUN_DIR_ENV];
  if (!runDir) throw new Error('no test run: integration tests start through jest (global-setup)');
  return JSON.parse(readFileSync(stateFile(runDir), 'utf8')) as TestState;
}

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const state = testState();
  const db = await createTestDatabase();
  const clock = opts.clock ?? new SystemClock();
  const base = parseConfig({
    LOG_LEVEL: 'error',
    DATABASE_URL: db.config.url,
    TEMPORAL_ADDRESS: state.temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(6).toString('hex')}`,
    // Appeal documents of this platform only, in a throw-away folder.
    DOCUMENT_STORE_DIR: join(tmpdir(), `ac-documents-${randomBytes(6).toString('hex')}`),
    BANK_SANDBOX_LANDING_DELAY_MS: '0',
    BANK_SANDBOX_POLL_INTERVAL_MS: '50',
    BANK_SANDBOX_LATENCY_MS: '0-0',
    // The sandbox face service decides at once after the liveness step (RN-6).
    FACE_SANDBOX_RESULT_DELAY_MS: '0',
    FACE_SANDBOX_POLL_INTERVAL_MS: '50',
    // The stand-ins for the outside world (outbox of codes, captcha answers, bank statement).
    SANDBOX_ROUTES: 'true',
    // Every test client is 127.0.0.1: the per-address limits would cut a test file short. The
    // limits themselves are tested with their own settings (request-limits.test.ts).
    ...TEST_REQUEST_LIMITS,
    ...opts.env,
  });

  const app = await createApiApp({ config: base, clock, orm: db.orm });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const config: AppConfig = { ...base, api: { ...base.api, port: address.port, publicUrl: url } };

  let worker: WorkerRuntime | undefined;
  if (opts.worker) {
    worker = await startWorkerRuntime({
      config,
      clock,
      orm: db.orm,
      workflowBundle: { code: readFileSync(state.workflowBundlePath, 'utf8') },
      ...opts.workerOptions,
    });
  }
  const connection = await Connection.connect({ address: state.temporalAddress });
  const temporal = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: payloadDataConverter(config.temporal.payloadKeys),
  });

  return {
    url,
    http: new HttpClient(url),
    config,
    orm: db.orm,
    db,
    clock,
    temporal,
    app,
    worker,
    close: async () => {
      await worker?.shutdown();
      await app.close();
      await connection.close();
      await db.dispose();
      rmSync(config.documents.dir, { recursive: true, force: true });
    },
  };
}

export { ManualClock };
