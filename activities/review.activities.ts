import { Context } from '@temporalio/activity';
import { type MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { type BusinessCalendar } from '../libs/domain/src/business-days';
import type { Clock } from '../libs/domain/src/clock';
import {
  REVIEW_POLICIES,
  type AppealStatus,
  type ReviewEventInput,
  type ReviewKind,
  type ReviewTaskState,
  type ReviewTaskStatus,
} from '../libs/domain/src/review';
import { AppealCase, ReviewEvent, StaffMember } from '../libs/persistence/src/entities';
import { enqueueNotice } from '../libs/persistence/src/outbox';
import { withDomainFailures } from './domain-failures';

export interface ReviewActivityDeps {
  orm: MikroORM;
  clock: Clock;
  calendar: BusinessCalendar;
  /** REVIEW_SLA_BUSINESS_DAYS: business days to the due time per kind, over REVIEW_POLICIES. */
  slaBusinessDays?: Partial<Record<ReviewKind, number>>;
}

/** The case status a task's status shows while the case is open. */
const CASE_STATUS_OF: Record<Exclude<ReviewTaskStatus, 'completed' | 'cancelled'>, AppealStatus> = {
  open: 'in_review',
  information_requested: 'information_requested',
  awaiting_second_approval: 'awaiting_second_approval',
};

/**
 * The human tasks' side effects: the inbox table and the audit trail. Every write is idempotent
 * (the workflow names the row and the event), so a retried activity changes nothing twice.
 */
export function createReviewActivities(deps: ReviewActivityDeps) {
  return withDomainFailures({
    /** The task's due time: the SLA's business days from creation, on the business calendar. */
    async openReviewTask(input: {
      taskId: string;
      caseId: string;
      kind: ReviewKind;
      createdAt: string;
    }): Promise<{ taskId: string; dueAt: string }> {
      const days = deps.slaBusinessDays?.[input.kind] ?? REVIEW_POLICIES[input.kind].slaBusinessDays;
      const dueAt = deps.calendar.addBusinessDays(new Date(input.createdAt), days);
      return { taskId: input.taskId, dueAt: dueAt.toISOString() };
    },

    /**
     * Writes the task's row (only if this write is newer than the stored one) and its audit
     * event (once), in one transaction; mirrors the status onto the open case. An escalation
     * also tells every senior reviewer, once.
     */
    async recordReviewTask(input: {
      state: ReviewTaskState;
      version: number;
      event: ReviewEventInput & { id: string };
    }): Promise<void> {
      const s = input.state;
      const at = deps.clock.now();
      const run = Context.current().info.workflowExecution;
      if (!run) throw new Error('recordReviewTask runs only as a workflow activity');
      await deps.orm.em.fork().transactional(async (em) => {
        const sql = em as unknown as SqlEntityManager;
        const row = {
          id: s.taskId,
          caseId: s.caseId,
          kind: s.kind,
          queue: s.queue,
          status: s.status,
          accountId: s.accountId,
          priority: s.priority,
          assigneeId: s.assigneeId,
          escalated: s.escalated,
          createdAt: new Date(s.createdAt),
          dueAt: new Date(s.dueAt),
          closedAt: s.closedAt ? new Date(s.closedAt) : null,
          state: s as unknown as Record<string, unknown>,
          version: input.version,
        };
        await sql.getConnection().execute(
          `insert into review_tasks (id, case_id, workflow_id, run_id, kind, queue, status, account_id, priority, assignee_id, escalated, created_at, due_at, closed_at, state, version)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
           on conflict (id) do update set queue = excluded.queue, status = excluded.status,
             priority = excluded.priority, assignee_id = excluded.assignee_id, escalated = excluded.escalated,
             due_at = excluded.due_at, closed_at = excluded.closed_at, state = excluded.state, version = excluded.version
           where review_tasks.version < excluded.version`,
          [
            row.id,
            row.caseId,
            run.workflowId,
            run.runId,
            row.kind,
            row.queue,
            row.status,
            row.accountId,
            row.priority,
            row.assigneeId,
            row.escalated,
            row.createdAt,
            row.dueAt,
            row.closedAt,
            JSON.stringify(row.state),
            row.version,
          ],
          'run',
        );
        const inserted = await sql
          .createQueryBuilder(ReviewEvent)
          .insert({
            id: input.event.id,
            caseId: s.caseId,
            taskId: s.taskId,
            type: input.event.type,
            actor: input.event.actor,
            at,
            noteId: input.event.noteId ?? null,
            detail: input.event.detail ?? null,
          })
          .onConflict('id')
          .ignore()
          .execute<{ affectedRows: number }>('run');
        if (s.status !== 'completed' && s.status !== 'cancelled') {
          await em.nativeUpdate(
            AppealCase,
            { id: s.caseId, closedAt: null, status: { $ne: 'applying' } },
            { status: CASE_STATUS_OF[s.status] },
          );
        }
        if (input.event.type === 'escalated' && inserted.affectedRows === 1) {
          const seniors = await em.find(StaffMember, { role: 'senior_reviewer', disabledAt: null });
          for (const senior of seniors) {
            enqueueNotice(em, at, {
              channel: 'email',
              to: senior.email,
              subject: 'A review task is overdue',
              text: `Review task ${s.taskId} (${s.kind}) passed its due time undecided and now waits in the senior-review queue.`,
            });
          }
        }
      });
    },
  });
}

export type ReviewActivities = ReturnType<typeof createReviewActivities>;
