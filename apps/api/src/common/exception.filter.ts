import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { DomainError, type DomainErrorKind } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import type { CorrelatedRequest } from './correlation';

const STATUS: Record<DomainErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_violation: 422,
  locked: 423,
  rate_limited: 429,
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
    const [status, body] = this.toResponse(exception, correlationId);
    if (status >= 500) {
      this.logger.error(
        `${req.method} ${req.originalUrl} failed [correlationId=${correlationId}]`,
        describeWithCauses(exception),
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
      const issues = zodError.issues.map((i) => ({
        field: i.path.join('.') || '(body)',
        message: i.message,
      }));
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

/** The stack of an error and of each error in its `cause` chain, for the log. */
function describeWithCauses(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : JSON.stringify(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\nCaused by: ');
}
