import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EntityManager, MikroORM, raw } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  NOTIFIER,
  NotifierRejectedError,
  type Notification,
  type Notifier,
} from '../../../../libs/integrations/src/notifier/notifier.port';
import { NotificationOutboxEntry } from '../../../../libs/persistence/src/entities';
import { enqueueNotice, tellAccountOwner } from '../../../../libs/persistence/src/outbox';

/** A delivery in progress holds its row this long; a process that dies mid-send frees it then. */
const LEASE_MS = 60_000;
/** Waits between attempts: 30 s, 1 min, 2 min … capped at 1 hour. */
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60_000;
const BATCH = 20;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Security notices (CON-1, CON-4: the old address hears of every change; login-method changes)
 * go through a transactional outbox: `enqueue` writes the notice in the transaction of the change
 * it reports, and this dispatcher delivers it afterwards, retrying while the mail system is down.
 * A change therefore never fails because a notice could not be sent, and no notice is lost.
 *
 * Every API process runs a dispatcher; a row is claimed with a conditional UPDATE (a lease), so
 * two processes never send the same notice at once.
 */
@Injectable()
export class NotificationOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NotificationOutbox');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    @Inject(NOTIFIER) private readonly notifier: Notifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Adds the notice to `em`'s unit of work: it is written when the change's transaction commits. */
  enqueue(em: EntityManager, notice: Notification): NotificationOutboxEntry {
    return enqueueNotice(em, this.clock.now(), notice);
  }

  /**
   * A security notice to the account's owner, in `em`'s unit of work: to the security email (or,
   * without one, the registration email) and the security phone, whichever exist.
   */
  tellAccount(
    em: EntityManager,
    account: { email?: string | null; securityEmail?: string | null; securityPhone?: string | null },
    subject: string,
    text: string,
  ): void {
    tellAccountOwner(em, this.clock.now(), account, subject, text);
  }

  /** Asks for a delivery round now (after a commit), without waiting for it. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Delivers every notice that is due; returns how many were handed to the notifier. */
  async dispatchDue(): Promise<number> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    const due = await em.find(
      NotificationOutboxEntry,
      { status: 'pending', nextAttemptAt: { $lte: now } },
      { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: BATCH },
    );
    if (due.length === BATCH) this.again = true; // more may be waiting
    let delivered = 0;
    for (const row of due) {
      const claimed = await em.nativeUpdate(
        NotificationOutboxEntry,
        { id: row.id, status: 'pending', nextAttemptAt: row.nextAttemptAt },
        { nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: raw('attempts + 1') },
      );
      if (claimed !== 1) continue; // another process has it
      const attempts = row.attempts + 1;
      try {
        await this.notifier.send({
          channel: row.channel,
          to: row.recipient,
          subject: row.subject,
          text: row.body,
        });
        await em.nativeUpdate(
          NotificationOutboxEntry,
          { id: row.id },
          { status: 'sent', sentAt: this.clock.now(), lastError: null },
        );
        delivered += 1;
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        if (err instanceof NotifierRejectedError) {
          this.logger.warn(`notice ${row.id} refused for good by the ${row.channel} system: ${message}`);
          await em.nativeUpdate(
            NotificationOutboxEntry,
            { id: row.id },
            { status: 'rejected', lastError: message },
          );
        } else {
          const retryAt = new Date(this.clock.now().getTime() + retryDelayMs(attempts));
          this.logger.warn(
            `notice ${row.id} not delivered (attempt ${attempts}), next try at ${retryAt.toISOString()}: ${message}`,
          );
          await em.nativeUpdate(
            NotificationOutboxEntry,
            { id: row.id },
            { nextAttemptAt: retryAt, lastError: message },
          );
        }
      }
    }
    return delivered;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.notifier.outboxPollMs);
    this.timer.unref();
    this.kick();
  }

  /** Before the database closes: no new round, and the one under way finishes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.dispatchDue();
      } catch (err) {
        // The database may be briefly unreachable; the next round tries again.
        this.logger.error(`delivery round failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    } while (this.again && !this.stopped);
  }
}
