import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../libs/domain/src/errors';

/**
 * Wraps every activity of a factory so that domain errors surface as non-retryable
 * ApplicationFailures typed by the error's name (retrying cannot fix a broken rule); anything
 * else is rethrown as is and retried by Temporal's policy. The one domain error that may pass,
 * an outside service being down (`unavailable`), stays retryable.
 */
export function withDomainFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  acts: T,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(acts)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof DomainError) {
          throw ApplicationFailure.create({
            type: err.name,
            message: err.message,
            nonRetryable: err.kind !== 'unavailable',
            details: [{ code: err.code, ...err.details }],
            cause: err,
          });
        }
        throw err;
      }
    };
  }
  return wrapped as T;
}
