import {
  mayAct,
  queuesOf,
  REASON_CATALOGUE,
  REVIEW_KINDS,
  type ReviewTaskState,
  type StaffActor,
} from './review';

const task = (over: Partial<ReviewTaskState> = {}): ReviewTaskState => ({
  taskId: 't',
  caseId: 'c',
  kind: 'sign-in-appeal',
  accountId: 1,
  queue: 'review',
  status: 'open',
  priority: 2,
  assigneeId: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  dueAt: '2026-12-03T00:00:00.000Z',
  informationDueAt: null,
  escalated: false,
  firstDecision: null,
  finalDecision: null,
  cancelReason: null,
  closedAt: null,
  ...over,
});
const reviewer: StaffActor = { staffId: 'R1', role: 'reviewer' };
const senior: StaffActor = { staffId: 'S1', role: 'senior_reviewer' };
const senior2: StaffActor = { staffId: 'S2', role: 'senior_reviewer' };
const operator: StaffActor = { staffId: 'O1', role: 'operator' };
const code = (v: ReturnType<typeof mayAct>): string => (v.ok ? 'ok' : v.code);

describe('human-task rules (issue 9 §1)', () => {
  it('reviewers work the first queue, seniors both, operators none', () => {
    expect(queuesOf('reviewer')).toEqual(['review']);
    expect(queuesOf('senior_reviewer')).toEqual(['review', 'senior-review']);
    expect(queuesOf('operator')).toEqual([]);
    expect(code(mayAct(task({ queue: 'senior-review' }), reviewer, 'claim'))).toBe('queue_not_allowed');
    expect(code(mayAct(task(), operator, 'claim'))).toBe('queue_not_allowed');
  });

  it('a claimed task cannot be claimed again; only its assignee decides, with a reason of the catalogue', () => {
    const claimed = task({ assigneeId: reviewer.staffId });
    expect(code(mayAct(claimed, senior, 'claim'))).toBe('task_already_claimed');
    expect(
      code(mayAct(task(), reviewer, 'decide', { decision: 'reject', reasonCode: 'ownership_not_proven' })),
    ).toBe('task_not_claimed_by_you');
    expect(
      code(mayAct(claimed, reviewer, 'decide', { decision: 'reject', reasonCode: 'documents_unreadable' })),
    ).toBe('reason_not_allowed');
    expect(
      code(mayAct(claimed, reviewer, 'decide', { decision: 'reject', reasonCode: 'ownership_not_proven' })),
    ).toBe('ok');
  });

  it('four eyes: the first approver can neither claim nor give the second approval', () => {
    const waiting = task({
      status: 'awaiting_second_approval',
      queue: 'senior-review',
      firstDecision: { staffId: senior.staffId, decision: 'approve', reasonCode: 'ownership_verified' },
    });
    expect(code(mayAct(waiting, senior, 'claim'))).toBe('second_approval_same_reviewer');
    expect(
      code(
        mayAct({ ...waiting, assigneeId: senior.staffId }, senior, 'decide', {
          decision: 'approve',
          reasonCode: 'ownership_verified',
        }),
      ),
    ).toBe('second_approval_same_reviewer');
    expect(code(mayAct(waiting, operator, 'reassign', { target: senior }))).toBe(
      'second_approval_same_reviewer',
    );
    expect(code(mayAct(waiting, senior2, 'claim'))).toBe('ok');
  });

  it('nothing but viewing is allowed on a closed task, and no decision while information is requested', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      expect(code(mayAct(task({ status }), senior, 'comment'))).toBe('task_not_open');
      expect(code(mayAct(task({ status }), senior, 'view'))).toBe('ok');
    }
    const asked = task({ status: 'information_requested', assigneeId: reviewer.staffId });
    expect(
      code(mayAct(asked, reviewer, 'decide', { decision: 'reject', reasonCode: 'ownership_not_proven' })),
    ).toBe('information_requested');
    expect(code(mayAct(asked, reviewer, 'request_information'))).toBe('information_requested');
  });

  it('reviewers do not reassign; the new assignee must work the queue', () => {
    expect(code(mayAct(task(), reviewer, 'reassign', { target: senior }))).toBe('role_not_allowed');
    expect(code(mayAct(task({ queue: 'senior-review' }), operator, 'reassign', { target: reviewer }))).toBe(
      'reassign_target_not_allowed',
    );
    expect(code(mayAct(task(), operator, 'reassign', { target: reviewer }))).toBe('ok');
  });

  it('every kind has reasons to approve and to reject', () => {
    for (const kind of REVIEW_KINDS) {
      expect(REASON_CATALOGUE[kind].approve.length).toBeGreaterThan(0);
      expect(REASON_CATALOGUE[kind].reject.length).toBeGreaterThan(0);
    }
  });
});
