import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import type { ZodTypeAny, z } from 'zod';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { verifyBankWebhook } from '../../../../libs/integrations/src/bank/webhook-signature';
import { parseOr400 } from '../common/zod';

/**
 * The event of a signed webhook (the bank's and the face service's share one signature scheme):
 * the raw body's signature is checked against `secret` before anything of it is read, then the
 * body is parsed with `schema` (400 naming the field). A bad or stale signature is a 401.
 */
export function signedWebhookEvent<T extends ZodTypeAny>(
  req: RawBodyRequest<Request>,
  signature: string | undefined,
  secret: string,
  now: Date,
  schema: T,
): z.infer<T> {
  const raw = req.rawBody?.toString('utf8') ?? '';
  const check = verifyBankWebhook(secret, raw, signature, now);
  if (!check.ok) throw new UnauthenticatedError(`Bad webhook signature (${check.reason})`, 'bad_signature');
  return parseOr400(schema, JSON.parse(raw) as unknown);
}
