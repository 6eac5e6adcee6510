import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation ID of the work in progress: the HTTP request's in the API, the one carried by
 * the workflow's header in an activity. Every log line written inside the scope carries it
 * (the logger's mixin reads it), and every Temporal call made inside it sends it as a header.
 */
const storage = new AsyncLocalStorage<{ correlationId: string }>();

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function withCorrelationId<T>(correlationId: string | undefined, fn: () => T): T {
  return correlationId ? storage.run({ correlationId }, fn) : fn();
}
