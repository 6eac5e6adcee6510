import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { StaffSessionsService } from '../staff/staff-sessions.service';
import { PUBLIC_ROUTE, type AuthenticatedRequest, type StaffRole } from './principal';
import { SessionService } from './session.service';
import { STAFF_ROUTE } from './staff-principal';

/** Global guard: every route needs a valid bearer session unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly staffSessions: StaffSessionsService,
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
    // Staff and account principals never stand in for each other: staff routes admit only staff
    // tokens (`stf_`), every other route only account tokens.
    const staffRoles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(STAFF_ROUTE, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (StaffSessionsService.isStaffToken(match[1])) {
      const staffSession = await this.staffSessions.resolve(match[1]);
      if (!staffSession)
        throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
      if (!staffRoles)
        throw new ForbiddenError('Staff sessions cannot act as an account', 'staff_not_allowed');
      const { staff } = staffSession;
      if (staffRoles.length && !staffRoles.includes(staff.role)) {
        throw new ForbiddenError(
          `This needs one of the roles: ${staffRoles.join(', ')}`,
          'staff_role_required',
        );
      }
      req.principal = { kind: 'staff', staffId: staff.id, role: staff.role, sessionId: staffSession.id };
      return true;
    }
    const session = await this.sessions.resolve(match[1]);
    if (!session) throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
    if (staffRoles) throw new ForbiddenError('This needs a staff session', 'staff_only');
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
