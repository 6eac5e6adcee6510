import { STATUS_CODES } from 'node:http';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
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
  const document = completeResponses(cleanupOpenApiDoc(SwaggerModule.createDocument(app, doc)));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  Logger.log('OpenAPI docs at /docs', 'Api');
  return app;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * OpenAPI requires a description on every response: success answers declared only by their type
 * get the status's reason phrase. Every operation also documents the 500 the exception filter
 * gives for an unexpected failure.
 */
function completeResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        if (response && 'description' in response && !response.description) {
          response.description = STATUS_CODES[Number(status)] ?? status;
        }
      }
      op.responses['500'] ??= {
        description:
          'internal_error: an unexpected failure; the body carries only a correlationId, which the log line with the details shares',
      };
    }
  }
  return document;
}
