import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type OutboxStatus = 'pending' | 'sent' | 'rejected';

/**
 * A security notice waiting to be delivered ("your security phone was changed"). Written in the
 * same transaction as the change it reports, then delivered by the API's dispatcher with retries,
 * so a mail system that is down neither fails the change nor loses the notice.
 */
@Entity({ tableName: 'notification_outbox' })
@Index({ name: 'notification_outbox_due_idx', properties: ['status', 'nextAttemptAt'] })
export class NotificationOutboxEntry {
  [OptionalProps]?: 'status' | 'attempts' | 'sentAt' | 'lastError';

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

  @Enum({ items: ['pending', 'sent', 'rejected'], type: 'string', length: 12 })
  status: OutboxStatus = 'pending';

  @Property({ type: 'integer' })
  attempts = 0;

  /** When the dispatcher may next try; while one tries, the lease end. */
  @Property({ type: 'datetime' })
  nextAttemptAt!: Date;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError?: string | null = null;
}
