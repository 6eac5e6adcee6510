import { STATUS_CODES } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule, type ApiModuleOptions } from './app.module';
import {
  createLogger,
  PinoNestLogger,
  type Logger as PinoLogger,
} from '../../../libs/observability/src/logger';
import {
  httpTracingMiddleware,
  tracingScopeMiddleware,
  type Tracing,
} from '../../../libs/observability/src/tracing';
import { correlationMiddleware, correlationScopeMiddleware } from './common/correlation';
import { createApiMetrics, requestLogMiddleware } from './metrics/api-metrics';
import { codecCorsMiddleware } from './temporal-codec/codec-cors';
import { methodNotAllowedMiddleware, type RouterLayer } from './common/method-not-allowed';
import { dtoSchemasForDocument, pathParamSchema, zodToOpenApi, type OpenApiSchema } from './common/zod';

export interface ApiAppOptions extends ApiModuleOptions {
  /** The process's logger (main.ts, tests capturing lines); default: one from the configuration. */
  logger?: PinoLogger;
  /** The process's tracing (main.ts): HTTP server spans when it exports. */
  tracing?: Tracing;
}

/** Builds the HTTP API (used by main.ts and by the end-to-end tests). Does not listen. */
export async function createApiApp(options: ApiAppOptions): Promise<INestApplication> {
  const logger = options.logger ?? createLogger(options.config, { service: 'api' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    rawBody: true,
    // The body parser is added below, after the correlation ID, so that its failures carry one.
    bodyParser: false,
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  // The client address behind a proxy (rate limits, login history) only from trusted proxies.
  app.set('trust proxy', options.config.api.trustProxy);
  app.use(correlationMiddleware);
  const metrics = createApiMetrics(app);
  app.use(metrics.middleware);
  app.use(requestLogMiddleware(logger));
  if (options.tracing?.enabled) app.use(httpTracingMiddleware());
  // Prometheus's scrape target (text format), outside the OpenAPI document.
  app.getHttpAdapter().getInstance().get('/metrics', metrics.handler);
  // The Temporal Web UI calls the codec server from its own origin (preflights answered here).
  app.use('/temporal-codec', codecCorsMiddleware(options.config.temporal.codecCorsOrigins));
  // Express 5 layers have match(); its typings do not say so.
  const express = app.getHttpAdapter().getInstance() as unknown as { router?: { stack?: RouterLayer[] } };
  app.use(methodNotAllowedMiddleware(() => express.router?.stack ?? []));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  // The body parser resumes the chain from the socket's events: enter the request's scope again.
  app.use(correlationScopeMiddleware);
  if (options.tracing?.enabled) app.use(tracingScopeMiddleware);

  const doc = new DocumentBuilder()
    .setTitle('Account Center API')
    .setDescription(
      'Account back office: accounts, sign-in, real-name verification and the durable processes behind them. ' +
        'Errors: `{ error: { code, message, field?, rule?, correlationId } }`. Input rules, on every route: ' +
        `a JSON body (UTF-8; identity, gzip, deflate or br encoded) of at most ${BODY_LIMIT} (else 413, or 415 ` +
        'for another charset or encoding, or 400 if it does not parse or decompress); no control character ' +
        'in any string (400 naming the field); text is normalised to NFC; a field the schema does not name is ' +
        'refused (400 naming it); a method a path does not have is a 405 with `Allow`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Staff session token (`stf_…`)' }, 'staff')
    .build();
  const document = completeResponses(
    fromZodSchemas(cleanupOpenApiDoc(SwaggerModule.createDocument(app, doc))),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  Logger.log('OpenAPI docs at /docs', 'Api');
  return app;
}

const BODY_LIMIT = '256kb';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The document's schemas from the zod schemas themselves ({@link zodToOpenApi}): every DTO with
 * its bounds, patterns, integer types and `additionalProperties: false`, and every path
 * parameter with the pattern the input pipe checks.
 */
function fromZodSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? {};
  for (const [name, schema] of dtoSchemasForDocument()) {
    if (schemas[name]) schemas[name] = zodToOpenApi(schema);
  }
  schemas['ErrorBody'] = ERROR_BODY_SCHEMA;
  document.components.schemas = schemas;
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      for (const param of item[method]?.parameters ?? []) {
        if (!('in' in param) || param.in !== 'path') continue;
        const schema = pathParamSchema(param.name);
        if (schema) param.schema = zodToOpenApi(schema);
      }
    }
  }
  return document;
}

/** What the exception filter answers for every error (ErrorBody in exception.filter.ts). */
const ERROR_BODY_SCHEMA: OpenApiSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'correlationId'],
      description: 'Some errors add facts of their own (e.g. `attemptsLeft`, `lockedUntil`, `captcha`)',
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. `validation_failed`' },
        message: { type: 'string' },
        field: { type: 'string', description: 'The field at fault (a dotted path), for bad input' },
        rule: { type: 'string', description: 'The business rule that refused the request (RULES.md)' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
        },
        correlationId: { type: 'string', description: 'Also in the `X-Correlation-Id` header and the log' },
      },
    },
  },
};

const WRONG_SESSION_KIND =
  'The session is not of a kind this route serves: owner_only, sub_user_only, staff_not_allowed or staff_only';

/** Answers every route can give, whatever it does: the body parser's and the input pipe's. */
const EVERY_ROUTE: Record<string, string> = {
  '400':
    'A field is invalid (`error.field` names it): a control character, an unknown field, a value out of ' +
    'bounds, or a body that does not parse or decompress',
  '413': 'payload_too_large: the body is over the limit',
  '415':
    'unsupported_media_type: a charset other than UTF-8, or a content encoding other than gzip/deflate/br',
  '500':
    'internal_error: an unexpected failure; the body carries only a correlationId, which the log line with the details shares',
};

/**
 * OpenAPI requires a description on every response: success answers declared only by their type
 * get the status's reason phrase. Every operation also documents the answers any route can give
 * (400, 413, 415, 500), and every error answer has the error body's schema.
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
      for (const [status, description] of Object.entries(EVERY_ROUTE))
        op.responses[status] ??= { description };
      // Every route behind a session serves some kinds of session only: an owner route refuses
      // a sub-user or staff session, a staff route an account's (403 with the code saying which).
      if ((op.security ?? []).length > 0) op.responses['403'] ??= { description: WRONG_SESSION_KIND };
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400 || !response || !('description' in response) || response.content) continue;
        response.content = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
      }
    }
  }
  return document;
}
