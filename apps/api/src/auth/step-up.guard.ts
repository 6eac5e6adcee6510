import {
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import { ForbiddenError } from '../../../../libs/domain/src/errors';
import { MfaVerifier } from '../mfa/mfa-verifier.service';
import type { AuthenticatedRequest } from './principal';
import { StepUpService } from './step-up.service';

export interface StepUpOptions {
  /**
   * The handler itself checks the current password from the body (a password change): without
   * operation protection that is the proof, and the guard lets it through.
   */
  currentPasswordInBody?: boolean;
}

const STEP_UP_OPTIONS = Symbol('step-up-options');

/**
 * Re-authentication before a sensitive change (ASVS 7.5.1, rule MFA-3): the session must have
 * proven who is behind it within the last 5 minutes — its sign-in, or POST
 * /sessions/current/step-up with the password or an MFA code — whether or not operation
 * protection is on. With operation protection on, the proof must be the second factor. Other
 * principal kinds pass through to the handler, whose own decorators decide.
 */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(
    private readonly mfa: MfaVerifier,
    private readonly stepUp: StepUpService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal?.kind !== 'account') return true;
    const options = this.reflector.get<StepUpOptions | undefined>(STEP_UP_OPTIONS, ctx.getHandler()) ?? {};
    const { operationProtection } = await this.mfa.settings(principal.accountId);
    if (!operationProtection && options.currentPasswordInBody) return true;
    const fresh = await this.stepUp.freshFactors(principal.sessionId);
    if (operationProtection ? fresh.has('mfa') : fresh.size > 0) return true;
    throw new ForbiddenError(
      operationProtection
        ? 'Operation protection is on: confirm with an MFA code first (POST /sessions/current/step-up)'
        : 'Confirm it is you first: your password or an MFA code (POST /sessions/current/step-up)',
      'step_up_required',
      { rule: 'MFA-3', accepts: operationProtection ? ['code'] : ['password', 'code'] },
    );
  }
}

/**
 * Marks a sensitive owner endpoint: it needs a recent authentication in this session (ASVS
 * 7.5.1), the second factor when operation protection is on (MFA-3).
 */
export const RequiresStepUp = (options: StepUpOptions = {}): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(STEP_UP_OPTIONS, options),
    UseGuards(StepUpGuard),
    ApiResponse({
      status: 403,
      description:
        'step_up_required (MFA-3): no recent authentication in this session (sign-in or step-up within 5 minutes; with operation protection on, an MFA code)',
    }),
  );
