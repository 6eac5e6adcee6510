import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import {
  mayAct,
  OPEN_TASK_STATUSES,
  REASON_CATALOGUE,
  type ReviewDecision,
  type ReviewTaskState,
  type StaffActor,
} from '../../../../libs/domain/src/review';
import { ReviewEvent, ReviewNote, ReviewTask, StaffMember } from '../../../../libs/persistence/src/entities';
import { reviewUpdateIds, reviewUpdates } from '../../../../libs/temporal/src/contract';
import { AppealsService } from '../appeals/appeals.service';
import { CancellationApplicationsService } from '../cancellation/cancellation-applications.service';
import type { StaffPrincipal } from '../auth/principal';
import { toDocumentSummary } from '../documents/documents.mapper';
import { DocumentsService, type DocumentMeta } from '../documents/documents.service';
import { ReviewWorkflowClient } from '../temporal/review-workflow.client';
import type { CaseView, ListTasksQuery, TaskSummary } from './review.dto';
import { toTaskSummary, type TaskFields } from './review.mapper';

interface TaskRow {
  id: string;
  case_id: string;
  kind: ReviewTask['kind'];
  queue: ReviewTask['queue'];
  status: ReviewTask['status'];
  account_id: string | number | null;
  priority: number;
  assignee_id: string | null;
  escalated: boolean;
  created_at: Date;
  due_at: Date;
  closed_at: Date | null;
}

const SORTS = {
  due: ['due_at', 'id'],
  priority: ['priority', 'due_at', 'id'],
  created: ['created_at', 'id'],
} as const;

