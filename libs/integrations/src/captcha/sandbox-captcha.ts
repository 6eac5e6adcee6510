import { randomInt, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { Clock } from '../../../domain/src/clock';
import { newId } from '../../../domain/src/ids';
import { SandboxCaptchaChallenge } from '../../../persistence/src/entities/sandbox-captcha.entity';
import type { Captcha, CaptchaChallenge } from './captcha.port';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface SandboxCaptchaOptions {
  ttlSeconds: number;
}

/**
 * Behaves like a hosted captcha: challenges expire, each is verified at most once (right or
 * wrong), answers are case-insensitive. The answer stands in for the distorted image a person
 * would read: it is only available through `answerOf` (the /sandbox/captcha route), never in the
 * API's own responses.
 */
export class SandboxCaptcha implements Captcha {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly options: SandboxCaptchaOptions,
  ) {}

  async issue(): Promise<CaptchaChallenge> {
    const now = this.clock.now();
    const answer = Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const row = {
      id: newId(),
      answer,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.options.ttlSeconds * 1000),
    };
    await this.orm.em.fork().insert(SandboxCaptchaChallenge, row);
    return {
      challengeId: row.id,
      expiresAt: row.expiresAt,
      prompt: `Sandbox captcha: read the answer at GET /sandbox/captcha/${row.id}`,
    };
  }

  async verify(challengeId: string, answer: string): Promise<boolean> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    const row = await em.findOne(SandboxCaptchaChallenge, { id: challengeId });
    if (!row || row.usedAt || row.expiresAt.getTime() <= now.getTime()) return false;
    // Single use: only the verification that marks it used may succeed.
    const claimed = await em.nativeUpdate(
      SandboxCaptchaChallenge,
      { id: challengeId, usedAt: null },
      { usedAt: now },
    );
    if (claimed !== 1) return false;
    const given = Buffer.from(answer.trim().toUpperCase());
    const expected = Buffer.from(row.answer);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The sandbox's stand-in for a person reading the image. Null when unknown, used or expired. */
  async answerOf(challengeId: string): Promise<string | null> {
    const row = await this.orm.em.fork().findOne(SandboxCaptchaChallenge, { id: challengeId });
    if (!row || row.usedAt || row.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    return row.answer;
  }
}
