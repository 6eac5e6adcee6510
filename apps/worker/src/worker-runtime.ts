import { Logger, type INestApplicationContext, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { TASK_QUEUES } from '../../../libs/temporal/src/contract';
import { payloadDataConverter } from '../../../libs/temporal/src/payload-codec';
import { SandboxBank, SandboxBankDispatcher } from '../../../libs/integrations/src/bank/sandbox-bank';
import { BANK_GATEWAY, type BankGateway } from '../../../libs/integrations/src/bank/bank-gateway.port';
import { ACTIVITIES, WorkerModule, type WorkerModuleOptions } from './worker.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export interface WorkerRuntimeOptions extends WorkerModuleOptions {
  /** A pre-built workflow bundle (tests build it once); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkflowBundle;
}

export interface WorkerRuntime {
  worker: Worker;
  context: INestApplicationContext;
  /** Resolves when the worker has stopped. */
  running: Promise<void>;
  shutdown(): Promise<void>;
}

/** Path of the workflows entry, from sources (ts) or from dist (js) alike. */
export function workflowsPath(): string {
  return require.resolve('../../../workflows');
}

/** Starts the Temporal worker and, with the sandbox bank, its landing/webhook dispatcher. */
export async function startWorkerRuntime(opts: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { config } = opts;
  const logger = new Logger('Worker');
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(opts), {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
    abortOnError: false,
  });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const taskQueue = config.temporal.taskQueue ?? TASK_QUEUES.accountCenter;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    // Every payload sealed under the key ring (issue 12): the same converter as the API's client.
    dataConverter: payloadDataConverter(config.temporal.payloadKeys),
    activities: context.get(ACTIVITIES),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: workflowsPath() }),
  });

  const bank = context.get<symbol, BankGateway>(BANK_GATEWAY);
  const dispatcher =
    bank instanceof SandboxBank
      ? new SandboxBankDispatcher(bank, config.bank.sandbox.pollIntervalMs, (err) =>
          logger.error(`sandbox bank dispatch failed: ${err instanceof Error ? err.message : String(err)}`),
        )
      : undefined;
  dispatcher?.start();

  const running = worker.run();
  logger.log(
    `polling task queue "${taskQueue}" on ${config.temporal.address} (namespace ${config.temporal.namespace})`,
  );

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      await dispatcher?.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch((err: unknown) => logger.error(err instanceof Error ? err.message : String(err)));
      await connection.close();
      await context.close();
    })();
    return stopping;
  };
  return { worker, context, running, shutdown };
}
