import { isGrpcCancelledError, isGrpcDeadlineError, isGrpcServiceError } from '@temporalio/client';

/** gRPC codes of a Temporal that is down, restarting or overloaded: the call may be repeated. */
const UNREACHABLE_GRPC_CODES = new Set([1, 4, 8, 14]); // CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE

/** Whether a Temporal call failed because the server could not be reached (answer 503, retry). */
export function isTemporalUnreachable(err: unknown): boolean {
  if (isGrpcDeadlineError(err) || isGrpcCancelledError(err)) return true;
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth += 1) {
    if (isGrpcServiceError(e)) return UNREACHABLE_GRPC_CODES.has(Number(e.code));
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}