/**
 * The staff inbox (issue 9 §1): served from `review_tasks`, never from Temporal visibility.
 * Pages are keyset (search-after) pages on the sort columns plus the ID, so a page costs one
 * indexed range scan however deep it is. Every action is a Workflow Update of the task's run.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly workflows: ReviewWorkflowClient,
    private readonly appeals: AppealsService,
    private readonly cancellations: CancellationApplicationsService,
    private readonly documents: DocumentsService,
  ) {}

  async list(
    staff: StaffPrincipal,
    q: ListTasksQuery,
  ): Promise<{ items: TaskSummary[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.status) {
      where.push('status = ?');
      params.push(q.status);
    } else {
      where.push(`status in (${OPEN_TASK_STATUSES.map(() => '?').join(', ')})`);
      params.push(...OPEN_TASK_STATUSES);
    }
    if (q.queue) {
      where.push('queue = ?');
      params.push(q.queue);
    }
    if (q.kind) {
      where.push('kind = ?');
      params.push(q.kind);
    }
    if (q.assigned === 'me') {
      where.push('assignee_id = ?');
      params.push(staff.staffId);
    } else if (q.assigned === 'unassigned') {
      where.push('assignee_id is null');
    }
    if (q.dueBefore) {
      where.push('due_at < ?');
      params.push(new Date(q.dueBefore));
    }
    // As toTaskSummary's `overdue`: past due at the server's clock, unless waiting for the applicant.
    if (q.overdue !== undefined) {
      where.push(
        q.overdue
          ? "(due_at < ? and status <> 'information_requested')"
          : "(due_at >= ? or status = 'information_requested')",
      );
      params.push(this.clock.now());
    }
    if (q.accountId) {
      where.push('account_id = ?');
      params.push(Number(q.accountId));
    }
    const columns = SORTS[q.sort];
    const direction = q.order === 'desc' ? 'desc' : 'asc';
    if (q.cursor) {
      const after = decodeCursor(q.cursor, columns.length);
      where.push(
        `(${columns.join(', ')}) ${direction === 'asc' ? '>' : '<'} (${columns.map(() => '?').join(', ')})`,
      );
      params.push(...after);
    }
    const sql =
      `select id, case_id, kind, queue, status, account_id, priority, assignee_id, escalated, created_at, due_at, closed_at ` +
      `from review_tasks where ${where.join(' and ')} ` +
      `order by ${columns.map((c) => `${c} ${direction}`).join(', ')} limit ?`;
    const rows = (await this.em.getConnection().execute(sql, [...params, q.limit + 1])) as TaskRow[];
    const page = rows.slice(0, q.limit);
    const now = this.clock.now();
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toTaskSummary(fromRow(r), now)),
      nextCursor:
        rows.length > q.limit && last ? encodeCursor(columns.map((c) => cursorValue(last, c))) : null,
    };
  }

  /**
   * Open tasks per queue: all, unassigned, overdue (as each task's `overdue` and the list's
   * `overdue` filter: a task waiting for the applicant is not), and the caller's.
   */
  async counts(
    staff: StaffPrincipal,
  ): Promise<
    { queue: ReviewTask['queue']; open: number; unassigned: number; overdue: number; mine: number }[]
  > {
    const rows = (await this.em.getConnection().execute(
      `select queue, count(*) as open, count(*) filter (where assignee_id is null) as unassigned,
              count(*) filter (where due_at < ? and status <> 'information_requested') as overdue,
              count(*) filter (where assignee_id = ?) as mine
         from review_tasks where status in (${OPEN_TASK_STATUSES.map(() => '?').join(', ')}) group by queue`,
      [this.clock.now(), staff.staffId, ...OPEN_TASK_STATUSES],
    )) as { queue: ReviewTask['queue']; open: string; unassigned: string; overdue: string; mine: string }[];
    return (['review', 'senior-review'] as const).map((queue) => {
      const r = rows.find((x) => x.queue === queue);
      return {
        queue,
        open: Number(r?.open ?? 0),
        unassigned: Number(r?.unassigned ?? 0),
        overdue: Number(r?.overdue ?? 0),
        mine: Number(r?.mine ?? 0),
      };
    });
  }

  private async task(taskId: string): Promise<ReviewTask> {
    const t = await this.em.findOne(ReviewTask, { id: taskId });
    if (!t) throw new NotFoundError('Task');
    return t;
  }

  /** The case view: the task, what the applicant sent (masked), documents, checks, audit trail. */
  async view(staff: StaffPrincipal, taskId: string): Promise<CaseView> {
    const t = await this.task(taskId);
    const s = t.state as unknown as ReviewTaskState;
    const actor = actorOf(staff);
    const [caseView, docs, events] = await Promise.all([
      t.kind === 'account-cancellation'
        ? this.cancellations.staffView(t.caseId)
        : this.appeals.staffView(t.caseId),
      this.documents.list(t.caseId),
      this.em.find(ReviewEvent, { caseId: t.caseId }, { orderBy: { at: 'asc', id: 'asc' } }),
    ]);
    const noteIds = events.map((e) => e.noteId).filter((n): n is string => !!n);
    const notes = noteIds.length ? await this.em.find(ReviewNote, { id: { $in: noteIds } }) : [];
    const body = new Map(notes.map((n) => [n.id, n.body]));
    const can = (action: Parameters<typeof mayAct>[2]): boolean => mayAct(s, actor, action).ok;
    return {
      task: toTaskSummary(t, this.clock.now()),
      informationDueAt: s.informationDueAt,
      firstDecision: s.firstDecision,
      finalDecision: s.finalDecision,
      case: {
        ...caseView,
        documents: docs.map(toDocumentSummary),
      },
      events: events.map((e) => ({
        type: e.type,
        actor: e.actor,
        at: e.at.toISOString(),
        note: e.noteId ? (body.get(e.noteId) ?? null) : null,
        detail: e.detail ?? null,
      })),
      reasons: {
        approve: [...REASON_CATALOGUE[t.kind].approve],
        reject: [...REASON_CATALOGUE[t.kind].reject],
      },
      allowed: {
        claim: can('claim'),
        release: can('release'),
        reassign: staff.role !== 'reviewer' && can('comment'),
        comment: can('comment'),
        requestInformation: can('request_information'),
        decide: mayAct(s, actor, 'decide', {
          decision: 'reject',
          reasonCode: REASON_CATALOGUE[t.kind].reject[0],
        }).ok,
      },
    };
  }

  async claim(staff: StaffPrincipal, taskId: string, key: string | undefined): Promise<TaskSummary> {
    const t = await this.task(taskId);
    const s = await this.workflows.update(
      ref(t),
      reviewUpdates.claim,
      [{ actor: actorOf(staff) }],
      id(t, 'claim', staff, key),
    );
    return this.summary(t, s);
  }

  async release(staff: StaffPrincipal, taskId: string, key: string | undefined): Promise<TaskSummary> {
    const t = await this.task(taskId);
    const s = await this.workflows.update(
      ref(t),
      reviewUpdates.release,
      [{ actor: actorOf(staff) }],
      id(t, 'release', staff, key),
    );
    return this.summary(t, s);
  }

  /** A senior reviewer or an operator gives the task to someone (or back to its queue). */
  async reassign(
    staff: StaffPrincipal,
    taskId: string,
    assigneeId: string | null,
    key: string | undefined,
  ): Promise<TaskSummary> {
    const t = await this.task(taskId);
    let to: StaffActor | null = null;
    if (assigneeId) {
      const member = await this.em.findOne(StaffMember, { id: assigneeId, disabledAt: null });
      if (!member) throw new ValidationError('assigneeId', 'assigneeId: no such active staff member');
      to = { staffId: member.id, role: member.role };
    }
    const s = await this.workflows.update(
      ref(t),
      reviewUpdates.reassign,
      [{ actor: actorOf(staff), to }],
      id(t, `reassign-${assigneeId ?? 'queue'}`, staff, key),
    );
    return this.summary(t, s);
  }

  /** A comment goes to the audit trail only; it changes nothing in the process. */
  async comment(
    staff: StaffPrincipal,
    taskId: string,
    text: string,
    key: string | undefined,
  ): Promise<CaseView> {
    const t = await this.task(taskId);
    const verdict = mayAct(t.state as unknown as ReviewTaskState, actorOf(staff), 'comment');
    if (!verdict.ok) throw new ForbiddenError(verdict.message, verdict.code);
    const noteId = await this.appeals.note(
      t.caseId,
      `staff:${staff.staffId}`,
      'comment',
      text,
      `comment:${key ?? newId()}`,
    );
    await this.em
      .fork()
      .getConnection()
      .execute(
        `insert into review_events (id, case_id, task_id, type, actor, at, note_id) values (?, ?, ?, 'commented', ?, ?, ?) on conflict (id) do nothing`,
        [`note:${noteId}`, t.caseId, t.id, `staff:${staff.staffId}`, this.clock.now(), noteId],
      );
    return this.view(staff, taskId);
  }

  async requestInformation(
    staff: StaffPrincipal,
    taskId: string,
    message: string,
    key: string | undefined,
  ): Promise<TaskSummary> {
    const t = await this.task(taskId);
    const k = key ?? newId();
    const noteId = await this.appeals.note(
      t.caseId,
      `staff:${staff.staffId}`,
      'information_request',
      message,
      `info:${k}`,
    );
    const s = await this.workflows.update(
      ref(t),
      reviewUpdates.requestInformation,
      [{ actor: actorOf(staff), noteId }],
      id(t, 'request-information', staff, k),
    );
    return this.summary(t, s);
  }

  async decide(
    staff: StaffPrincipal,
    taskId: string,
    body: { decision: ReviewDecision; reasonCode: string; note?: string },
    key: string | undefined,
  ): Promise<TaskSummary> {
    const t = await this.task(taskId);
    const k = key ?? newId();
    const noteId = body.note
      ? await this.appeals.note(t.caseId, `staff:${staff.staffId}`, 'decision', body.note, `decision:${k}`)
      : null;
    const s = await this.workflows.update(
      ref(t),
      reviewUpdates.decide,
      [{ actor: actorOf(staff), decision: body.decision, reasonCode: body.reasonCode, noteId }],
      id(t, 'decide', staff, k),
    );
    return this.summary(t, s);
  }

  /**
   * A document of the case, for the staff working it: the assignee, or a senior reviewer or an
   * operator. Every read is written to the audit trail before the bytes are sent.
   */
  async readDocument(
    staff: StaffPrincipal,
    taskId: string,
    documentId: string,
  ): Promise<{ meta: DocumentMeta; bytes: Buffer }> {
    const t = await this.task(taskId);
    if (staff.role === 'reviewer' && t.assigneeId !== staff.staffId) {
      throw new ForbiddenError('Claim the task to read its documents', 'not_working_case');
    }
    const doc = await this.documents.read(t.caseId, documentId);
    await this.em
      .fork()
      .getConnection()
      .execute(
        `insert into review_events (id, case_id, task_id, type, actor, at, detail) values (?, ?, ?, 'document_opened', ?, ?, ?::jsonb)`,
        [newId(), t.caseId, t.id, `staff:${staff.staffId}`, this.clock.now(), JSON.stringify({ documentId })],
      );
    return doc;
  }

  private summary(t: ReviewTask, s: ReviewTaskState): TaskSummary {
    return toTaskSummary(
      {
        ...t,
        queue: s.queue,
        status: s.status,
        assigneeId: s.assigneeId,
        escalated: s.escalated,
        dueAt: new Date(s.dueAt),
        closedAt: s.closedAt ? new Date(s.closedAt) : null,
      },
      this.clock.now(),
    );
  }
}

