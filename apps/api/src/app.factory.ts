import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule, type ApiModuleOptions } from './app.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the HTTP API (used by main.ts and by the end-to-end tests). Does not listen. */
export async function createApiApp(options: ApiModuleOptions): Promise<INestApplication> {
  const level = LEVELS.indexOf(options.config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    rawBody: true,
    logger: LEVELS.slice(0, level + 1),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  // The client address behind a proxy (rate limits, login history) only from trusted proxies.
  app.set('trust proxy', options.config.api.trustProxy);
  app.useBodyParser('json', { limit: '256kb' });

  const doc = new DocumentBuilder()
    .setTitle('Account Center API')
    .setDescription(
      'Account back office: accounts, sign-in, real-name verification and the durable processes behind them. ' +
        'Errors: `{ error: { code, message, field?, rule?, correlationId } }`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Staff session token (`stf_…`)' }, 'staff')
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, doc));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  Logger.log('OpenAPI docs at /docs', 'Api');
  return app;
}
