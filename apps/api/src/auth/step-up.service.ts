import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { NotFoundError, RuleViolationError, ValidationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { Account, StepUpProof, type ProofFactor } from '../../../../libs/persistence/src/entities';
import { MfaVerifier } from '../mfa/mfa-verifier.service';
import { PasswordHasher } from './password-hasher';
import type { OwnerPrincipal } from './principal';
import { SignInProtectionService } from './sign-in-protection.service';
import { STEP_UP_TTL_MS } from './step-up';

export { STEP_UP_TTL_MS };

/** What a step-up proves with: the current password, or a code of a bound MFA device. */
export type StepUpEvidence = { code: string; password?: undefined } | { password: string; code?: undefined };

/**
 * Recent authentication, bound to the session that gave it (ASVS 7.5.1, rule MFA-3): the
 * sign-in that opened the session, or a step-up, counts for 5 minutes.
 */
@Injectable()
export class StepUpService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly mfa: MfaVerifier,
    private readonly hasher: PasswordHasher,
    private readonly protection: SignInProtectionService,
  ) {}

  async prove(
    principal: OwnerPrincipal,
    evidence: StepUpEvidence,
  ): Promise<{ expiresAt: Date; factor: ProofFactor }> {
    const factor =
      evidence.code !== undefined
        ? await this.proveCode(principal, evidence.code)
        : await this.provePassword(principal, evidence.password);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + STEP_UP_TTL_MS);
    await this.em
      .fork()
      .insert(StepUpProof, { id: newId(), session: principal.sessionId, factor, createdAt: now, expiresAt });
    return { expiresAt, factor };
  }

  /** The factors this session proved within the last 5 minutes. */
  async freshFactors(sessionId: string): Promise<Set<ProofFactor>> {
    const rows = await this.em.find(
      StepUpProof,
      { session: sessionId, expiresAt: { $gt: this.clock.now() } },
      { fields: ['factor'] },
    );
    return new Set(rows.map((r) => r.factor));
  }

  private async proveCode(principal: OwnerPrincipal, code: string): Promise<ProofFactor> {
    const check = await this.mfa.verifyAccountCode(principal.accountId, code);
    if (check === 'no_device') {
      throw new RuleViolationError('MFA-3', 'mfa_device_required', 'Bind an MFA device first', {
        field: 'code',
      });
    }
    if (check !== 'ok') {
      throw new ValidationError('code', 'The code is wrong or was already used', 'mfa_code_invalid', {
        rule: 'MFA-3',
      });
    }
    return 'mfa';
  }

  /** rule CON-2: a wrong password here counts like a wrong sign-in (counted before it is checked). */
  private async provePassword(principal: OwnerPrincipal, password: string): Promise<ProofFactor> {
    const account = await this.em.findOne(
      Account,
      { id: principal.accountId, status: 'active' },
      { populate: ['passwordHash'] },
    );
    if (!account) throw new NotFoundError('Account');
    const right = await this.protection.countedCheck(SignInProtectionService.accountSubject(account.id), () =>
      this.hasher.verify(account.passwordHash ?? undefined, password),
    );
    if (!right) throw new ValidationError('password', 'The password is wrong', 'password_invalid');
    return 'password';
  }
}
