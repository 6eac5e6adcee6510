import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { OPEN_CANCELLATION_STATUSES } from '../../../../libs/domain/src/cancellation';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { maskTail } from '../../../../libs/domain/src/masking';
import { cancellationBlockers } from '../../../../libs/persistence/src/cancellation/eligibility';
import { lockAccountForCancellation } from '../../../../libs/persistence/src/cancellation/freeze';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { Account, AccountCancellation } from '../../../../libs/persistence/src/entities';
import {
  CASE_TYPES,
  cancellationUpdates,
  searchAttributes,
  WORKFLOW_TYPES,
  workflowIds,
  type AccountCancellationInput,
} from '../../../../libs/temporal/src/contract';
import { VerificationCodeService, type CodeSent } from '../notifications/verification-codes.service';
import { ReviewWorkflowClient } from '../temporal/review-workflow.client';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import type { CancellationApplicationResponse } from './cancellation-applications.dto';

/** The purpose of the code sent to the security phone to apply (CAN-8). */
const CODE_PURPOSE = 'cancellation_apply';
/** Where an owner without a reachable security phone changes it first (CON-1, CAN-8). */
const CHANGE_PHONE_HREF = '/accounts/me/security/phone';

/**
 * Applying for, following and withdrawing an account cancellation (issue 10 §2, §5). The
 * process itself is the workflow `account-cancellation:<accountId>`; this service starts it,
 * reads the state it records and sends the owner's withdraw as a Workflow Update.
 */
