import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export type SandboxFaceSessionStatus = 'awaiting_liveness' | 'processing' | 'decided';

/**
 * The sandbox face recognition service's own sessions: what the real provider would hold on its
 * side. Only the sandbox adapter reads or writes it. Name and ID number are sealed under the
 * sandbox's own key, bound to the session.
 */
@Entity({ tableName: 'sandbox_face_sessions' })
@Index({ name: 'sandbox_face_sessions_due_idx', properties: ['status', 'resultDueAt'] })
export class SandboxFaceSession {
  [OptionalProps]?:
    | 'status'
    | 'outcome'
    | 'resultDueAt'
    | 'decidedAt'
    | 'webhookDeliveredAt'
    | 'webhookAttempts'
    | 'nextWebhookAt'
    | 'lastWebhookError';

  @PrimaryKey({ type: 'string', length: 40 })
  sessionId!: string;

  /** The platform's reference: one session per reference (a retried call gets the same one). */
  @Property({ type: 'string', length: 80 })
  @Unique({ name: 'sandbox_face_sessions_reference_unique' })
  reference!: string;

  @Property({ type: 'string', length: 32 })
  documentType!: string;

  @Property({ type: 'text' })
  nameSealed!: string;

  @Property({ type: 'text' })
  idNumberSealed!: string;

  @Enum({ items: ['awaiting_liveness', 'processing', 'decided'], type: 'string', length: 20 })
  status: SandboxFaceSessionStatus = 'awaiting_liveness';

  /** `passed` or an RN-6 reason, once the liveness step was done. */
  @Property({ type: 'string', length: 40, nullable: true })
  outcome?: string | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** When the result is ready (the service takes a moment after the liveness step). */
  @Property({ type: 'datetime', nullable: true })
  resultDueAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  webhookDeliveredAt?: Date | null = null;

  @Property({ type: 'integer' })
  webhookAttempts = 0;

  @Property({ type: 'datetime', nullable: true })
  nextWebhookAt?: Date | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  lastWebhookError?: string | null = null;
}
