import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import {
  createLogger,
  PinoNestLogger,
  type Logger as PinoLogger,
} from '../../../libs/observability/src/logger';
import { correlationActivityInterceptors } from '../../../libs/observability/src/temporal-correlation';
import { startTracing, type Tracing } from '../../../libs/observability/src/tracing';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { TASK_QUEUES } from '../../../libs/temporal/src/contract';
import { payloadDataConverter } from '../../../libs/temporal/src/payload-codec';
import { SandboxBank, SandboxBankDispatcher } from '../../../libs/integrations/src/bank/sandbox-bank';
import { BANK_GATEWAY, type BankGateway } from '../../../libs/integrations/src/bank/bank-gateway.port';
import {
  SandboxFaceDispatcher,
  SandboxFaceVerifier,
} from '../../../libs/integrations/src/face/sandbox-face-verifier';
import { FACE_VERIFIER, type FaceVerifier } from '../../../libs/integrations/src/face/face-verifier.port';
import { ACTIVITIES, WorkerModule, type WorkerModuleOptions } from './worker.module';
import { tracedBundlePath, workflowInterceptorModules, workflowsPath } from './workflow-bundle';

export { workflowsPath } from './workflow-bundle';

export interface WorkerRuntimeOptions extends WorkerModuleOptions {
  /**
   * A pre-built workflow bundle (tests build it once); otherwise the one at WORKFLOW_BUNDLE_PATH
   * (`npm run build`), else workflows/ is bundled at start.
   */
  workflowBundle?: WorkflowBundleOption;
  /** The process's logger (main.ts); default: one from the configuration. */
  logger?: PinoLogger;
  /** The process's tracing (main.ts); default: off (spans are dropped). */
  tracing?: Tracing;
}

export interface WorkerRuntime {
  worker: Worker;
  context: INestApplicationContext;
  /** Resolves when the worker has stopped. */
  running: Promise<void>;
  shutdown(): Promise<void>;
}

/** Starts the Temporal worker and, with the sandbox bank, its landing/webhook dispatcher. */
export async function startWorkerRuntime(opts: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { config } = opts;
  const logger = new Logger('Worker');
  const pino = opts.logger ?? createLogger(config, { service: 'worker' });
  const tracing = opts.tracing ?? startTracing({ tracing: {} }, 'worker');
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(opts), {
    logger: new PinoNestLogger(pino),
    abortOnError: false,
  });
  // With tracing on, the bundle with OpenTelemetry's workflow interceptors (workflow-bundle.ts).
  const bundlePath = config.worker.workflowBundlePath;
  const bundle: WorkflowBundleOption | undefined =
    opts.workflowBundle ??
    (bundlePath ? { codePath: tracing.enabled ? tracedBundlePath(bundlePath) : bundlePath } : undefined);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const taskQueue = config.temporal.taskQueue ?? TASK_QUEUES.accountCenter;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    // Every payload sealed under the key ring (issue 12): the same converter as the API's client.
    dataConverter: payloadDataConverter(config.temporal.payloadKeys),
    activities: context.get(ACTIVITIES),
    interceptors: {
      activity: [
        correlationActivityInterceptors(pino),
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      // Used only when bundling at start: a pre-built bundle has them inside (workflow-bundle.ts).
      workflowModules: workflowInterceptorModules({ traced: tracing.enabled }),
    },
    // The workflows' spans (OpenTelemetry's workflow interceptors) leave the sandbox by this sink.
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
    // On shutdown, in-flight activities get this long to finish before they are cancelled.
    shutdownGraceTime: `${config.worker.shutdownGraceSeconds}s`,
    // Bounded: an uncapped cache ran the workflow thread out of heap with many open processes.
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: workflowsPath() }),
  });

  const bank = context.get<symbol, BankGateway>(BANK_GATEWAY);
  const dispatcher =
    bank instanceof SandboxBank
      ? new SandboxBankDispatcher(bank, config.bank.sandbox.pollIntervalMs, (err) =>
          logger.error(`sandbox bank dispatch failed: ${err instanceof Error ? err.message : String(err)}`),
        )
      : undefined;
  dispatcher?.start();
  // The sandbox face service decides results and delivers its signed callbacks the same way.
  const face = context.get<symbol, FaceVerifier>(FACE_VERIFIER);
  const faceDispatcher =
    face instanceof SandboxFaceVerifier
      ? new SandboxFaceDispatcher(face, config.face.sandbox.pollIntervalMs, (err) =>
          logger.error(`sandbox face dispatch failed: ${err instanceof Error ? err.message : String(err)}`),
        )
      : undefined;
  faceDispatcher?.start();

  const running = worker.run();
  logger.log(
    `polling task queue "${taskQueue}" on ${config.temporal.address} (namespace ${config.temporal.namespace}), ` +
      `workflows ${bundle && 'codePath' in bundle ? `from ${bundle.codePath}` : bundle ? 'pre-bundled' : 'bundled at start'}`,
  );

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      await dispatcher?.stop();
      await faceDispatcher?.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch((err: unknown) => logger.error(err instanceof Error ? err.message : String(err)));
      await connection.close();
      await context.close();
    })();
    return stopping;
  };
  return { worker, context, running, shutdown };
}
