import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../../libs/config/src/config';
import { createLogger } from '../../../libs/observability/src/logger';
import { PinoTemporalLogger } from '../../../libs/observability/src/temporal-correlation';
import { startTracing } from '../../../libs/observability/src/tracing';
import { tracedBundlePath } from './workflow-bundle';
import { startWorkerRuntime } from './worker-runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, { service: 'worker' });
  if (config.mode === 'production' && !config.worker.workflowBundlePath) {
    throw new Error(
      'WORKFLOW_BUNDLE_PATH: missing: production mode loads the bundle `npm run build` wrote (dist/workflow-bundle.js)',
    );
  }
  // Before any connection: the SDK's own lines (and the core's, forwarded) go to the same
  // structured log, and its Prometheus metrics are served where configured.
  Runtime.install({
    logger: new PinoTemporalLogger(logger.child({ component: 'temporal' })),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
      ...(config.worker.metricsAddress
        ? { metrics: { prometheus: { bindAddress: config.worker.metricsAddress } } }
        : {}),
    },
  });
  const tracing = startTracing(config, 'worker');
  const bundlePath = config.worker.workflowBundlePath;
  if (bundlePath && tracing.enabled && !existsSync(tracedBundlePath(bundlePath))) {
    throw new Error(
      `WORKFLOW_BUNDLE_PATH: tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT) and ${tracedBundlePath(bundlePath)}, ` +
        'the bundle with the tracing interceptors, is missing: `npm run build` writes it beside the other',
    );
  }
  const runtime = await startWorkerRuntime({ config, logger, tracing });
  if (config.worker.metricsAddress) {
    logger.info(`Temporal SDK metrics at http://${config.worker.metricsAddress}/metrics`);
  }
  const stop = (signal: string) => {
    logger.info(
      `${signal} received: no new tasks; in-flight activities get ${config.worker.shutdownGraceSeconds} s to finish`,
    );
    void runtime
      .shutdown()
      .then(() => tracing.shutdown())
      .then(() => {
        logger.info('worker stopped');
        process.exit(0);
      });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  await runtime.running;
}

main().catch((err: unknown) => {
  process.stderr.write(`[worker] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
