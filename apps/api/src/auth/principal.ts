import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';

/** Who is calling. More kinds (staff, sub-users) extend this union. */
export type Principal = { kind: 'account'; accountId: number; sessionId: string };

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

export const PUBLIC_ROUTE = 'auth:public';
/** Marks a route that needs no session (sign-up, sign-in, webhooks with their own signature). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The signed-in account owner; 401 if the route is reached without one. */
export const CurrentAccount = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (req.principal?.kind !== 'account') throw new UnauthenticatedError();
  return req.principal;
});
