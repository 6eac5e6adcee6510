import { z } from 'zod';
import {
  REVIEW_DECISIONS,
  REVIEW_KINDS,
  REVIEW_QUEUES,
  REVIEW_TASK_STATUSES,
} from '../../../../libs/domain/src/review';
import { accountIdTextSchema, createZodDto, ulidSchema } from '../common/zod';
import { documentSummarySchema } from '../documents/documents.mapper';

const isoDateTime = z.string().datetime({ offset: true });

/** The inbox's filters and sorting (issue 9 §1), all in the query string so a view can be shared. */
export const listTasksQuerySchema = z.object({
  queue: z.enum(REVIEW_QUEUES).optional().describe('Only this queue'),
  kind: z.enum(REVIEW_KINDS).optional().describe('Only this kind of case'),
  status: z
    .enum(REVIEW_TASK_STATUSES)
    .optional()
    .describe(
      'Only this status; without it, every open status (open, information_requested, awaiting_second_approval)',
    ),
  assigned: z
    .enum(['me', 'unassigned', 'any'])
    .default('any')
    .describe('`me`: claimed by the caller; `unassigned`: nobody has claimed it'),
  dueBefore: isoDateTime
    .optional()
    .describe('Only tasks due before this instant (e.g. now: the overdue ones)'),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .describe(
      "`true`: only the tasks past their due time by the server's clock (each task's `overdue`; a task waiting for the applicant's information is not overdue); `false`: only the others",
    ),
  accountId: accountIdTextSchema.optional().describe('Only tasks about this account'),
  sort: z.enum(['due', 'priority', 'created']).default('due'),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: z.string().max(400).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

export const taskSummarySchema = z.object({
  taskId: z.string(),
  caseId: z.string(),
  kind: z.enum(REVIEW_KINDS),
  queue: z.enum(REVIEW_QUEUES),
  status: z.enum(REVIEW_TASK_STATUSES),
  priority: z.number().int(),
  account: z.string().nullable().describe('The account ID, masked'),
  assigneeId: z.string().nullable(),
  escalated: z.boolean(),
  createdAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  closedAt: z.string().nullable(),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;
export class TaskSummaryDto extends createZodDto(taskSummarySchema) {}

export const taskPageSchema = z.object({
  items: z.array(taskSummarySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
export class TaskPageDto extends createZodDto(taskPageSchema) {}

export const queueCountsSchema = z.object({
  queues: z.array(
    z.object({
      queue: z.enum(REVIEW_QUEUES),
      open: z.number().int(),
      unassigned: z.number().int(),
      overdue: z.number().int(),
      mine: z.number().int(),
    }),
  ),
});
export class QueueCountsDto extends createZodDto(queueCountsSchema) {}

const decisionSchema = z.object({
  staffId: z.string(),
  decision: z.enum(REVIEW_DECISIONS),
  reasonCode: z.string(),
});

export const caseViewSchema = z.object({
  task: taskSummarySchema,
  informationDueAt: z.string().nullable(),
  firstDecision: decisionSchema
    .nullable()
    .describe('Four eyes: the approval waiting for a second senior reviewer'),
  finalDecision: z
    .object({
      decision: z.enum(REVIEW_DECISIONS),
      reasonCode: z.string(),
      decidedBy: z.string(),
      approvedBy: z.string().nullable(),
    })
    .nullable(),
  case: z.object({
    caseId: z.string(),
    kind: z.enum(REVIEW_KINDS),
    status: z.string(),
    account: z.string().describe('The account ID, masked'),
    applicant: z.enum(['session', 'contact']).describe('Signed in, or proved a reachable contact by a code'),
    details: z.record(z.unknown()).describe('What the applicant sent, masked as the API masks it'),
    checks: z.record(z.unknown()).describe('Real-name match or mismatch (never the numbers), the bank trace'),
    reasonCode: z.string().nullable(),
    documents: z.array(documentSummarySchema),
  }),
  events: z.array(
    z.object({
      type: z.string(),
      actor: z.string(),
      at: z.string(),
      note: z.string().nullable(),
      detail: z.record(z.unknown()).nullable(),
    }),
  ),
  reasons: z.object({ approve: z.array(z.string()), reject: z.array(z.string()) }),
  allowed: z.object({
    claim: z.boolean(),
    release: z.boolean(),
    reassign: z.boolean(),
    comment: z.boolean(),
    requestInformation: z.boolean(),
    decide: z.boolean(),
  }),
});
export type CaseView = z.infer<typeof caseViewSchema>;
export class CaseViewDto extends createZodDto(caseViewSchema) {}

export class ReassignDto extends createZodDto(
  z.object({
    assigneeId: ulidSchema
      .nullable()
      .describe('The staff member to give the task to; null puts it back in its queue'),
  }),
) {}

const noteText = z.string().trim().min(1).max(2000);

export class CommentDto extends createZodDto(z.object({ body: noteText })) {}

export class RequestInformationDto extends createZodDto(
  z.object({ message: noteText.describe('What the applicant must send; they have 7 days to answer') }),
) {}

export class DecideDto extends createZodDto(
  z.object({
    decision: z.enum(REVIEW_DECISIONS),
    reasonCode: z
      .string()
      .regex(/^[a-z0-9_]{1,64}$/)
      .describe("One of the case kind's reason codes (`reasons` in the case view)"),
    note: noteText.optional().describe('A free note for the audit trail'),
  }),
) {}
