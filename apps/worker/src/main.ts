import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../libs/config/src/config';
import { startWorkerRuntime } from './worker-runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await startWorkerRuntime({ config });
  const stop = (signal: string) => {
    Logger.log(`${signal} received: draining and stopping`, 'Worker');
    void runtime.shutdown().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  await runtime.running;
}

main().catch((err: unknown) => {
  process.stderr.write(`[worker] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
