import { DAY_MS } from '../../../../libs/domain/src/clock';

/** rule CON-2: wrong passwords allowed per account and Asia/Shanghai calendar day without a captcha. */
export const FREE_FAILURES_PER_DAY = 3;
/** rule CON-2: the failure that locks the account. */
export const LOCKING_FAILURE = 10;
/** rule CON-2: the lock lasts 24 hours from the day's first failure. */
export const LOCK_DURATION_MS = DAY_MS;

/** rule CON-2: after the 3rd failure of the day, every further attempt needs a captcha. */
export function captchaRequired(failuresToday: number): boolean {
  return failuresToday >= FREE_FAILURES_PER_DAY;
}

/** rule CON-2: when the `failuresToday`-th failure locks, until when; otherwise null. */
export function lockUntilAfter(failuresToday: number, firstFailureAt: Date): Date | null {
  return failuresToday >= LOCKING_FAILURE ? new Date(firstFailureAt.getTime() + LOCK_DURATION_MS) : null;
}
