import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { CASE_TOKEN_HEADER } from './appeals.dto';
import { AppealsService, type CaseCaller } from './appeals.service';

interface CaseRequest extends Request {
  caseCaller?: CaseCaller;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Case routes admit the case's owner (their session) or the holder of its case token. Checked
 * as a guard, before the body is read or validated: who may not see the case learns nothing
 * about what the request would have done (401 without credentials, 404 for another's case).
 */
@Injectable()
export class CaseCallerGuard implements CanActivate {
  constructor(private readonly appeals: AppealsService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<CaseRequest>();
    const raw = req.params['caseId'];
    const caseId = typeof raw === 'string' && ULID.test(raw) ? raw : '';
    // Credentials first (401 without them), then the case (404 when it is not the caller's).
    req.caseCaller = await this.appeals.caller(
      req.header('authorization'),
      req.header(CASE_TOKEN_HEADER),
      caseId,
    );
    if (!caseId) throw new NotFoundError('Appeal');
    return true;
  }
}

/** The caller the CaseCallerGuard admitted. */
export const CurrentCaseCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): CaseCaller => {
  const caller = ctx.switchToHttp().getRequest<CaseRequest>().caseCaller;
  if (!caller) throw new NotFoundError('Appeal');
  return caller;
});
