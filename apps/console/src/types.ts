/**
 * The staff API's answers as the console reads them (apps/api/src/review/review.dto.ts and
 * apps/api/src/staff/staff.controller.ts; the OpenAPI document at /docs describes them). The
 * console does not import the API: this is its reading of the published contract, and the
 * browser tests run it against the real API.
 */
export const KINDS = [
  'security-phone-appeal',
  'registration-email-appeal',
  'mfa-device-appeal',
  'sign-in-appeal',
  'payout-appeal',
  'account-cancellation',
] as const;
export type Kind = (typeof KINDS)[number];
export const QUEUES = ['review', 'senior-review'] as const;
export type Queue = (typeof QUEUES)[number];
export const OPEN_STATUSES = ['open', 'information_requested', 'awaiting_second_approval'] as const;
export const STATUSES = [...OPEN_STATUSES, 'completed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];
export type Role = 'reviewer' | 'senior_reviewer' | 'operator';

export interface StaffSession {
  token: string;
  staffId: string;
  role: Role;
  expiresAt: string;
}

export interface StaffMe {
  staffId: string;
  email: string;
  role: Role;
}

export interface TaskSummary {
  taskId: string;
  caseId: string;
  kind: Kind;
  queue: Queue;
  status: Status;
  priority: number;
  account: string | null;
  assigneeId: string | null;
  escalated: boolean;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  closedAt: string | null;
}

export interface TaskPage {
  items: TaskSummary[];
  nextCursor: string | null;
}

export interface QueueCounts {
  queues: Array<{ queue: Queue; open: number; unassigned: number; overdue: number; mine: number }>;
}

export interface DocumentSummary {
  documentId: string;
  label: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
}

export interface CaseView {
  task: TaskSummary;
  informationDueAt: string | null;
  firstDecision: { staffId: string; decision: 'approve' | 'reject'; reasonCode: string } | null;
  finalDecision: {
    decision: 'approve' | 'reject';
    reasonCode: string;
    decidedBy: string;
    approvedBy: string | null;
  } | null;
  case: {
    caseId: string;
    kind: Kind;
    status: string;
    account: string;
    applicant: 'session' | 'contact';
    details: Record<string, unknown>;
    checks: Record<string, unknown>;
    reasonCode: string | null;
    documents: DocumentSummary[];
  };
  events: Array<{
    type: string;
    actor: string;
    at: string;
    note: string | null;
    detail: Record<string, unknown> | null;
  }>;
  reasons: { approve: string[]; reject: string[] };
  allowed: {
    claim: boolean;
    release: boolean;
    reassign: boolean;
    comment: boolean;
    requestInformation: boolean;
    decide: boolean;
  };
}
