import type { EntityManager } from '@mikro-orm/core';
import { newId } from '../../domain/src/ids';
import { NotificationOutboxEntry } from './entities';

export interface OutboxNotice {
  channel: 'sms' | 'email';
  to: string;
  subject: string;
  text: string;
}

/**
 * Adds a notice to `em`'s unit of work: it is written when the change's transaction commits and
 * delivered afterwards by the API's dispatcher. Shared by the API and the activities, so a notice
 * a workflow sends is never lost either.
 */
export function enqueueNotice(em: EntityManager, now: Date, notice: OutboxNotice): NotificationOutboxEntry {
  return em.create(NotificationOutboxEntry, {
    id: newId(),
    channel: notice.channel,
    recipient: notice.to,
    subject: notice.subject.slice(0, 200),
    body: notice.text,
    nextAttemptAt: now,
    createdAt: now,
  });
}

/**
 * A notice to the account's owner: to the security email (or, without one, the registration
 * email) and the security phone, whichever exist.
 */
export function tellAccountOwner(
  em: EntityManager,
  now: Date,
  account: { email?: string | null; securityEmail?: string | null; securityPhone?: string | null },
  subject: string,
  text: string,
): void {
  const email = account.securityEmail ?? account.email;
  if (email) enqueueNotice(em, now, { channel: 'email', to: email, subject, text });
  if (account.securityPhone)
    enqueueNotice(em, now, { channel: 'sms', to: account.securityPhone, subject, text });
}
