import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, raw } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  CHANGE_PROOF_TTL_MS,
  CODE_MAX_ATTEMPTS,
  CODE_RESEND_COOLDOWN_MS,
  CODE_TTL_MS,
  hashVerificationCode,
  newVerificationCode,
} from '../../../../libs/domain/src/contact';
import { RateLimitedError, ValidationError } from '../../../../libs/domain/src/errors';
import { newId, newToken, sha256Hex } from '../../../../libs/domain/src/ids';
import { NOTIFIER, type Notifier } from '../../../../libs/integrations/src/notifier/notifier.port';
import type { Site } from '../../../../libs/persistence/src/entities';
import { VerificationCode, type CodeChannel } from '../../../../libs/persistence/src/entities';

export interface CodeTarget {
  site: Site;
  /** What the code is for; a code only ever verifies for the same purpose. */
  purpose: string;
  channel: CodeChannel;
  /** Normalised phone or lower-cased email. */
  destination: string;
  /** The account acting (null for sign-up). */
  accountId: number | null;
}

export interface CodeSent {
  expiresAt: Date;
  resendAfterSeconds: number;
}

/**
 * Verification codes (ACC-12, CON-1a, CON-4): 6 digits, stored as a keyed HMAC, valid for 10
 * minutes, 5 tries, one send per destination and purpose every 60 seconds. A newer code
 * replaces the older one. Tries are counted with a conditional UPDATE, so parallel guesses
 * cannot get more than 5.
 */
