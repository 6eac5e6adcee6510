import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../../../../libs/domain/src/errors';

export type StaffRole = 'reviewer' | 'senior_reviewer' | 'operator';

/**
 * Who is calling. Owner and sub-user sessions live in `sessions` (token prefix `acs_`); staff
 * sessions are a separate kind of principal and can never act as an account, nor the reverse.
 * A collaborator is an `account` principal acting inside another root account (see permissions).
 */
export type Principal =
  | { kind: 'account'; accountId: number; sessionId: string }
  | { kind: 'sub_user'; accountId: number; subUserId: string; sessionId: string }
  | { kind: 'staff'; staffId: string; role: StaffRole; sessionId: string };

export type OwnerPrincipal = Extract<Principal, { kind: 'account' }>;
export type SubUserPrincipal = Extract<Principal, { kind: 'sub_user' }>;
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

export const PUBLIC_ROUTE = 'auth:public';
/** Marks a route that needs no session (sign-up, sign-in, webhooks with their own signature). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

function principalOf(ctx: ExecutionContext): Principal {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.principal) throw new UnauthenticatedError();
  return req.principal;
}

/** The signed-in root account owner; a staff or sub-user session gets 403. */
export const CurrentAccount = createParamDecorator((_: unknown, ctx: ExecutionContext): OwnerPrincipal => {
  const p = principalOf(ctx);
  if (p.kind !== 'account') throw new ForbiddenError('This needs the account owner', 'owner_only');
  return p;
});

/** Any principal; the handler decides. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => principalOf(ctx));
