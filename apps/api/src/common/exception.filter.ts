import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { DomainError, type DomainErrorKind } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { CORRELATION_HEADER, type CorrelatedRequest } from './correlation';
import { MethodNotAllowedError } from './method-not-allowed';

const STATUS: Record<DomainErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_violation: 422,
  too_large: 413,
  unsupported_media_type: 415,
  locked: 423,
  rate_limited: 429,
  integrity: 500,
  unavailable: 503,
};

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    correlationId: string;
    field?: string;
    rule?: string;
    issues?: Array<{ field: string; message: string }>;
    [k: string]: unknown;
  };
}

/**
 * The one place errors become HTTP answers: domain errors by kind, validation by field, Nest's
 * own HTTP errors as they are, and anything else as a 500 carrying only a correlation ID (the
 * stack goes to the log under the same ID).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<CorrelatedRequest>();
    const res = http.getResponse<Response>();
    const correlationId = req.correlationId ?? newId();
    if (!res.hasHeader(CORRELATION_HEADER)) res.setHeader(CORRELATION_HEADER, correlationId);
    if (exception instanceof MethodNotAllowedError) {
      res.setHeader('Allow', exception.allowed.join(', '));
      res.status(405).json({
        error: { code: 'method_not_allowed', message: exception.message, correlationId },
      } satisfies ErrorBody);
      return;
    }
    const [status, body] = this.toResponse(exception, correlationId);
    if (status >= 500) {
      // Only the error's class and a message with its values taken out: a database error's
      // message quotes the whole statement with its parameters (hashes, emails, codes).
      this.logger.error(
        `${req.method} ${req.path} failed [correlationId=${correlationId}]: ${describeRedacted(exception)}`,
      );
    }
    if (
      exception instanceof DomainError &&
      (exception.kind === 'rate_limited' || exception.kind === 'unavailable')
    ) {
      const retry = exception.details?.['retryAfterSeconds'];
      if (typeof retry === 'number') res.setHeader('Retry-After', String(Math.ceil(retry)));
    }
    res.status(status).json(body);
  }

  private toResponse(exception: unknown, correlationId: string): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      return [
        STATUS[exception.kind],
        { error: { ...exception.details, code: exception.code, message: exception.message, correlationId } },
      ];
    }
    if (exception instanceof ZodValidationException) {
      const zodError = exception.getZodError() as ZodError;
      // A field the schema does not name comes first, by its own name: a typo (`acountType`)
      // is the likely cause of the other issues.
      const unknown = zodError.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({
              field: [...i.path, k].join('.'),
              message: 'is not a field of this request',
            }))
          : [],
      );
      const issues = [
        ...unknown,
        ...zodError.issues
          .filter((i) => i.code !== 'unrecognized_keys')
          .map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
      ];
      const first = issues[0];
      return [
        400,
        {
          error: {
            code: 'validation_failed',
            message: first ? `${first.field}: ${first.message}` : 'Invalid request',
            field: first?.field,
            issues,
            correlationId,
          },
        },
      ];
    }
    const parserError = bodyParserError(exception);
    if (parserError) return [parserError.status, { error: { ...parserError.error, correlationId } }];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const r = exception.getResponse();
      const message =
        typeof r === 'string'
          ? r
          : typeof r === 'object' && r !== null && 'message' in r
            ? String(r.message)
            : exception.message;
      const code = status === 404 ? 'route_not_found' : status === 400 ? 'bad_request' : `http_${status}`;
      return [status, { error: { code, message, correlationId } }];
    }
    return [
      500,
      {
        error: {
          code: 'internal_error',
          message: 'Unexpected error. Quote the correlation ID when reporting it.',
          correlationId,
        },
      },
    ];
  }
}

/** What the body parser (http-errors) throws: a 4xx status and a `type` such as `entity.too.large`. */
interface HttpError extends Error {
  status: number;
  type?: string;
  expose?: boolean;
}

function isHttpError(err: unknown): err is HttpError {
  return err instanceof Error && typeof (err as Partial<HttpError>).status === 'number';
}

/**
 * Body-parser failures, which arrive before any route: 413 for a body over the limit, 415 for a
 * charset or content encoding the parser does not take, 400 for a body that does not decompress
 * or parse (Nest maps the JSON syntax error to a BadRequestException first; that is a 400 too).
 */
export function bodyParserError(
  exception: unknown,
): { status: number; error: { code: string; message: string } } | undefined {
  if (!isHttpError(exception) || exception instanceof HttpException) return undefined;
  const { status, type } = exception;
  if (status === 413 || type === 'entity.too.large' || type === 'parameters.too.many')
    return {
      status: 413,
      error: { code: 'payload_too_large', message: 'The request body is over the limit' },
    };
  if (status === 415 || type === 'charset.unsupported' || type === 'encoding.unsupported')
    return {
      status: 415,
      error: {
        code: 'unsupported_media_type',
        message: `${exception.message}: send JSON in UTF-8, uncompressed or gzip/deflate/br`,
      },
    };
  if (status >= 400 && status < 500)
    return {
      status: 400,
      error: {
        code: 'malformed_body',
        message:
          type === 'entity.parse.failed'
            ? `The request body is not JSON: ${exception.message}`
            : 'The request body could not be read: it does not decompress, or does not match its length',
      },
    };
  return undefined;
}

/**
 * An error and its `cause` chain for the log, without values: the class of each, its message
 * with quoted literals, parenthesised key values and long numbers replaced by `?` (a database
 * error quotes its statement and parameters), the SQLSTATE where there is one, and the stack
 * frames (not the stack's first line, which repeats the message).
 */
export function describeRedacted(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      const frames = (current.stack ?? '')
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .slice(0, 8)
        .join('\n');
      parts.push(
        `${current.constructor.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${redactMessage(current.message)}${frames ? `\n${frames}` : ''}`,
      );
      current = current.cause;
    } else {
      parts.push(`non-error thrown (${typeof current})`);
      current = undefined;
    }
  }
  return parts.join('\nCaused by: ');
}

export function redactMessage(message: string): string {
  const redacted = message
    .replace(/E?'(?:[^']|'')*'/g, "'?'")
    .replace(/=\((.*?)\)(?=\s|$)/g, '=(?)')
    .replace(/\$\$.*?\$\$/gs, '$$?$$')
    .replace(/\b\d{4,}\b/g, '?')
    .replace(/\b[A-Za-z0-9+/_-]{24,}={0,2}/g, '?');
  return redacted.length > 500 ? `${redacted.slice(0, 500)}…` : redacted;
}
