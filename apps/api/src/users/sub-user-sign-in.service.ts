import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, MINUTE_MS, type Clock } from '../../../../libs/domain/src/clock';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { newId, newToken, sha256Hex } from '../../../../libs/domain/src/ids';
import {
  MfaChallenge,
  Session,
  SubUser,
  type LoginMethod,
  type LoginResult,
} from '../../../../libs/persistence/src/entities';
import { LoginHistoryService, type LoginContext } from '../auth/login-history.service';
import { PasswordHasher } from '../auth/password-hasher';
import { SignInProtectionService } from '../auth/sign-in-protection.service';
import { MFA_CHALLENGE_MAX_FAILURES, MFA_CHALLENGE_TTL_MS } from '../auth/sign-in.service';
import { SubUserMfaService } from './sub-user-mfa.service';

export interface SubUserSignInInput {
  accountId: number;
  username: string;
  password: string;
  captcha?: { challengeId: string; answer: string };
}

export interface SignInMeta {
  ip?: string | null;
  userAgent?: string | null;
}

export interface SubUserSession {
  kind: 'session';
  token: string;
  subUserId: string;
  accountId: number;
  expiresAt: string;
}

export type SubUserSignInOutcome =
  SubUserSession | { kind: 'mfa_required'; challengeId: string; expiresAt: string };

/**
 * ACC-9: a sub-user signs in with the root account ID, its username and its password, protected
 * like an owner's password sign-in (CON-2) but counted per sub-user: failures per Asia/Shanghai
 * day, a captcha from the 4th attempt, a 24-hour lock at the 10th. An unknown sub-user is
 * counted, gated and locked under the hash of `accountId:username`, so the answers never tell
 * an unknown sub-user from a wrong password. A sub-user with a bound MFA device of its own gets
 * a challenge instead of a session (MFA-2), completed with a code at POST /sub-users/sessions/mfa.
 */
@Injectable()
export class SubUserSignInService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly protection: SignInProtectionService,
    private readonly mfa: SubUserMfaService,
    private readonly history: LoginHistoryService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static subject(subUserId: string): string {
    return `sub_user:${subUserId}`;
  }

  async signIn(input: SubUserSignInInput, meta: SignInMeta): Promise<SubUserSignInOutcome> {
    const found = await this.em.findOne(
      SubUser,
      { account: input.accountId, username: input.username },
      { populate: ['passwordHash', 'account'] },
    );
    // A sub-user of an account that is not active cannot sign in: treated as unknown.
    const subUser = found && found.account.status === 'active' ? found : null;
    const subject = subUser
      ? SubUserSignInService.subject(subUser.id)
      : SignInProtectionService.unknownSubject(`sub_user:${input.accountId}:${input.username}`);
    // rule ACC-13: attempts on a known sub-user are kept, under its root account and apart from the owner's.
    const ctx: LoginContext = { method: 'password', ...meta, subUserId: subUser?.id };
    const note = async (result: LoginResult) => {
      if (subUser) await this.history.record(subUser.account.id, result, ctx);
    };

    // rule CON-2: the attempt is counted, and lock and captcha checked, before the password is.
    const attempt = await this.protection.admit(subject, input.captcha, note);

    const ok = await this.hasher.verify(subUser?.passwordHash, input.password);
    if (!subUser || !ok) return this.protection.refuse(attempt, note, 'Wrong account, username or password');
    await this.protection.release(attempt);
    // rule MFA-2: with its own device bound, the password only opens a challenge.
    if (await this.mfa.hasBoundDevice(subUser.id)) {
      const now = this.clock.now();
      const challenge = {
        id: newId(),
        account: subUser.account.id,
        subUser: subUser.id,
        method: 'password',
        createdAt: now,
        expiresAt: new Date(now.getTime() + MFA_CHALLENGE_TTL_MS),
        ip: meta.ip?.slice(0, 64) ?? null,
        userAgent: meta.userAgent?.slice(0, 512) ?? null,
      };
      await this.em.fork().insert(MfaChallenge, challenge);
      await note('mfa_required');
      return {
        kind: 'mfa_required',
        challengeId: challenge.id,
        expiresAt: challenge.expiresAt.toISOString(),
      };
    }
    return this.issue(subUser, ctx);
  }

  /** rule MFA-2: the second step. Only a valid code from the sub-user's own device completes it. */
  async completeMfa(challengeId: string, code: string, meta: SignInMeta): Promise<SubUserSession> {
    const now = this.clock.now();
    const invalid = () =>
      new UnauthenticatedError(
        'The sign-in challenge is unknown, used or expired: sign in again',
        'mfa_challenge_invalid',
      );
    // Only a sub-user's challenge: an owner's is completed at POST /sessions/mfa.
    const challenge = await this.em.findOne(
      MfaChallenge,
      { id: challengeId, subUser: { $ne: null } },
      { populate: ['account', 'subUser'] },
    );
    const subUser = challenge?.subUser;
    if (
      !challenge ||
      !subUser ||
      challenge.completedAt ||
      challenge.expiresAt.getTime() <= now.getTime() ||
      challenge.failedAttempts >= MFA_CHALLENGE_MAX_FAILURES
    ) {
      throw invalid();
    }
    const ctx: LoginContext = {
      method: challenge.method as LoginMethod,
      ip: meta.ip ?? challenge.ip,
      userAgent: meta.userAgent ?? challenge.userAgent,
      subUserId: subUser.id,
    };
    const check = await this.mfa.verifyCode(subUser.id, code);
    if (check !== 'ok') {
      await this.history.record(challenge.account.id, 'mfa_failed', ctx);
      await this.em.nativeUpdate(
        MfaChallenge,
        { id: challenge.id },
        { failedAttempts: challenge.failedAttempts + 1 },
      );
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
    if (challenge.account.status !== 'active') throw invalid();
    return this.issue(subUser, ctx);
  }

  private async issue(subUser: SubUser, meta: LoginContext): Promise<SubUserSession> {
    const now = this.clock.now();
    const token = newToken('acs');
    const session = this.em.create(Session, {
      id: newId(),
      account: subUser.account,
      subUser,
      tokenHash: sha256Hex(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessions.ttlMinutes * MINUTE_MS),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    });
    await this.em.flush();
    await this.history.record(subUser.account.id, 'success', meta);
    return {
      kind: 'session',
      token,
      subUserId: subUser.id,
      accountId: subUser.account.id,
      expiresAt: session.expiresAt.toISOString(),
    };
  }
}