@Injectable()
export class VerificationCodeService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NOTIFIER) private readonly notifier: Notifier,
  ) {}

  /** Sends a fresh code; `compose` turns the code into the message subject and text. */
  async send(
    target: CodeTarget,
    compose: (code: string) => { subject: string; text: string },
  ): Promise<CodeSent> {
    await this.claimSendSlot(target);
    const now = this.clock.now();
    const code = newVerificationCode();
    const id = newId();
    const row = this.em.create(VerificationCode, {
      id,
      site: target.site,
      purpose: target.purpose,
      channel: target.channel,
      destination: target.destination,
      accountId: target.accountId,
      codeHash: hashVerificationCode(this.config.verificationCodes.secret, id, code),
      sentAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    });
    await this.em.flush();
    const message = compose(code);
    await this.notifier.send({ channel: target.channel, to: target.destination, ...message });
    return { expiresAt: row.expiresAt, resendAfterSeconds: CODE_RESEND_COOLDOWN_MS / 1000 };
  }

  /**
   * Sends a message under the same 60-second cooldown as a code, without a code (e.g. "this
   * email already has an account"), so the answer looks the same either way.
   */
  async sendNotice(target: CodeTarget, message: { subject: string; text: string }): Promise<CodeSent> {
    await this.claimSendSlot(target);
    const now = this.clock.now();
    const id = newId();
    // A row with an unguessable hash keeps the cooldown honest and can never verify.
    this.em.create(VerificationCode, {
      id,
      site: target.site,
      purpose: target.purpose,
      channel: target.channel,
      destination: target.destination,
      accountId: target.accountId,
      codeHash: sha256Hex(newToken('void')),
      sentAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    });
    await this.em.flush();
    await this.notifier.send({ channel: target.channel, to: target.destination, ...message });
    return {
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
      resendAfterSeconds: CODE_RESEND_COOLDOWN_MS / 1000,
    };
  }

  /**
   * Checks a code and uses it up. Wrong, expired, used-up and unknown codes are refused with a
   * 400 on `field` (`code_invalid` with the tries left, `code_expired`, `code_attempts_exhausted`).
   */
  async verify(target: CodeTarget, code: string, field = 'code'): Promise<VerificationCode> {
    const now = this.clock.now();
    const row = await this.em.findOne(
      VerificationCode,
      {
        site: target.site,
        purpose: target.purpose,
        destination: target.destination,
        accountId: target.accountId,
        consumedAt: null,
        supersededAt: null,
      },
      { orderBy: { sentAt: 'desc', id: 'desc' } },
    );
    if (!row || row.expiresAt.getTime() <= now.getTime()) {
      throw new ValidationError(
        field,
        'The code has expired or was never sent; request a new one',
        'code_expired',
      );
    }
    // rule ACC-12: at most 5 tries per code, counted atomically.
    const counted = await this.em.nativeUpdate(
      VerificationCode,
      { id: row.id, attempts: { $lt: CODE_MAX_ATTEMPTS }, consumedAt: null },
      { attempts: raw('attempts + 1') },
    );
    if (counted === 0) {
      throw new ValidationError(field, 'Too many wrong codes; request a new one', 'code_attempts_exhausted');
    }
    const given = hashVerificationCode(this.config.verificationCodes.secret, row.id, code);
    const matches = timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(row.codeHash, 'hex'));
    if (!matches) {
      const fresh = await this.em.fork().findOne(VerificationCode, { id: row.id });
      const attemptsLeft = Math.max(0, CODE_MAX_ATTEMPTS - (fresh?.attempts ?? CODE_MAX_ATTEMPTS));
      if (attemptsLeft === 0) {
        throw new ValidationError(
          field,
          'Too many wrong codes; request a new one',
          'code_attempts_exhausted',
        );
      }
      throw new ValidationError(field, 'The code is wrong', 'code_invalid', { attemptsLeft });
    }
    const used = await this.em.nativeUpdate(
      VerificationCode,
      { id: row.id, consumedAt: null },
      { consumedAt: now },
    );
    if (used === 0) {
      throw new ValidationError(field, 'The code has already been used; request a new one', 'code_expired');
    }
    row.consumedAt = now;
    return row;
  }

  /** After the first step of a two-step change: a proof the second step must present. */
  async issueProof(row: VerificationCode): Promise<{ proof: string; expiresAt: Date }> {
    const proof = newToken('chg');
    const expiresAt = new Date(this.clock.now().getTime() + CHANGE_PROOF_TTL_MS);
    await this.em.nativeUpdate(
      VerificationCode,
      { id: row.id },
      { proofHash: sha256Hex(proof), proofExpiresAt: expiresAt },
    );
    return { proof, expiresAt };
  }

  /** True when `proof` is a live, unspent proof of `purpose` for the account. */
  async checkProof(accountId: number, purpose: string, proof: string | undefined): Promise<boolean> {
    if (!proof) return false;
    const row = await this.em.findOne(VerificationCode, {
      proofHash: sha256Hex(proof),
      accountId,
      purpose,
      proofUsedAt: null,
      proofExpiresAt: { $gt: this.clock.now() },
    });
    return row !== null;
  }

  /** Spends a proof (single use); pass the transaction's EntityManager. Returns false if not live. */
  async spendProof(
    em: EntityManager,
    accountId: number,
    purpose: string,
    proof: string | undefined,
  ): Promise<boolean> {
    if (!proof) return false;
    const now = this.clock.now();
    const spent = await em.nativeUpdate(
      VerificationCode,
      { proofHash: sha256Hex(proof), accountId, purpose, proofUsedAt: null, proofExpiresAt: { $gt: now } },
      { proofUsedAt: now },
    );
    return spent === 1;
  }

  /**
   * rule ACC-12: one send per destination and purpose every 60 seconds. The previous live code
   * is replaced. Refusal is a 429 with Retry-After.
   */
  private async claimSendSlot(target: CodeTarget): Promise<void> {
    const now = this.clock.now();
    const last = await this.em.findOne(
      VerificationCode,
      { site: target.site, purpose: target.purpose, destination: target.destination },
      { orderBy: { sentAt: 'desc', id: 'desc' } },
    );
    if (last) {
      const wait = last.sentAt.getTime() + CODE_RESEND_COOLDOWN_MS - now.getTime();
      if (wait > 0) {
        throw new RateLimitedError(
          Math.ceil(wait / 1000),
          'A code was sent moments ago; wait before asking for another',
          'code_cooldown',
        );
      }
    }
    await this.em.nativeUpdate(
      VerificationCode,
      {
        site: target.site,
        purpose: target.purpose,
        destination: target.destination,
        accountId: target.accountId,
        consumedAt: null,
        supersededAt: null,
      },
      { supersededAt: now },
    );
  }
}
