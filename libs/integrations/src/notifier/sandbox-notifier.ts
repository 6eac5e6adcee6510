import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Clock } from '../../../domain/src/clock';
import { newId } from '../../../domain/src/ids';
import { SandboxOutboxMessage } from '../../../persistence/src/entities';
import type { Notification, Notifier } from './notifier.port';

export interface SandboxNotifierOptions {
  /** Simulated delivery latency in ms (min, max). */
  latencyMs?: [number, number];
  random?: () => number;
}

/**
 * Delivers into the `sandbox_outbox_messages` table: what the recipient's phone or mailbox
 * would show. Survives restarts; read by tests and by GET /sandbox/outbox. A message with an
 * expiry (a verification code) is kept no longer than that: it is never shown after it and is
 * deleted at the next delivery or purge.
 */
export class SandboxNotifier implements Notifier {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly options: SandboxNotifierOptions = {},
  ) {}

  async send(message: Notification): Promise<void> {
    const [min, max] = this.options.latencyMs ?? [0, 0];
    if (max > 0) {
      const random = this.options.random ?? Math.random;
      await new Promise((r) => setTimeout(r, min + random() * (max - min)));
    }
    const em = this.orm.em.fork();
    em.create(SandboxOutboxMessage, {
      id: newId(),
      channel: message.channel,
      recipient: message.to,
      subject: message.subject.slice(0, 200),
      body: message.text,
      createdAt: this.clock.now(),
      expiresAt: message.expiresAt ?? null,
    });
    await em.flush();
    await this.purgeExpired();
  }

  /** Deletes the messages whose code has expired; returns how many. */
  async purgeExpired(): Promise<number> {
    return this.orm.em.fork().nativeDelete(SandboxOutboxMessage, { expiresAt: { $lte: this.clock.now() } });
  }
}

/** What a recipient's phone or mailbox shows: the messages received, newest first, none expired. */
export async function sandboxInbox(
  em: EntityManager,
  recipient: string,
  now: Date,
  limit = 20,
): Promise<SandboxOutboxMessage[]> {
  return em.find(
    SandboxOutboxMessage,
    { recipient, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: Math.min(limit, 100) },
  );
}
