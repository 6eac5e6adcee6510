import type { NextFunction, Request, Response } from 'express';
import { newId } from '../../../../libs/domain/src/ids';
import { withCorrelationId } from '../../../../libs/observability/src/correlation';

export const CORRELATION_HEADER = 'x-correlation-id';

export interface CorrelatedRequest extends Request {
  correlationId?: string;
}

/** Takes the caller's correlation ID (if sane) or makes one, and echoes it on the response. */
export function correlationMiddleware(req: CorrelatedRequest, res: Response, next: NextFunction): void {
  const given = req.header(CORRELATION_HEADER);
  const id = given && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : newId();
  req.correlationId = id;
  res.setHeader(CORRELATION_HEADER, id);
  // Everything the request does from here logs the ID and sends it to Temporal as a header.
  withCorrelationId(id, next);
}

/** Re-enters the request's scope (after the body parser, which calls on from stream events). */
export function correlationScopeMiddleware(req: CorrelatedRequest, _res: Response, next: NextFunction): void {
  withCorrelationId(req.correlationId, next);
}
