import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  isOpenDepositStatus,
  type AmountEntryResult,
  type DepositVerificationState,
} from '../../../../libs/domain/src/deposit-verification';
import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { maskTail } from '../../../../libs/domain/src/masking';
import { DATA_SECRET_BOX, SecretBox, sealBankAccountNumber } from '../../../../libs/domain/src/secret-box';
import { Account, DepositVerification, RealNameRecord } from '../../../../libs/persistence/src/entities';
import {
  CASE_TYPES,
  DEPOSIT_UPDATE_REJECTIONS,
  WORKFLOW_TYPES,
  depositQueries,
  depositUpdates,
  searchAttributes,
  workflowIds,
  type DepositVerificationInput,
} from '../../../../libs/temporal/src/contract';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import type { SubmitDepositDto } from './deposit-verifications.dto';

/** RN-2: one enterprise verifies at most 3 accounts. */
const ENTERPRISE_ACCOUNT_LIMIT = 3;
/** How long a submission waits for a decided run to record its end before answering 409. */
const CLOSING_WAIT_MS = 10_000;

export interface SubmitResult {
  created: boolean;
  row: DepositVerification;
  live: DepositVerificationState | null;
}

@Injectable()
export class DepositVerificationsService {
  private readonly logger = new Logger(DepositVerificationsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATA_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /**
   * RN-8: starts a deposit verification, or returns the one already open for the account (the
   * workflow ID is the account's business key, so Temporal itself refuses a second one).
   */
  async submit(accountId: number, dto: SubmitDepositDto): Promise<SubmitResult> {
    const account = await this.em.findOneOrFail(Account, { id: accountId });

    const open = await this.findOpen(accountId);
    if (open) return { created: false, row: open, live: await this.liveState(open) };

    // RN-3: an account is verified for at most one enterprise. RN-5: a personally verified one
    // may go on to enterprise verification (the enterprise record supersedes the personal one).
    if (account.realNameStatus === 'enterprise') {
      throw new RuleViolationError(
        'RN-3',
        'already_enterprise_verified',
        'This account is already enterprise-verified',
      );
    }
    // RN-2: the enterprise's three slots.
    const holders = await this.em.count(RealNameRecord, {
      kind: 'enterprise',
      certificateNumber: dto.licenceNumber,
      supersededAt: null,
      account: { $ne: accountId },
    });
    if (holders >= ENTERPRISE_ACCOUNT_LIMIT) {
      throw new RuleViolationError(
        'RN-2',
        'enterprise_account_limit',
        `This enterprise already verifies ${ENTERPRISE_ACCOUNT_LIMIT} accounts; free a slot by changing the identity on one of them`,
        { field: 'licenceNumber' },
      );
    }

    // A start can meet a running workflow under the account's ID: another submission that won
    // the race (answer with it), or a run that has decided (failed, expired…) and is still
    // recording its end (findRunning waits for it to close, so the next start succeeds).
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.start(account, dto);
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const winner = await this.findRunning(accountId);
        if (winner) return { created: false, row: winner, live: await this.liveState(winner) };
        if (attempt >= 2) {
          throw new ConflictError(
            'verification_in_progress',
            'A deposit verification is already in progress',
          );
        }
      }
    }
  }

  private async start(account: Account, dto: SubmitDepositDto): Promise<SubmitResult> {
    const accountId = account.id;
    const now = this.clock.now();
    const workflowId = workflowIds.depositVerification(accountId);
    const id = newId();
    const row = this.em.create(DepositVerification, {
      id,
      account,
      enterpriseName: dto.enterpriseName,
      licenceNumber: dto.licenceNumber,
      bankAccountHolder: dto.bankAccount.holder,
      bankName: dto.bankAccount.bankName,
      // Encrypted at rest; only the payout activity opens it.
      bankAccountNumber: sealBankAccountNumber(this.box, id, dto.bankAccount.accountNumber),
      maskedAccountNumber: maskTail(dto.bankAccount.accountNumber),
      workflowId,
      createdAt: now,
      updatedAt: now,
    });
    await this.em.flush();

    const input: DepositVerificationInput = {
      verificationId: row.id,
      accountId,
      maskedAccountNumber: row.maskedAccountNumber,
    };
    try {
      const handle = await this.temporal.workflow.start(WORKFLOW_TYPES.depositVerification, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(accountId) },
          { key: searchAttributes.caseType, value: CASE_TYPES.depositVerification },
          { key: searchAttributes.caseStatus, value: row.status },
        ],
      });
      row.runId = handle.firstExecutionRunId;
      await this.em.flush();
      return { created: true, row, live: null };
    } catch (err) {
      // Nothing half-written: the row goes unless its workflow started.
      this.em.remove(row);
      await this.em.flush();
      throw err;
    }
  }

  async list(accountId: number): Promise<DepositVerification[]> {
    return this.em.find(
      DepositVerification,
      { account: accountId },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  async get(
    accountId: number,
    id: string,
  ): Promise<{ row: DepositVerification; live: DepositVerificationState | null }> {
    const row = await this.load(accountId, id);
    return { row, live: await this.liveState(row) };
  }

  /** The owner enters the amount from the bank statement (a Workflow Update). */
  async submitAmount(
    accountId: number,
    id: string,
    amountFen: number,
  ): Promise<{ result: AmountEntryResult; row: DepositVerification; live: DepositVerificationState | null }> {
    const row = await this.load(accountId, id);
    let result: AmountEntryResult;
    try {
      result = await this.handle(row).executeUpdate(depositUpdates.submitAmount, { args: [{ amountFen }] });
    } catch (err) {
      throw this.translateUpdateError(err, row);
    }
    await this.em.refresh(row);
    return { result, row, live: await this.liveState(row) };
  }

  async withdraw(
    accountId: number,
    id: string,
  ): Promise<{ row: DepositVerification; live: DepositVerificationState }> {
    const row = await this.load(accountId, id);
    let live: DepositVerificationState;
    try {
      await this.handle(row).executeUpdate(depositUpdates.withdraw, { args: [] });
      live = (await this.handle(row).result()) as DepositVerificationState;
    } catch (err) {
      throw this.translateUpdateError(err, row);
    }
    await this.em.refresh(row);
    return { row, live };
  }

  private async load(accountId: number, id: string): Promise<DepositVerification> {
    // Another account's verification is simply not found.
    const row = await this.em.findOne(DepositVerification, { id, account: accountId });
    if (!row) throw new NotFoundError('Deposit verification');
    return row;
  }

  /**
   * The open verification of the account. The table answers the common case (nothing open)
   * without asking Temporal; when it shows one, the running workflow has the last word.
   */
  private async findOpen(accountId: number): Promise<DepositVerification | null> {
    const candidates = await this.em.count(DepositVerification, {
      account: accountId,
      runId: { $ne: null },
      status: { $in: ['payout_pending', 'awaiting_amount'] },
    });
    return candidates === 0 ? null : this.findRunning(accountId);
  }

  /**
   * The running verification of the account, found through Temporal rather than the table: its
   * row may already say how it ended while the run is still closing. A decided run is waited for.
   */
  private async findRunning(accountId: number): Promise<DepositVerification | null> {
    const handle = this.temporal.workflow.getHandle(workflowIds.depositVerification(accountId));
    try {
      const d = await handle.describe();
      if (d.status.name !== 'RUNNING') return null;
      const live = await handle.query(depositQueries.state);
      if (!isOpenDepositStatus(live.status)) {
        await this.awaitClosed(handle);
        return null;
      }
      return await this.em.findOne(DepositVerification, { id: live.verificationId, account: accountId });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  private async awaitClosed(handle: WorkflowHandle): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ConflictError(
              'verification_closing',
              'The previous verification is still closing; try again shortly',
            ),
          ),
        CLOSING_WAIT_MS,
      );
    });
    try {
      await Promise.race([
        handle.result().then(
          () => undefined,
          () => undefined,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private handle(row: DepositVerification): WorkflowHandle {
    return this.temporal.workflow.getHandle(row.workflowId, row.runId ?? undefined);
  }

  /** Live state from the workflow's query; the recorded row when the workflow cannot answer. */
  private async liveState(row: DepositVerification): Promise<DepositVerificationState | null> {
    if (!row.runId) return null;
    if (!isOpenDepositStatus(row.status) && row.closedAt) return null;
    try {
      return await this.handle(row).query(depositQueries.state);
    } catch (err) {
      this.logger.warn(
        `query of ${row.workflowId}/${row.runId} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return null;
    }
  }

  private translateUpdateError(err: unknown, row: DepositVerification): unknown {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      switch (cause.type) {
        case DEPOSIT_UPDATE_REJECTIONS.malformedAmount:
          return new ValidationError('amountFen', cause.message, 'amount_malformed');
        case DEPOSIT_UPDATE_REJECTIONS.notAwaitingAmount:
          return new ConflictError(
            'not_awaiting_amount',
            `This verification does not take an amount now (${row.status})`,
          );
        case DEPOSIT_UPDATE_REJECTIONS.notWithdrawable:
          return new ConflictError(
            'not_withdrawable',
            'Only a verification whose payout has not landed can be withdrawn',
          );
        default:
          return err;
      }
    }
    if (err instanceof WorkflowNotFoundError || isCompletedWorkflowError(err)) {
      return new ConflictError('verification_closed', `This verification is closed (${row.status})`);
    }
    return err;
  }
}

function isCompletedWorkflowError(err: unknown): boolean {
  return err instanceof Error && /already completed|workflow execution already/i.test(err.message);
}
