import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import {
  APPEAL_KINDS,
  APPEAL_STATUSES,
  OPEN_TASK_STATUSES,
  REVIEW_EVENT_TYPES,
  REVIEW_KINDS,
  REVIEW_QUEUES,
  REVIEW_TASK_STATUSES,
  type AppealKind,
  type AppealStatus,
  type ReviewEventType,
  type ReviewKind,
  type ReviewQueue,
  type ReviewTaskStatus,
} from '../../../domain/src/review';

/**
 * A manual appeal (issue 9 §3): what the applicant sent, sealed where it is personal, and the
 * last state its workflow recorded. The workflow (`appeal:<kind>:<accountId>`) is the source of
 * truth while the case is open; its history holds this row's ID only. `draft` rows have no
 * workflow yet: the applicant is still adding documents.
 */
@Entity({ tableName: 'appeal_cases' })
@Index({ name: 'appeal_cases_account_idx', properties: ['accountId', 'kind', 'createdAt'] })
@Index({ name: 'appeal_cases_token_idx', properties: ['caseTokenHash'] })
// One open appeal (a draft included) per account and kind (issue 9 §3), whatever the requests race.
@Unique({
  name: 'appeal_cases_one_open_unique',
  expression: `create unique index "appeal_cases_one_open_unique" on "appeal_cases" ("account_id", "kind") where "status" in ('draft', 'in_review', 'information_requested', 'awaiting_second_approval', 'applying')`,
})
export class AppealCase {
  [OptionalProps]?: 'status' | 'runId' | 'reasonCode' | 'closedAt' | 'submittedAt' | 'appliedAt' | 'checks';

  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Enum({ items: [...APPEAL_KINDS], type: 'string', length: 40 })
  kind!: AppealKind;

  /** The account the case is about (no foreign key: cancellation erases accounts, not cases' tombstones). */
  @Property({ type: 'bigint' })
  accountId!: number;

  /** `draft` until submitted, then the workflow's status. */
  @Enum({ items: ['draft', ...APPEAL_STATUSES], type: 'string', length: 32 })
  status: 'draft' | AppealStatus = 'draft';

  /** How the applicant proved themselves: an owner session, or a code to a reachable contact. */
  @Enum({ items: ['session', 'contact'], type: 'string', length: 16 })
  applicantKind!: 'session' | 'contact';

  /** SHA-256 of the case token given to an applicant without a session (`act_…`). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  caseTokenHash?: string | null = null;

  /** The reachable phone or email the applicant proved, sealed with the data key. */
  @Property({ type: 'text', nullable: true, hidden: true })
  contactSealed?: string | null = null;

  /** The applicant's fields (JSON), sealed with the data key, bound to this case's ID. */
  @Property({ type: 'text', hidden: true })
  detailsSealed!: string;

  /**
   * What the activities found, shown to the reviewer instead of the numbers: real-name matches,
   * the bank's trace of a payout. No personal data.
   */
  @Property({ type: 'json' })
  checks: Record<string, unknown> = {};

  @Property({ type: 'string', length: 128 })
  workflowId!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  runId?: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  reasonCode?: string | null = null;

  /** Set once the approved outcome is applied (the activity's idempotency mark). */
  @Property({ type: 'datetime', nullable: true })
  appliedAt?: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null = null;
}

/**
 * The inbox's index of human tasks, written idempotently by the workflows' activities (the
 * workflow stays the source of truth). The inbox is served from here, never from Temporal
 * visibility. Keyset pagination runs on the indexes below.
 */
