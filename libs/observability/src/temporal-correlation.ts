import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { readCorrelationId, withCorrelationHeader } from '../../temporal/src/correlation-header';
import { currentCorrelationId, withCorrelationId } from './correlation';
import type { Logger } from './logger';

/**
 * The Temporal client's side: every start, signal, update and query made while serving a request
 * carries the request's correlation ID as a header (the workflow interceptors pass it on).
 */
export function correlationClientInterceptor(): WorkflowClientInterceptor {
  const id = currentCorrelationId;
  return {
    start: (input, next) => next({ ...input, headers: withCorrelationHeader(input.headers, id()) }),
    startWithDetails: (input, next) =>
      next({ ...input, headers: withCorrelationHeader(input.headers, id()) }),
    signal: (input, next) => next({ ...input, headers: withCorrelationHeader(input.headers, id()) }),
    signalWithStart: (input, next) => next({ ...input, headers: withCorrelationHeader(input.headers, id()) }),
    startUpdate: (input, next) => next({ ...input, headers: withCorrelationHeader(input.headers, id()) }),
    startUpdateWithStart: (input, next) =>
      next({
        ...input,
        workflowStartHeaders: withCorrelationHeader(input.workflowStartHeaders, id()),
        updateHeaders: withCorrelationHeader(input.updateHeaders, id()),
      }),
    query: (input, next) => next({ ...input, headers: withCorrelationHeader(input.headers, id()) }),
  };
}

/**
 * The worker's side: an activity attempt runs in the scope of the correlation ID its workflow
 * passed in the header, so its own log lines and the SDK's ("Activity failed") carry it, and
 * each attempt writes one line saying which activity, workflow and attempt it is.
 */
export function correlationActivityInterceptors(logger: Logger): ActivityInterceptorsFactory {
  return (ctx) => {
    let correlationId: string | undefined;
    return {
      inbound: {
        execute: (input, next) => {
          correlationId = readCorrelationId(input.headers);
          const info = ctx.info;
          const fields = {
            correlationId,
            activityType: info.activityType,
            activityId: info.activityId,
            attempt: info.attempt,
            workflowId: info.workflowExecution?.workflowId,
            runId: info.workflowExecution?.runId,
          };
          return withCorrelationId(correlationId, async () => {
            logger.info(fields, 'activity attempt started');
            const started = Date.now();
            try {
              const result = await next(input);
              logger.info({ ...fields, durationMs: Date.now() - started }, 'activity attempt completed');
              return result;
            } catch (err) {
              logger.warn(
                { ...fields, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) },
                'activity attempt failed',
              );
              throw err;
            }
          });
        },
      },
      outbound: {
        getLogAttributes: (input, next) => next(correlationId ? { ...input, correlationId } : input),
      },
    };
  };
}

const TEMPORAL_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger (Runtime.install's `logger`) over pino: the SDK's own lines, the
 * workflows' `log` lines (with their correlationId attribute) and the core's forwarded lines.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const { sdkComponent, ...rest } = (meta ?? {}) as LogMetadata & { sdkComponent?: unknown };
    this.logger[TEMPORAL_LEVEL[level]]({ ...rest, ...(sdkComponent ? { sdkComponent } : {}) }, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
