import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, raw, type QueryResult } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
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
import {
  RateLimitedError,
  ServiceUnavailableError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { newId, newToken, sha256Hex } from '../../../../libs/domain/src/ids';
import {
  NOTIFIER,
  NotifierRejectedError,
  NotifierUnavailableError,
  type Notifier,
} from '../../../../libs/integrations/src/notifier/notifier.port';
import type { Site } from '../../../../libs/persistence/src/entities';
import { CodeSendSlot, VerificationCode, type CodeChannel } from '../../../../libs/persistence/src/entities';

export interface CodeTarget {
  site: Site;
  /** What the code is for; a code only ever verifies for the same purpose. */
  purpose: string;
  channel: CodeChannel;
  /** Normalised phone or lower-cased email. */
  destination: string;
  /** The account acting (null for sign-up). */
  accountId: number | null;
  /** The request field holding the destination, named when the destination is refused. */
  field?: string;
}

/** How long a client should wait after the notifier was down before asking again. */
const NOTIFIER_RETRY_AFTER_SECONDS = 30;

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
    const slot = await this.claimSendSlot(target);
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
    await this.deliver(target, slot, id, { ...compose(code), expiresAt: row.expiresAt });
    return { expiresAt: row.expiresAt, resendAfterSeconds: CODE_RESEND_COOLDOWN_MS / 1000 };
  }

  /**
   * Sends a message under the same 60-second cooldown as a code, without a code (e.g. "this
   * email already has an account"), so the answer looks the same either way.
   */
  async sendNotice(target: CodeTarget, message: { subject: string; text: string }): Promise<CodeSent> {
    const slot = await this.claimSendSlot(target);
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
    await this.deliver(target, slot, id, message);
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
   * Hands the message to the notifier. When it cannot be delivered, nothing of the send is kept:
   * the new code goes and the cooldown is given back, so the owner can ask again at once. A
   * refused address is a 400 naming the field; a notifier that is down is a 503 with Retry-After.
   */
  private async deliver(
    target: CodeTarget,
    slot: SendSlot,
    codeId: string,
    message: { subject: string; text: string; expiresAt?: Date },
  ): Promise<void> {
    try {
      await this.notifier.send({ channel: target.channel, to: target.destination, ...message });
    } catch (err) {
      await this.em.nativeDelete(VerificationCode, { id: codeId });
      await this.em.nativeUpdate(
        CodeSendSlot,
        { key: slot.key, lastSentAt: slot.claimedAt },
        { lastSentAt: new Date(0) },
      );
      if (err instanceof NotifierRejectedError) {
        const field = target.field ?? (target.channel === 'email' ? 'email' : 'phone');
        throw new ValidationError(
          field,
          target.channel === 'email'
            ? 'The mail server refused this address; check it'
            : 'This number cannot receive messages; check it',
          'destination_refused',
        );
      }
      if (err instanceof NotifierUnavailableError) {
        throw new ServiceUnavailableError(
          NOTIFIER_RETRY_AFTER_SECONDS,
          'The message could not be sent just now; nothing was kept, try again shortly',
          'notifier_unavailable',
          { cause: err },
        );
      }
      throw err;
    }
  }

  /**
   * rule ACC-12: one send per destination and purpose every 60 seconds, claimed atomically: the
   * slot row is inserted if absent, else moved forward only when the cooldown has passed, so of
   * two simultaneous sends exactly one goes out. The previous live code is replaced. Refusal is
   * a 429 with Retry-After.
   */
  private async claimSendSlot(target: CodeTarget): Promise<SendSlot> {
    const now = this.clock.now();
    const key = `${target.site}:${target.purpose}:${target.destination}`;
    const inserted = await (this.em as SqlEntityManager)
      .createQueryBuilder(CodeSendSlot)
      .insert({ key, lastSentAt: now })
      .onConflict('key')
      .ignore()
      .execute<QueryResult<CodeSendSlot>>('run');
    if (inserted.affectedRows === 0) {
      const moved = await this.em.nativeUpdate(
        CodeSendSlot,
        { key, lastSentAt: { $lte: new Date(now.getTime() - CODE_RESEND_COOLDOWN_MS) } },
        { lastSentAt: now },
      );
      if (moved === 0) {
        const slot = await this.em.fork().findOne(CodeSendSlot, { key });
        const wait = (slot?.lastSentAt.getTime() ?? now.getTime()) + CODE_RESEND_COOLDOWN_MS - now.getTime();
        throw new RateLimitedError(
          Math.max(1, Math.ceil(wait / 1000)),
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
    return { key, claimedAt: now };
  }
}

interface SendSlot {
  key: string;
  claimedAt: Date;
}
