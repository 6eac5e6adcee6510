import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, MINUTE_MS, type Clock } from '../../../../libs/domain/src/clock';
import { RuleViolationError, ValidationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { StepUpProof } from '../../../../libs/persistence/src/entities';
import { MfaVerifier } from '../mfa/mfa-verifier.service';
import type { OwnerPrincipal } from './principal';

/** rule MFA-3: how long a second factor proven in a session counts as fresh. */
export const STEP_UP_TTL_MS = 5 * MINUTE_MS;

/** rule MFA-3: a fresh second factor, bound to the session that proved it. */
@Injectable()
export class StepUpService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly mfa: MfaVerifier,
  ) {}

  async prove(principal: OwnerPrincipal, code: string): Promise<{ expiresAt: Date }> {
    const check = await this.mfa.verifyAccountCode(principal.accountId, code);
    if (check === 'no_device') {
      throw new RuleViolationError('MFA-3', 'mfa_device_required', 'Bind an MFA device first');
    }
    if (check !== 'ok') {
      throw new ValidationError('code', 'The code is wrong or was already used', 'mfa_code_invalid', {
        rule: 'MFA-3',
      });
    }
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + STEP_UP_TTL_MS);
    await this.em
      .fork()
      .insert(StepUpProof, { id: newId(), session: principal.sessionId, createdAt: now, expiresAt });
    return { expiresAt };
  }

  async isFresh(sessionId: string): Promise<boolean> {
    const n = await this.em.count(StepUpProof, { session: sessionId, expiresAt: { $gt: this.clock.now() } });
    return n > 0;
  }
}
