import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { ForbiddenError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { sha256Hex } from '../../../../libs/domain/src/ids';
import { StaffSessionsService } from '../staff/staff-sessions.service';

export const ADMIN_TOKEN_HEADER = 'x-admin-token';

/**
 * Operators only: the sandbox admin API admits a staff session of role `operator`
 * (`Authorization: Bearer stf_…`), or `X-Admin-Token: <SANDBOX_ADMIN_TOKEN>` for scripts and
 * tests that have no staff member. Account and sub-user sessions are never enough.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staffSessions: StaffSessionsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const bearer = req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer && StaffSessionsService.isStaffToken(bearer)) {
      const session = await this.staffSessions.resolve(bearer);
      if (!session) throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
      if (session.staff.role !== 'operator') {
        throw new ForbiddenError('This needs one of the roles: operator', 'staff_role_required');
      }
      return true;
    }
    const expected = this.config.sandboxAdmin.token;
    const given = req.header(ADMIN_TOKEN_HEADER) ?? '';
    // Compare digests so the comparison takes the same time whatever the lengths.
    const ok =
      !!expected &&
      timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
    if (!ok) {
      throw new UnauthenticatedError(
        'An operator staff session or a valid X-Admin-Token is required',
        'admin_token_required',
      );
    }
    return true;
  }
}
