import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { CLOCK, DAY_MS, type Clock } from '../../../../libs/domain/src/clock';
import {
  MfaChallenge,
  RateLimitHit,
  RateLimitWindow,
  SandboxCaptchaChallenge,
  SandboxOutboxMessage,
  SignInFailureDay,
  StepUpProof,
} from '../../../../libs/persistence/src/entities';

/** How long spent rows are kept after they stop mattering (for support to look at). */
const KEEP_MS = DAY_MS;

/**
 * Deletes rows that only ever grow and stop mattering: answered or expired captchas, expired MFA
 * challenges and step-up proofs, past rate-limit windows and hits, CON-2 failure counts of days
 * long gone whose lock is over, and sandbox outbox messages whose code expired. Runs in every API
 * process every PURGE_INTERVAL_MS; deletes are idempotent, so processes need no coordination.
 */
@Injectable()
export class PurgeService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Purge');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.purge()
        .catch((err: unknown) =>
          this.logger.warn(`purge failed: ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.purgeIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One purge round; returns how many rows of each kind went. */
  async purge(): Promise<Record<string, number>> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    const before = new Date(now.getTime() - KEEP_MS);
    // A day's failure count matters for that day and for a lock begun then (24 hours at most).
    const lastCountedDay = BusinessCalendar.localDate(new Date(now.getTime() - 2 * DAY_MS));
    const purged = {
      captchas: await em.nativeDelete(SandboxCaptchaChallenge, { expiresAt: { $lt: before } }),
      mfaChallenges: await em.nativeDelete(MfaChallenge, { expiresAt: { $lt: before } }),
      stepUpProofs: await em.nativeDelete(StepUpProof, { expiresAt: { $lt: before } }),
      rateLimitWindows: await em.nativeDelete(RateLimitWindow, { windowStart: { $lt: before } }),
      rateLimitHits: await em.nativeDelete(RateLimitHit, { at: { $lt: before } }),
      failureDays: await em.nativeDelete(SignInFailureDay, {
        localDate: { $lt: lastCountedDay },
        $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }],
      }),
      expiredCodeMessages: await em.nativeDelete(SandboxOutboxMessage, { expiresAt: { $lte: now } }),
    };
    const total = Object.values(purged).reduce((a, b) => a + b, 0);
    if (total > 0) this.logger.log(`purged ${JSON.stringify(purged)}`);
    return purged;
  }
}

@Module({ providers: [PurgeService], exports: [PurgeService] })
export class MaintenanceModule {}
