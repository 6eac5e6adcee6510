import { maskTail } from '../../../../libs/domain/src/masking';
import type { ReviewTask } from '../../../../libs/persistence/src/entities';
import type { TaskSummary } from './review.dto';

/** A task as the inbox lists it: the account masked, overdue computed at `now`. */
/** The columns of a task the inbox lists. */
export type TaskFields = Pick<
  ReviewTask,
  | 'id'
  | 'caseId'
  | 'kind'
  | 'queue'
  | 'status'
  | 'accountId'
  | 'priority'
  | 'assigneeId'
  | 'escalated'
  | 'createdAt'
  | 'dueAt'
  | 'closedAt'
>;

export function toTaskSummary(t: TaskFields, now: Date): TaskSummary {
  const open = t.status !== 'completed' && t.status !== 'cancelled';
  return {
    taskId: t.id,
    caseId: t.caseId,
    kind: t.kind,
    queue: t.queue,
    status: t.status,
    priority: t.priority,
    account: t.accountId === null || t.accountId === undefined ? null : maskTail(String(t.accountId), 4),
    assigneeId: t.assigneeId ?? null,
    escalated: t.escalated,
    createdAt: t.createdAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    overdue: open && t.status !== 'information_requested' && t.dueAt.getTime() < now.getTime(),
    closedAt: t.closedAt ? t.closedAt.toISOString() : null,
  };
}
