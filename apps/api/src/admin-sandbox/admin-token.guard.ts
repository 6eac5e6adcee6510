import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { sha256Hex } from '../../../../libs/domain/src/ids';

export const ADMIN_TOKEN_HEADER = 'x-admin-token';

/**
 * Operators only: the sandbox admin API needs `X-Admin-Token: <SANDBOX_ADMIN_TOKEN>`. (Staff
 * principals with an operator role can replace this once they exist.)
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const expected = this.config.sandboxAdmin.token;
    const given = ctx.switchToHttp().getRequest<Request>().header(ADMIN_TOKEN_HEADER) ?? '';
    // Compare digests so the comparison takes the same time whatever the lengths.
    const ok =
      !!expected &&
      timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
    if (!ok) throw new UnauthenticatedError('A valid X-Admin-Token is required', 'admin_token_required');
    return true;
  }
}
