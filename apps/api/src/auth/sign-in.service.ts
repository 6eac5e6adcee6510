import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, MINUTE_MS, type Clock } from '../../../../libs/domain/src/clock';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import {
  Account,
  MfaChallenge,
  type LoginMethod,
  type ProofFactor,
} from '../../../../libs/persistence/src/entities';
import { loginMethodAdvice, type Advice } from '../../../../libs/persistence/src/login-advice';
import { MfaVerifier } from '../mfa/mfa-verifier.service';
import { LoginHistoryService } from './login-history.service';
import { SessionService } from './session.service';

export type { LoginMethod };

export type SignInOutcome =
  | { kind: 'session'; token: string; accountId: number; expiresAt: string; advice: Advice[] }
  | { kind: 'mfa_required'; challengeId: string; expiresAt: string };

export interface SignInContext {
  method: LoginMethod;
  ip?: string | null;
  userAgent?: string | null;
}

/** rule MFA-2: how long the second step of a protected sign-in may take. */
export const MFA_CHALLENGE_TTL_MS = 5 * MINUTE_MS;
/** Wrong codes one challenge tolerates before the sign-in must start over. */
export const MFA_CHALLENGE_MAX_FAILURES = 5;

/**
 * The last step of every sign-in method, once the first factor is proven (password, QQ, WeChat,
 * Official Account, …): applies login protection (MFA-2), records login history (ACC-13) and
 * issues a fresh session token (ACC-14).
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sessions: SessionService,
    private readonly history: LoginHistoryService,
    private readonly mfa: MfaVerifier,
  ) {}

  async complete(account: Account, ctx: SignInContext): Promise<SignInOutcome> {
    // rule CAN-2: a cancelled account cannot sign in.
    if (account.status !== 'active') {
      throw new UnauthenticatedError('Wrong account or password', 'invalid_credentials');
    }
    const settings = await this.mfa.settings(account.id);
    // rule MFA-2: with login protection on, the first factor only opens a challenge.
    if (settings.loginProtection && (await this.mfa.confirmedDevices(account.id)).length > 0) {
      const now = this.clock.now();
      const challenge = {
        id: newId(),
        account: account.id,
        method: ctx.method,
        createdAt: now,
        expiresAt: new Date(now.getTime() + MFA_CHALLENGE_TTL_MS),
        ip: ctx.ip?.slice(0, 64) ?? null,
        userAgent: ctx.userAgent?.slice(0, 512) ?? null,
      };
      await this.em.fork().insert(MfaChallenge, challenge);
      await this.history.record(account.id, 'mfa_required', ctx);
      return {
        kind: 'mfa_required',
        challengeId: challenge.id,
        expiresAt: challenge.expiresAt.toISOString(),
      };
    }
    // The first factor just proven counts as this session's recent authentication (ASVS 7.5.1).
    return this.issue(
      account,
      ctx,
      ctx.method === 'password' || ctx.method === 'email_code' ? 'password' : 'identity',
    );
  }

  /** rule MFA-2: the second step. Only a valid code on a live challenge completes the sign-in. */
  async completeMfa(
    challengeId: string,
    code: string,
    meta: { ip?: string | null; userAgent?: string | null },
  ): Promise<Extract<SignInOutcome, { kind: 'session' }>> {
    const now = this.clock.now();
    const invalid = () =>
      new UnauthenticatedError(
        'The sign-in challenge is unknown, used or expired: sign in again',
        'mfa_challenge_invalid',
      );
    // A sub-user's challenge is completed only at POST /sub-users/sessions/mfa (ACC-9).
    const challenge = await this.em.findOne(
      MfaChallenge,
      { id: challengeId, subUser: null },
      { populate: ['account'] },
    );
    if (
      !challenge ||
      challenge.completedAt ||
      challenge.expiresAt.getTime() <= now.getTime() ||
      challenge.failedAttempts >= MFA_CHALLENGE_MAX_FAILURES
    ) {
      throw invalid();
    }
    const account = challenge.account;
    const ctx: SignInContext = {
      method: challenge.method as LoginMethod,
      ip: meta.ip ?? challenge.ip,
      userAgent: meta.userAgent ?? challenge.userAgent,
    };
    const check = await this.mfa.verifyAccountCode(account.id, code);
    if (check !== 'ok') {
      await this.em.nativeUpdate(
        MfaChallenge,
        { id: challenge.id },
        { failedAttempts: challenge.failedAttempts + 1 },
      );
      await this.history.record(account.id, 'mfa_failed', ctx);
      throw new UnauthenticatedError('The code is wrong or was already used', 'mfa_code_invalid', {
        rule: 'MFA-2',
        attemptsLeft: Math.max(0, MFA_CHALLENGE_MAX_FAILURES - challenge.failedAttempts - 1),
      });
    }
    // Single use: only the request that marks the challenge completed goes on.
    const claimed = await this.em.nativeUpdate(
      MfaChallenge,
      { id: challenge.id, completedAt: null },
      { completedAt: now },
    );
    if (claimed !== 1) throw invalid();
    return this.issue(account, ctx, 'mfa');
  }

  private async issue(
    account: Account,
    ctx: SignInContext,
    proof: ProofFactor,
  ): Promise<Extract<SignInOutcome, { kind: 'session' }>> {
    if (account.status !== 'active') {
      throw new UnauthenticatedError('Wrong account or password', 'invalid_credentials');
    }
    const issued = await this.sessions.issue(account, { ip: ctx.ip, userAgent: ctx.userAgent }, proof);
    await this.history.record(account.id, 'success', ctx);
    return {
      kind: 'session',
      token: issued.token,
      accountId: account.id,
      expiresAt: issued.expiresAt.toISOString(),
      // rule LOG-2: the sign-in answer advises a second login method while there is one only.
      advice: await loginMethodAdvice(this.em, account.id),
    };
  }
}
