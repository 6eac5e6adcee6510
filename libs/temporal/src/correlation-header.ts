/**
 * The correlation ID as a Temporal header: the API's client sets it on every start, signal,
 * update and query; the workflow interceptors (workflows/interceptors.ts) pass it on to every
 * activity it schedules; the worker's activity interceptor puts it on the activity's log lines.
 * Workflow code imports this file, so it depends only on @temporalio/common.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';

export const CORRELATION_ID_HEADER = 'correlation-id';

/** The ID a header carries, if any (a malformed header is ignored, never fatal). */
export function readCorrelationId(headers: Headers | undefined): string | undefined {
  const payload = headers?.[CORRELATION_ID_HEADER];
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Headers with the ID added (unchanged without one). */
export function withCorrelationHeader(headers: Headers, correlationId: string | undefined): Headers {
  if (!correlationId) return headers;
  return { ...headers, [CORRELATION_ID_HEADER]: defaultPayloadConverter.toPayload(correlationId) };
}
