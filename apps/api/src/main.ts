import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../libs/config/src/config';
import { startTracing } from '../../../libs/observability/src/tracing';
import { createApiApp } from './app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // Before the app: the tracer provider must be registered when the HTTP layer starts spans.
  const tracing = startTracing(config, 'api');
  const app = await createApiApp({ config, tracing });
  await app.listen(config.api.port, config.api.host);
  Logger.log(`listening on http://${config.api.host}:${config.api.port} (docs: /docs)`, 'Api');
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`[api] failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
