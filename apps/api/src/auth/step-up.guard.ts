import {
  Injectable,
  UseGuards,
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ForbiddenError } from '../../../../libs/domain/src/errors';
import { MfaVerifier } from '../mfa/mfa-verifier.service';
import type { AuthenticatedRequest } from './principal';
import { StepUpService } from './step-up.service';

/**
 * rule MFA-3: with operation protection on, the request needs a second factor proven in this
 * session within the last 5 minutes (POST /sessions/current/step-up). With it off, it passes.
 * Other principal kinds pass through to the handler, whose own decorators decide.
 */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(
    private readonly mfa: MfaVerifier,
    private readonly stepUp: StepUpService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal?.kind !== 'account') return true;
    const { operationProtection } = await this.mfa.settings(principal.accountId);
    if (!operationProtection) return true;
    if (await this.stepUp.isFresh(principal.sessionId)) return true;
    throw new ForbiddenError(
      'Operation protection is on: confirm with an MFA code first (POST /sessions/current/step-up)',
      'step_up_required',
      { rule: 'MFA-3' },
    );
  }
}

/** Marks a sensitive owner endpoint (MFA-3): needs a fresh step-up when operation protection is on. */
export const RequiresStepUp = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(StepUpGuard),
    ApiResponse({
      status: 403,
      description:
        'step_up_required (MFA-3): operation protection is on and no fresh second factor in this session',
    }),
  );