function actorOf(staff: StaffPrincipal): StaffActor {
  return { staffId: staff.staffId, role: staff.role };
}

function ref(t: ReviewTask): { workflowId: string; runId: string } {
  return { workflowId: t.workflowId, runId: t.runId };
}

/** The update ID: from the client's Idempotency-Key when given (a retry is the same update). */
function id(
  t: ReviewTask,
  action: string,
  staff: StaffPrincipal,
  key: string | undefined,
): string | undefined {
  return key ? reviewUpdateIds.action(t.id, `${action}:${staff.staffId}`, key) : undefined;
}

function fromRow(r: TaskRow): TaskFields {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    queue: r.queue,
    status: r.status,
    accountId: r.account_id === null ? null : Number(r.account_id),
    priority: r.priority,
    assigneeId: r.assignee_id,
    escalated: r.escalated,
    createdAt: new Date(r.created_at),
    dueAt: new Date(r.due_at),
    closedAt: r.closed_at ? new Date(r.closed_at) : null,
  };
}

function cursorValue(r: TaskRow, column: string): string | number {
  switch (column) {
    case 'due_at':
      return new Date(r.due_at).toISOString();
    case 'created_at':
      return new Date(r.created_at).toISOString();
    case 'priority':
      return r.priority;
    default:
      return r.id;
  }
}

function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => (typeof v === 'string' && v.length <= 64) || Number.isInteger(v))
    ) {
      return (values as unknown[]).map((v): unknown =>
        typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : v,
      );
    }
  } catch {
    // fall through
  }
  throw new ValidationError('cursor', 'cursor: not a cursor of this list (use nextCursor as given)');
}
