import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './principal';
import { SessionService } from './session.service';

/** Global guard: every route needs a valid bearer session unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (isPublic) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) throw new UnauthenticatedError('A bearer session token is required', 'session_required');
    const session = await this.sessions.resolve(match[1]);
    if (!session) throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
    // A sub-user's session belongs to its root account and names the sub-user (ACC-9).
    req.principal = session.subUser
      ? {
          kind: 'sub_user',
          accountId: session.account.id,
          subUserId: session.subUser.id,
          sessionId: session.id,
        }
      : { kind: 'account', accountId: session.account.id, sessionId: session.id };
    return true;
  }
}