@Entity({ tableName: 'review_tasks' })
@Index({ name: 'review_tasks_queue_due_idx', properties: ['status', 'queue', 'dueAt', 'id'] })
@Index({
  name: 'review_tasks_queue_priority_idx',
  properties: ['status', 'queue', 'priority', 'dueAt', 'id'],
})
@Index({ name: 'review_tasks_queue_created_idx', properties: ['status', 'queue', 'createdAt', 'id'] })
@Index({ name: 'review_tasks_assignee_idx', properties: ['assigneeId', 'status', 'dueAt'] })
// The reviewers' default inbox (unassigned open tasks of a queue, by due date): an ordered scan of
// this index answers a page, where the indexes above made PostgreSQL collect and sort every
// unassigned open task of the queue (70 ms a page at 100,000 tasks, `npm run bench`). Partial:
// it holds only the tasks that view can show.
@Index({
  name: 'review_tasks_unassigned_due_idx',
  expression:
    `create index "review_tasks_unassigned_due_idx" on "review_tasks" ("queue", "due_at", "id") ` +
    `where "assignee_id" is null and "status" in (${OPEN_TASK_STATUSES.map((s) => `'${s}'`).join(', ')})`,
})
@Index({ name: 'review_tasks_account_idx', properties: ['accountId'] })
@Index({ name: 'review_tasks_case_idx', properties: ['caseId'] })
export class ReviewTask {
  [OptionalProps]?: 'assigneeId' | 'closedAt' | 'escalated' | 'version';

  /** Chosen by the workflow (deterministic), so a retried activity writes the same row. */
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Property({ type: 'string', length: 26 })
  caseId!: string;

  /** The workflow run that owns the task: the staff's actions are its Workflow Updates. */
  @Property({ type: 'string', length: 128 })
  workflowId!: string;

  @Property({ type: 'string', length: 64 })
  runId!: string;

  @Enum({ items: [...REVIEW_KINDS], type: 'string', length: 40 })
  kind!: ReviewKind;

  @Enum({ items: [...REVIEW_QUEUES], type: 'string', length: 20 })
  queue!: ReviewQueue;

  @Enum({ items: [...REVIEW_TASK_STATUSES], type: 'string', length: 32 })
  status!: ReviewTaskStatus;

  @Property({ type: 'bigint', nullable: true })
  accountId?: number | null;

  @Property({ type: 'smallint' })
  priority!: number;

  @Property({ type: 'string', length: 26, nullable: true })
  assigneeId?: string | null = null;

  @Property({ type: 'boolean' })
  escalated = false;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  dueAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null = null;

  /** The workflow's full task state (IDs and codes only), for the case view. */
  @Property({ type: 'json' })
  state!: Record<string, unknown>;

  /** Workflow-side sequence of the last write: an older, retried write never overwrites a newer one. */
  @Property({ type: 'integer' })
  version = 0;
}

/** The audit trail of a case: every action with who and when. Append-only. */
@Entity({ tableName: 'review_events' })
@Index({ name: 'review_events_case_idx', properties: ['caseId', 'at', 'id'] })
export class ReviewEvent {
  [OptionalProps]?: 'taskId' | 'noteId' | 'detail';

  /** `<taskId>:<seq>` for events a workflow writes (a retried write is the same row), else a ULID. */
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Property({ type: 'string', length: 26 })
  caseId!: string;

  @Property({ type: 'string', length: 40, nullable: true })
  taskId?: string | null = null;

  @Enum({ items: [...REVIEW_EVENT_TYPES], type: 'string', length: 32 })
  type!: ReviewEventType;

  /** `staff:<id>`, `applicant`, `system`. */
  @Property({ type: 'string', length: 40 })
  actor!: string;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ type: 'string', length: 26, nullable: true })
  noteId?: string | null = null;

  /** Codes and IDs only (decision, reason code, new assignee, document ID). */
  @Property({ type: 'json', nullable: true })
  detail?: Record<string, unknown> | null = null;
}

/**
 * Free text of a case (comments, information requests, answers, decision notes), kept here so
 * that workflow history holds only its ID.
 */
@Entity({ tableName: 'review_notes' })
@Index({ name: 'review_notes_case_idx', properties: ['caseId', 'createdAt'] })
@Unique({ name: 'review_notes_idempotency_unique', properties: ['caseId', 'idempotencyKey'] })
export class ReviewNote {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 26 })
  caseId!: string;

  @Property({ type: 'string', length: 40 })
  author!: string;

  @Enum({ items: ['comment', 'information_request', 'answer', 'decision'], type: 'string', length: 24 })
  kind!: 'comment' | 'information_request' | 'answer' | 'decision';

  @Property({ type: 'text' })
  body!: string;

  /** The request's Idempotency-Key (or a fresh ID): a retried request reuses its note. */
  @Property({ type: 'string', length: 120 })
  idempotencyKey!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
