import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The audit of the Temporal codec server (issue 12): one row per decode an operator asked for,
 * with who (staff member and session), where (namespace) and, when the caller names it, which
 * workflow. Append-only; no payload content is kept.
 */
@Entity({ tableName: 'codec_decode_events' })
@Index({ name: 'codec_decode_events_staff_idx', properties: ['staffId', 'at'] })
@Index({ name: 'codec_decode_events_workflow_idx', properties: ['workflowId', 'at'] })
export class CodecDecodeEvent {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 26 })
  staffId!: string;

  @Property({ type: 'string', length: 26 })
  sessionId!: string;

  @Property({ type: 'string', length: 255 })
  namespace!: string;

  /** From `X-Workflow-Id` (CLI, runbook) or the Web UI page in the Referer; null when neither says. */
  @Property({ type: 'string', length: 255, nullable: true })
  workflowId?: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  runId?: string | null = null;

  /** How many payloads were decoded, and under which key IDs (plain ones are not counted). */
  @Property({ type: 'integer' })
  payloads!: number;

  @Property({ type: 'json' })
  keyIds!: string[];

  /** The browser origin that asked (the Web UI), or null for a non-browser client. */
  @Property({ type: 'string', length: 255, nullable: true })
  origin?: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null = null;

  @Property({ type: 'datetime' })
  at!: Date;
}