@Injectable()
export class CancellationApplicationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    private readonly workflows: ReviewWorkflowClient,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly codes: VerificationCodeService,
  ) {}

  /** CAN-8: an owner without a security phone changes (binds) it first, then applies. */
  private async accountWithPhone(accountId: number): Promise<Account & { securityPhone: string }> {
    const account = await this.em.findOne(Account, { id: accountId, status: 'active' });
    if (!account) throw new NotFoundError('Account');
    if (!account.securityPhone) {
      throw new RuleViolationError(
        'CAN-8',
        'security_phone_required',
        'Applying needs a code sent to the security phone. Bind or change the security phone first (CON-1), then apply.',
        { href: CHANGE_PHONE_HREF },
      );
    }
    return account as Account & { securityPhone: string };
  }

  private target(account: Account & { securityPhone: string }) {
    return {
      site: account.site,
      purpose: CODE_PURPOSE,
      channel: 'sms' as const,
      destination: account.securityPhone,
      accountId: account.id,
    };
  }

  async sendCode(accountId: number): Promise<CodeSent> {
    const account = await this.accountWithPhone(accountId);
    return this.codes.send(this.target(account), (code) => ({
      subject: 'Your account cancellation code',
      text: `Your code to apply for the cancellation of account ${maskTail(String(account.id), 4)} is ${code}. It is valid for 10 minutes. If this was not you, change your password at once.`,
    }));
  }

  /**
   * Applies (CAN-8, MFA-3: the route also needs a recent re-authentication): the code sent to
   * the security phone in this request, one open application per account (a unique index), and
   * the workflow started under the account's business ID.
   */
  async apply(accountId: number, code: string): Promise<CancellationApplicationResponse> {
    const account = await this.accountWithPhone(accountId);
    // CAN-1: every unmet condition at once, before the code is spent; the workflow asks again.
    const blockers = await cancellationBlockers(this.em, accountId, this.clock.now());
    if (blockers.length > 0) {
      throw new RuleViolationError(
        'CAN-1',
        'cancellation_not_eligible',
        'The account cannot be cancelled yet: every condition below must be met first',
        { blockers },
      );
    }
    await this.codes.verify(this.target(account), code);
    const id = newId();
    let row: AccountCancellation;
    try {
      row = await this.em.transactional(async (tx) => {
        // Serialised with every creation that would block cancellation (libs/.../freeze.ts):
        // a thing created before this lock is seen by the check below, one after it is refused.
        await lockAccountForCancellation(tx, accountId);
        const now = await cancellationBlockers(tx, accountId, this.clock.now());
        if (now.length > 0) {
          throw new RuleViolationError(
            'CAN-1',
            'cancellation_not_eligible',
            'The account cannot be cancelled yet',
            {
              blockers: now,
            },
          );
        }
        return tx.create(AccountCancellation, {
          id,
          accountId,
          workflowId: workflowIds.accountCancellation(accountId),
          createdAt: this.clock.now(),
        });
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      this.em.clear();
      throw await this.inProgress(accountId);
    }
    const input: AccountCancellationInput = {
      applicationId: id,
      accountId,
      coolingOffDays: this.config.cancellationCoolingOffDays,
    };
    try {
      const handle = await this.temporal.workflow.start(WORKFLOW_TYPES.accountCancellation, {
        workflowId: row.workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(accountId) },
          { key: searchAttributes.caseType, value: CASE_TYPES.accountCancellation },
          { key: searchAttributes.caseStatus, value: 'checking' },
        ],
        staticSummary: `Account cancellation · application ${id}`,
        staticDetails: `Account ${accountId}: eligibility, review when a risk flag applies, cooling-off of ${input.coolingOffDays} days, then execution.`,
      });
      await this.em.nativeUpdate(AccountCancellation, { id }, { runId: handle.firstExecutionRunId });
    } catch (err) {
      // Nothing half-written: the application row goes with the start that failed.
      await this.em.nativeDelete(AccountCancellation, { id, runId: null });
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ConflictError(
          'cancellation_in_progress',
          'The previous application is still closing; try again shortly',
        );
      }
      throw err;
    }
    return this.view(await this.em.findOneOrFail(AccountCancellation, { id }, { refresh: true }));
  }

  private async inProgress(accountId: number): Promise<ConflictError> {
    const open = await this.em.findOne(AccountCancellation, {
      accountId,
      status: { $in: [...OPEN_CANCELLATION_STATUSES] },
    });
    return new ConflictError(
      'cancellation_in_progress',
      'An application to cancel this account is already open',
      {
        applicationId: open?.id ?? null,
      },
    );
  }

  /** The latest application: status, reasons, how long the cooling-off has left. */
  async current(accountId: number): Promise<CancellationApplicationResponse> {
    const row = await this.em.findOne(
      AccountCancellation,
      { accountId },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    if (!row) throw new NotFoundError('Cancellation application');
    return this.view(row);
  }

  /** The owner withdraws an application that has not started executing. */
  async withdraw(accountId: number): Promise<CancellationApplicationResponse> {
    const row = await this.em.findOne(AccountCancellation, {
      accountId,
      status: { $in: [...OPEN_CANCELLATION_STATUSES] },
    });
    if (!row?.runId) throw new NotFoundError('Open cancellation application');
    await this.workflows.update(
      { workflowId: row.workflowId, runId: row.runId },
      cancellationUpdates.withdraw,
      [],
      `withdraw:${row.id}`,
    );
    return this.view(await this.em.findOneOrFail(AccountCancellation, { id: row.id }, { refresh: true }));
  }

  view(row: AccountCancellation): CancellationApplicationResponse {
    const now = this.clock.now().getTime();
    const ends = row.coolingOffEndsAt?.getTime() ?? null;
    return {
      applicationId: row.id,
      status: row.status,
      blockers: row.blockers ?? [],
      riskFlags: row.riskFlags,
      reasonCode: row.reasonCode ?? null,
      coolingOffEndsAt: row.coolingOffEndsAt?.toISOString() ?? null,
      coolingOffSecondsLeft:
        row.status === 'cooling_off' && ends !== null ? Math.max(0, Math.ceil((ends - now) / 1000)) : null,
      createdAt: row.createdAt.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
    };
  }

  /** What a reviewer sees of a cancellation case: codes and counts, nothing personal. */
  async staffView(applicationId: string): Promise<{
    caseId: string;
    kind: 'account-cancellation';
    status: string;
    account: string;
    applicant: 'session';
    details: Record<string, unknown>;
    checks: Record<string, unknown>;
    reasonCode: string | null;
  }> {
    const row = await this.em.findOne(AccountCancellation, { id: applicationId });
    if (!row) throw new NotFoundError('Case');
    return {
      caseId: row.id,
      kind: 'account-cancellation',
      status: row.status,
      account: maskTail(String(row.accountId), 4),
      applicant: 'session',
      details: { appliedAt: row.createdAt.toISOString() },
      checks: { riskFlags: row.riskFlags, blockers: row.blockers ?? [] },
      reasonCode: row.reasonCode ?? null,
    };
  }
}
