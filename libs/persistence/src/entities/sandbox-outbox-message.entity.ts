import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The sandbox notifier's outbox: every SMS and email it "delivered", as the recipient's phone
 * or mailbox would show it. Only the sandbox adapter writes it; tests and /sandbox/outbox read it.
 */
@Entity({ tableName: 'sandbox_outbox_messages' })
@Index({ name: 'sandbox_outbox_messages_to_idx', properties: ['recipient', 'createdAt'] })
@Index({ name: 'sandbox_outbox_messages_expires_idx', properties: ['expiresAt'] })
export class SandboxOutboxMessage {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Enum({ items: ['sms', 'email'], type: 'string', length: 8 })
  channel!: 'sms' | 'email';

  @Property({ type: 'string', length: 254 })
  recipient!: string;

  @Property({ type: 'string', length: 200 })
  subject!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** A code's expiry: the message is deleted then (null: a notice, kept). */
  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;
}
