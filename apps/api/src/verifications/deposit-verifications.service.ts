import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import {
  Client,
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { temporal as temporalProto } from '@temporalio/proto';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  DEPOSIT_FAILED_RUN_LIMIT,
  DEPOSIT_FAILED_RUN_WINDOW_MS,
  DEPOSIT_OPEN_SLOT_MAX_MS,
  isOpenDepositStatus,
  type AmountEntryResult,
  type DepositVerificationState,
} from '../../../../libs/domain/src/deposit-verification';
import {
  ConflictError,
  NotFoundError,
  RateLimitedError,
  RuleViolationError,
  ServiceUnavailableError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { alreadyEnterpriseVerified, realNameLimitReached } from '../../../../libs/domain/src/real-name';
import { maskTail } from '../../../../libs/domain/src/masking';
import {
  bankAccountDigest,
  DATA_SECRET_BOX,
  openBankAccountNumber,
  SecretBox,
  sealBankAccountNumber,
} from '../../../../libs/domain/src/secret-box';
import { ACCOUNT_KEYRING, type AccountKeyring } from '../../../../libs/persistence/src/account-keys';
import { Account, DepositRunSlot, DepositVerification } from '../../../../libs/persistence/src/entities';
import {
  CASE_TYPES,
  DEPOSIT_UPDATE_REJECTIONS,
  WORKFLOW_TYPES,
  depositQueries,
  depositUpdateIds,
  depositUpdates,
  searchAttributes,
  workflowIds,
  type DepositVerificationInput,
} from '../../../../libs/temporal/src/contract';
import { processSummaries } from '../../../../libs/temporal/src/summaries';
import { hasFreeRealNameSlot } from '../../../../libs/persistence/src/real-name-slots';
import { execWrite } from '../common/sql';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import type { SubmitDepositDto } from './deposit-verifications.dto';
import { isTemporalUnreachable } from '../temporal/temporal-errors';

/** How long a submission waits for a decided run to record its end before answering 409. */
const CLOSING_WAIT_MS = 10_000;
/**
 * How long a request waits for an amount entry's outcome. Past it the entry goes on in the
 * workflow and the answer is 503 `entry_pending`: the same request (same Idempotency-Key) then
 * gets the entry's outcome. Temporal's own calls retry for longer than a client waits.
 */
const ENTRY_WAIT_MS = 15_000;
/** A written submission without a run is taken as abandoned (its request died) after this long. */
const UNSTARTED_ABANDONED_MS = 60_000;
/** How long a read waits for the workflow's live state before answering from the table. */
const QUERY_WAIT_MS = 3_000;
/** Update IDs one Idempotency-Key may move through past entries that ended `entry_unavailable`. */
const ENTRY_GENERATIONS = 20;
/** Retry-After of a Temporal that cannot be reached, or of an entry still being checked. */
const RETRY_AFTER_SECONDS = 2;

/** Memo of a deposit verification's run: which verification it is, readable without a worker. */
interface DepositRunMemo {
  verificationId?: unknown;
}

/** RN-8 hardening: the scopes a submission takes a run-limit slot in, in claiming order. */
interface SlotScope {
  scope: string;
  /** What the scope is, for the refusal. */
  name: 'account' | 'licenceNumber' | 'bankAccount';
  field?: string;
}

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
    @Inject(ACCOUNT_KEYRING) private readonly keyring: AccountKeyring,
  ) {}

  /**
   * RN-8: starts a deposit verification, or returns the one already open for the account (the
   * workflow ID is the account's business key, so Temporal itself refuses a second one). A
   * submission that was cut short after its row was written (the API process died) is finished
   * by the next one: its run is found and its run ID saved, or its run is started.
   */
  async submit(accountId: number, dto: SubmitDepositDto): Promise<SubmitResult> {
    return this.temporalCall(() => this.submitOnce(accountId, dto));
  }

  private async submitOnce(accountId: number, dto: SubmitDepositDto): Promise<SubmitResult> {
    const account = await this.em.findOneOrFail(Account, { id: accountId });

    const open = await this.findOpen(accountId);
    if (open) return { created: false, row: open, live: await this.liveState(open) };

    // RN-3: an account is verified for at most one enterprise. RN-5: a personally verified one
    // may go on to enterprise verification (the enterprise record supersedes the personal one).
    if (account.realNameStatus === 'enterprise') {
      throw alreadyEnterpriseVerified();
    }
    // RN-2: the enterprise's three slots, per site (ACC-11). An early, friendly answer only: the
    // completion takes the slot (markEnterpriseVerified), and that is what counts.
    const free = await hasFreeRealNameSlot(this.em, {
      site: account.site,
      kind: 'enterprise',
      certificateNumber: dto.licenceNumber,
      box: this.box,
    });
    if (!free) {
      throw realNameLimitReached('enterprise');
    }

    const unstarted = await this.findUnstarted(accountId, dto);
    let row: DepositVerification;
    if (unstarted) {
      row = unstarted;
    } else {
      try {
        row = await this.createWithSlots(account, dto);
      } catch (err) {
        // A concurrent submission of the same account holds the account's slot for a moment.
        const winner = err instanceof RateLimitedError ? await this.findOpen(accountId) : null;
        if (winner) return { created: false, row: winner, live: await this.liveState(winner) };
        throw err;
      }
    }

    // A start can meet a running workflow under the account's ID: another submission that won
    // the race (answer with it), or a run that has decided (failed, expired…) and is still
    // recording its end (findRunning waits for it to close, so the next start succeeds).
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.launch(row);
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const winner = await this.findRunning(accountId);
        if (winner?.id === row.id) return { created: true, row: winner, live: null };
        if (winner || attempt >= 2) {
          // Nothing half-written: this row never got a run, so it and its slots go.
          await this.discardUnstarted(row);
          if (winner) return { created: false, row: winner, live: await this.liveState(winner) };
          throw new ConflictError(
            'verification_in_progress',
            'A deposit verification is already in progress',
          );
        }
      }
    }
  }

  /**
   * Writes the verification together with its RN-8 run-limit slots, in one transaction: a slot
   * in the account's, the licence number's and the bank account's scope, each claimed with one
   * conditional upsert that takes a slot only while it is free (counting before checking), so
   * simultaneous submissions can never hold more than DEPOSIT_FAILED_RUN_LIMIT slots of a scope.
   */
  private async createWithSlots(account: Account, dto: SubmitDepositDto): Promise<DepositVerification> {
    const accountId = account.id;
    const now = this.clock.now();
    const id = newId();
    const scopes: SlotScope[] = [
      { scope: `account:${accountId}`, name: 'account' },
      { scope: `licence:${dto.licenceNumber}`, name: 'licenceNumber', field: 'licenceNumber' },
      {
        scope: `bank:${bankAccountDigest(this.box, dto.bankAccount.accountNumber)}`,
        name: 'bankAccount',
        field: 'bankAccount.accountNumber',
      },
    ];
    await this.em.transactional(async (tx) => {
      // Sealed under the account's data key: destroyed at cancellation (CAN-5).
      const accountBox = await this.keyring.boxFor(tx, accountId);
      tx.create(DepositVerification, {
        id,
        account: tx.getReference(Account, accountId),
        enterpriseName: dto.enterpriseName,
        licenceNumber: dto.licenceNumber,
        bankAccountHolder: dto.bankAccount.holder,
        bankName: dto.bankAccount.bankName,
        // Encrypted at rest; only the payout activity opens it.
        bankAccountNumber: sealBankAccountNumber(accountBox, id, dto.bankAccount.accountNumber),
        maskedAccountNumber: maskTail(dto.bankAccount.accountNumber),
        workflowId: workflowIds.depositVerification(accountId),
        createdAt: now,
        updatedAt: now,
      });
      await tx.flush();
      for (const scope of scopes) await this.claimSlot(tx, scope, id, now);
    });
    return this.em.findOneOrFail(DepositVerification, { id });
  }

  /** rule RN-8 (run limit): takes the first free slot of the scope, or refuses with 429. */
  private async claimSlot(tx: EntityManager, s: SlotScope, verificationId: string, now: Date): Promise<void> {
    const countsUntil = new Date(now.getTime() + DEPOSIT_OPEN_SLOT_MAX_MS);
    for (let slot = 1; slot <= DEPOSIT_FAILED_RUN_LIMIT; slot += 1) {
      const taken = await execWrite(
        tx,
        `insert into deposit_run_slots (scope, slot, verification_id, outcome, claimed_at, counts_until)
         values (?, ?, ?, 'open', ?, ?)
         on conflict (scope, slot) do update
           set verification_id = excluded.verification_id, outcome = 'open',
               claimed_at = excluded.claimed_at, counts_until = excluded.counts_until
           where deposit_run_slots.counts_until <= ?`,
        [s.scope, slot, verificationId, now, countsUntil, now],
      );
      if (taken === 1) return;
    }
    const held = await tx.find(DepositRunSlot, { scope: s.scope }, { orderBy: { countsUntil: 'asc' } });
    const nextAttemptAt = held[0]?.countsUntil ?? now;
    const open = held.filter((h) => h.outcome === 'open').length;
    const windowDays = DEPOSIT_FAILED_RUN_WINDOW_MS / (24 * 3600 * 1000);
    const whose = {
      account: 'this account',
      licenceNumber: 'this licence number',
      bankAccount: 'this bank account',
    }[s.name];
    throw new RateLimitedError(
      Math.max(1, Math.ceil((nextAttemptAt.getTime() - now.getTime()) / 1000)),
      `RN-8: at most ${DEPOSIT_FAILED_RUN_LIMIT} deposit verifications of ${whose} may be open or failed within ${windowDays} days; ` +
        `the next may start at ${nextAttemptAt.toISOString()}${open > 0 ? ' at the latest (sooner if an open one is verified or withdrawn)' : ''}`,
      'deposit_failed_run_limit',
      {
        rule: 'RN-8',
        limit: DEPOSIT_FAILED_RUN_LIMIT,
        windowDays,
        scope: s.name,
        ...(s.field ? { field: s.field } : {}),
        openVerifications: open,
        nextAttemptAt: nextAttemptAt.toISOString(),
      },
    );
  }

  /**
   * Starts the run of a written verification and saves its run ID. An error that leaves open
   * whether the run started (Temporal unreachable, the answer lost) keeps the row: the next
   * submission of the account finds the run, or starts it.
   */
  private async launch(row: DepositVerification): Promise<SubmitResult> {
    const accountId = row.account.id;
    const input: DepositVerificationInput = {
      verificationId: row.id,
      accountId,
      maskedAccountNumber: row.maskedAccountNumber,
    };
    const memo: DepositRunMemo = { verificationId: row.id };
    const handle = await this.temporal.workflow.start(WORKFLOW_TYPES.depositVerification, {
      workflowId: row.workflowId,
      taskQueue: this.taskQueue,
      args: [input],
      memo: { ...memo },
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: searchAttributes.accountId, value: String(accountId) },
        { key: searchAttributes.caseType, value: CASE_TYPES.depositVerification },
        { key: searchAttributes.caseStatus, value: row.status },
      ],
      ...processSummaries.depositVerification(input),
    });
    await this.saveRunId(row, handle.firstExecutionRunId);
    return { created: true, row, live: null };
  }

  /** Records the run ID once; a row never moves to another run. */
  private async saveRunId(row: DepositVerification, runId: string): Promise<void> {
    await this.em.nativeUpdate(DepositVerification, { id: row.id, runId: null }, { runId });
    await this.em.refresh(row);
  }

  /**
   * The account's newest submission whose run was never started (its request ended after the row
   * was written): no run ID, nothing recorded by a workflow. Asked only when no run is running.
   * The same details resume it. Other details replace it once it is clearly abandoned; until then
   * it may be a submission being started this very moment, and the answer is "try again shortly".
   */
  private async findUnstarted(accountId: number, dto: SubmitDepositDto): Promise<DepositVerification | null> {
    const row = await this.em.findOne(
      DepositVerification,
      { account: accountId, runId: null, status: 'payout_pending', payoutRequestedAt: null, closedAt: null },
      { orderBy: { createdAt: 'desc', id: 'desc' }, populate: ['bankAccountNumber'] },
    );
    if (!row) return null;
    const same =
      row.enterpriseName === dto.enterpriseName &&
      row.licenceNumber === dto.licenceNumber &&
      row.bankAccountHolder === dto.bankAccount.holder &&
      row.bankName === dto.bankAccount.bankName &&
      openBankAccountNumber(await this.keyring.boxFor(this.em, accountId), row.id, row.bankAccountNumber) ===
        dto.bankAccount.accountNumber;
    if (same) return row;
    if (this.clock.now().getTime() - row.createdAt.getTime() < UNSTARTED_ABANDONED_MS) {
      throw new ConflictError(
        'verification_in_progress',
        'Another submission of this account is being started; try again shortly',
      );
    }
    await this.discardUnstarted(row);
    return null;
  }

  /** Removes a row that lost the race to another run, with its slots, only if it has no run. */
  private async discardUnstarted(row: DepositVerification): Promise<void> {
    await this.em.transactional(async (tx) => {
      const removed = await tx.nativeDelete(DepositVerification, { id: row.id, runId: null });
      if (removed > 0) await tx.nativeDelete(DepositRunSlot, { verificationId: row.id });
    });
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
    await this.temporalCall(() => this.ensureRunId(row));
    return { row, live: await this.liveState(row) };
  }

  /**
   * The owner enters the amount from the bank statement (a Workflow Update). The update ID comes
   * from the client's Idempotency-Key, so a retried request or a double click is one entry: it
   * spends one attempt, and every copy is answered with its outcome, also after the run closed.
   * Without a key every request is an entry of its own.
   */
  async submitAmount(
    accountId: number,
    id: string,
    amountFen: number,
    idempotencyKey?: string,
  ): Promise<{ result: AmountEntryResult; row: DepositVerification; live: DepositVerificationState | null }> {
    const row = await this.load(accountId, id);
    const result = await this.temporalCall(async () => {
      const handle = await this.runHandle(row);
      const updateId = idempotencyKey
        ? await this.entryUpdateId(row, idempotencyKey)
        : depositUpdateIds.submitAmount(newId());
      return this.temporal.withDeadline(Date.now() + ENTRY_WAIT_MS, () =>
        handle.executeUpdate(depositUpdates.submitAmount, { args: [{ amountFen }], updateId }),
      );
    }, row);
    await this.em.refresh(row);
    return { result, row, live: await this.liveState(row) };
  }

  /**
   * The update ID an entry with this key goes to: the first of the key's IDs that has not ended
   * `entry_unavailable` (an entry that could not check the amount and spent nothing). A finished
   * one is answered from Temporal, one in progress is joined, and at most one new one is made per
   * request. Retries and double clicks look the same IDs up, so they meet on the same entry.
   */
  private async entryUpdateId(row: DepositVerification, entryKey: string): Promise<string> {
    for (let generation = 0; generation < ENTRY_GENERATIONS; generation += 1) {
      const updateId = depositUpdateIds.submitAmount(entryKey, generation);
      const failure = await this.updateFailure(row, updateId);
      if (failure?.applicationFailureInfo?.type !== DEPOSIT_UPDATE_REJECTIONS.entryUnavailable) {
        return updateId;
      }
    }
    throw new ServiceUnavailableError(
      RETRY_AFTER_SECONDS,
      'This entry could not be checked too many times; nothing was spent; send it with a new Idempotency-Key',
      'entry_unavailable',
    );
  }

  /** How an update of the run ended, if it ended with a failure (unknown or unfinished: none). */
  private async updateFailure(
    row: DepositVerification,
    updateId: string,
  ): Promise<temporalProto.api.failure.v1.IFailure | null> {
    try {
      const r = await this.temporal.withDeadline(Date.now() + QUERY_WAIT_MS, () =>
        this.temporal.workflowService.pollWorkflowExecutionUpdate({
          namespace: this.temporal.options.namespace,
          updateRef: { workflowExecution: { workflowId: row.workflowId, runId: row.runId }, updateId },
          identity: this.temporal.options.identity,
          waitPolicy: {}, // the update's stage now, without waiting
        }),
      );
      return r.outcome?.failure ?? null;
    } catch (err) {
      if (isGrpcServiceError(err) && Number(err.code) === GRPC_NOT_FOUND) return null;
      throw err;
    }
  }

  async withdraw(
    accountId: number,
    id: string,
  ): Promise<{ row: DepositVerification; live: DepositVerificationState }> {
    const row = await this.load(accountId, id);
    const live = await this.temporalCall(async () => {
      const handle = await this.runHandle(row);
      await handle.executeUpdate(depositUpdates.withdraw, { args: [] });
      return (await handle.result()) as DepositVerificationState;
    }, row);
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
      status: { $in: ['payout_pending', 'awaiting_amount'] },
    });
    return candidates === 0 ? null : this.findRunning(accountId);
  }

  /**
   * The running verification of the account, found through Temporal rather than the table: its
   * row may already say how it ended while the run is still closing. A decided run is waited for.
   * A row whose run ID was never saved (the API died right after the start) gets it here.
   */
  private async findRunning(accountId: number): Promise<DepositVerification | null> {
    const handle = this.temporal.workflow.getHandle(workflowIds.depositVerification(accountId));
    try {
      const d = await handle.describe();
      if (d.status.name !== 'RUNNING') return null;
      const live = await this.temporal
        .withDeadline(Date.now() + QUERY_WAIT_MS, () => handle.query(depositQueries.state))
        .catch((err: unknown) => {
          // Without a worker the query cannot be answered; the memo still names the verification.
          if (err instanceof WorkflowNotFoundError) throw err;
          return null;
        });
      if (live && !isOpenDepositStatus(live.status)) {
        await this.awaitClosed(handle);
        return null;
      }
      const verificationId = live?.verificationId ?? memoVerificationId(d.memo);
      if (!verificationId)
        throw new ServiceUnavailableError(
          RETRY_AFTER_SECONDS,
          'The verification service is busy',
          'verification_unavailable',
        );
      const row = await this.em.findOne(DepositVerification, { id: verificationId, account: accountId });
      if (row && !row.runId) await this.saveRunId(row, d.runId);
      return row;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  /**
   * Saves the run ID of a row that lacks it, when its run can be found: the account's current
   * run (any status) whose memo, or else whose state, names this verification.
   */
  private async ensureRunId(row: DepositVerification): Promise<void> {
    if (row.runId) return;
    const handle = this.temporal.workflow.getHandle(row.workflowId);
    try {
      const d = await handle.describe();
      let verificationId = memoVerificationId(d.memo);
      if (!verificationId && d.status.name === 'RUNNING') {
        verificationId = (
          await this.temporal.withDeadline(Date.now() + QUERY_WAIT_MS, () =>
            handle.query(depositQueries.state),
          )
        ).verificationId;
      }
      if (verificationId === row.id) await this.saveRunId(row, d.runId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return;
      throw err;
    }
  }

  /**
   * The handle of the row's own run, never "the account's latest run": an update meant for one
   * verification must not reach another. A row without a run takes no amount and cannot be withdrawn.
   */
  private async runHandle(row: DepositVerification): Promise<WorkflowHandle> {
    await this.ensureRunId(row);
    if (!row.runId) {
      throw new ConflictError(
        'not_awaiting_amount',
        `This verification does not take an amount now (${row.status})`,
      );
    }
    return this.temporal.workflow.getHandle(row.workflowId, row.runId);
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

  /** Live state from the workflow's query; the recorded row when the workflow cannot answer. */
  private async liveState(row: DepositVerification): Promise<DepositVerificationState | null> {
    if (!row.runId) return null;
    if (!isOpenDepositStatus(row.status) && row.closedAt) return null;
    try {
      return await this.temporal.withDeadline(Date.now() + QUERY_WAIT_MS, () =>
        this.temporal.workflow.getHandle(row.workflowId, row.runId ?? undefined).query(depositQueries.state),
      );
    } catch (err) {
      this.logger.warn(
        `query of ${row.workflowId}/${row.runId} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return null;
    }
  }

  /**
   * Runs Temporal calls; what they throw becomes a domain error: the workflow's refusals by type,
   * and a Temporal that cannot be reached (or an entry still being checked) a 503 with
   * Retry-After, after which the same request may simply be repeated.
   */
  private async temporalCall<T>(fn: () => Promise<T>, row?: DepositVerification): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translateError(err, row);
    }
  }

  private translateError(err: unknown, row?: DepositVerification): unknown {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    // A rule refused where the entry's effect is written (RN-1, RN-2 in markEnterpriseVerified):
    // the activity's non-retryable failure carries the rule and code; the account is unchanged.
    const refused = cause instanceof ActivityFailure ? cause.cause : undefined;
    if (refused instanceof ApplicationFailure && refused.type === 'RuleViolationError') {
      const { rule, code, ...details } = (refused.details?.[0] ?? {}) as Record<string, unknown>;
      if (typeof rule === 'string' && typeof code === 'string') {
        return new RuleViolationError(rule, code, refused.message, details);
      }
    }
    if (cause instanceof ApplicationFailure) {
      switch (cause.type) {
        case DEPOSIT_UPDATE_REJECTIONS.malformedAmount:
          return new ValidationError('amountFen', cause.message, 'amount_malformed');
        case DEPOSIT_UPDATE_REJECTIONS.notAwaitingAmount:
          return new ConflictError(
            'not_awaiting_amount',
            `This verification does not take an amount now (${row?.status ?? 'closed'})`,
          );
        case DEPOSIT_UPDATE_REJECTIONS.notWithdrawable:
          return new ConflictError(
            'not_withdrawable',
            'Only a verification whose payout has not landed can be withdrawn',
          );
        case DEPOSIT_UPDATE_REJECTIONS.entryUnavailable:
          return new ServiceUnavailableError(
            RETRY_AFTER_SECONDS,
            'The amount could not be checked just now and no attempt was spent; send it again',
            'entry_unavailable',
            { cause: err },
          );
        default:
          return err;
      }
    }
    if (err instanceof WorkflowNotFoundError || isCompletedWorkflowError(err)) {
      return new ConflictError(
        'verification_closed',
        `This verification is closed (${row?.status ?? 'closed'})`,
      );
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      return new ServiceUnavailableError(
        RETRY_AFTER_SECONDS,
        'The amount is still being checked; send the same request (same Idempotency-Key) again for its outcome',
        'entry_pending',
        { cause: err },
      );
    }
    if (isTemporalUnreachable(err)) {
      return new ServiceUnavailableError(
        RETRY_AFTER_SECONDS,
        'The verification service cannot be reached just now; send the same request again shortly',
        'verification_unavailable',
        { cause: err },
      );
    }
    return err;
  }
}

function isCompletedWorkflowError(err: unknown): boolean {
  return err instanceof Error && /already completed|workflow execution already/i.test(err.message);
}

const GRPC_NOT_FOUND = 5;

function memoVerificationId(memo: Record<string, unknown> | undefined): string | undefined {
  const v = (memo as DepositRunMemo | undefined)?.verificationId;
  return typeof v === 'string' ? v : undefined;
}
