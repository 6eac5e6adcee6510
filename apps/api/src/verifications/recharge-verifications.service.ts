import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
  ServiceUnavailableError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { alreadyEnterpriseVerified, realNameLimitReached } from '../../../../libs/domain/src/real-name';
import {
  RECHARGE_MAX_FEN,
  RECHARGE_MIN_FEN,
  RECHARGE_PAYMENT_WINDOW_MS,
  isOpenRechargeStatus,
  isPublicInstitution,
  type RechargeVerificationState,
} from '../../../../libs/domain/src/recharge-verification';
import { DATA_SECRET_BOX, SecretBox } from '../../../../libs/domain/src/secret-box';
import { Account, RechargeVerification } from '../../../../libs/persistence/src/entities';
import { hasFreeRealNameSlot } from '../../../../libs/persistence/src/real-name-slots';
import {
  CASE_TYPES,
  WORKFLOW_TYPES,
  rechargeQueries,
  searchAttributes,
  workflowIds,
  type RechargeVerificationInput,
} from '../../../../libs/temporal/src/contract';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import { isTemporalUnreachable } from '../temporal/temporal-errors';
import type { SubmitRechargeDto } from './enterprise-verification.dto';
import { processSummaries } from '../../../../libs/temporal/src/summaries';

/** How long a read waits for the workflow's live state before answering from the table. */
const QUERY_WAIT_MS = 3_000;
const RETRY_AFTER_SECONDS = 2;

export interface RechargeView {
  row: RechargeVerification;
  live: RechargeVerificationState | null;
}

/**
 * RN-9: enterprise verification by recharge. The platform issues a random sum under 1 CNY; the
 * enterprise pays it into its account's collection account from its corporate account within
 * 7 days; the workflow `recharge-verification:<accountId>` matches what the bank reports.
 */
@Injectable()
export class RechargeVerificationsService {
  private readonly logger = new Logger(RechargeVerificationsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATA_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Starts a recharge verification, or answers with the one already open for the account. */
  async submit(accountId: number, dto: SubmitRechargeDto): Promise<RechargeView & { created: boolean }> {
    try {
      return await this.submitOnce(accountId, dto);
    } catch (err) {
      if (isTemporalUnreachable(err)) {
        throw new ServiceUnavailableError(
          RETRY_AFTER_SECONDS,
          'The verification service cannot be reached just now; send the same request again shortly',
          'verification_unavailable',
          { cause: err },
        );
      }
      throw err;
    }
  }

  private async submitOnce(
    accountId: number,
    dto: SubmitRechargeDto,
  ): Promise<RechargeView & { created: boolean }> {
    const account = await this.em.findOneOrFail(Account, { id: accountId });
    const open = await this.findOpen(accountId);
    if (open) return { created: false, row: open, live: await this.liveState(open) };

    // RN-3: an account is verified for at most one enterprise (RN-5: a personal one may go on).
    if (account.realNameStatus === 'enterprise') {
      throw alreadyEnterpriseVerified();
    }
    // RN-10: public institutions verify through the Official Account or the corporate transfer only.
    if (isPublicInstitution(dto.licenceNumber)) {
      throw new RuleViolationError(
        'RN-10',
        'method_not_for_public_institutions',
        'A public institution verifies through its Official Account or a corporate transfer, not by recharge',
        { field: 'licenceNumber', methods: ['official_account', 'deposit'] },
      );
    }
    // RN-2: an early, friendly answer; the completion takes the slot, and that is what counts.
    const free = await hasFreeRealNameSlot(this.em, {
      site: account.site,
      kind: 'enterprise',
      certificateNumber: dto.licenceNumber,
      box: this.box,
    });
    if (!free) {
      throw realNameLimitReached('enterprise');
    }

    const now = this.clock.now();
    const row = this.em.create(RechargeVerification, {
      id: newId(),
      account: this.em.getReference(Account, accountId),
      enterpriseName: dto.enterpriseName,
      licenceNumber: dto.licenceNumber,
      // RN-9: a random sum under 1 CNY, drawn once and kept with the verification.
      amountFen: randomInt(RECHARGE_MIN_FEN, RECHARGE_MAX_FEN + 1),
      deadline: new Date(now.getTime() + RECHARGE_PAYMENT_WINDOW_MS),
      workflowId: workflowIds.rechargeVerification(accountId),
      createdAt: now,
      updatedAt: now,
    });
    await this.em.flush();

    try {
      const input: RechargeVerificationInput = { verificationId: row.id, accountId };
      const handle = await this.temporal.workflow.start(WORKFLOW_TYPES.rechargeVerification, {
        workflowId: row.workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        memo: { verificationId: row.id },
        // One open recharge verification per account: Temporal itself refuses a second one.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(accountId) },
          { key: searchAttributes.caseType, value: CASE_TYPES.rechargeVerification },
          { key: searchAttributes.caseStatus, value: row.status },
        ],
        ...processSummaries.rechargeVerification(input),
      });
      await this.em.nativeUpdate(
        RechargeVerification,
        { id: row.id, runId: null },
        { runId: handle.firstExecutionRunId },
      );
      await this.em.refresh(row);
      return { created: true, row, live: null };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // A concurrent submission won the race: this row never got a run, so it goes.
      await this.em.nativeDelete(RechargeVerification, { id: row.id, runId: null });
      const winner = await this.findOpen(accountId);
      if (winner) return { created: false, row: winner, live: await this.liveState(winner) };
      throw new ConflictError('verification_in_progress', 'A recharge verification is already in progress');
    }
  }

  async list(accountId: number): Promise<RechargeVerification[]> {
    return this.em.find(
      RechargeVerification,
      { account: accountId, runId: { $ne: null } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  async get(accountId: number, id: string): Promise<RechargeView> {
    // Another account's verification is simply not found.
    const row = await this.em.findOne(RechargeVerification, { id, account: accountId, runId: { $ne: null } });
    if (!row) throw new NotFoundError('Recharge verification');
    return { row, live: await this.liveState(row) };
  }

  /**
   * The account's open verification: its newest row waiting for a payment whose run still runs.
   * A row whose run ID was never saved (the answer of the start was lost) gets it here, when the
   * account's running run names it in its memo.
   */
  async findOpen(accountId: number): Promise<RechargeVerification | null> {
    const row = await this.em.findOne(
      RechargeVerification,
      { account: accountId, status: 'awaiting_payment' },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    if (!row) return null;
    try {
      const d = await this.temporal.workflow.getHandle(row.workflowId, row.runId ?? undefined).describe();
      if (d.status.name !== 'RUNNING') return null;
      if (!row.runId) {
        if ((d.memo as { verificationId?: unknown } | undefined)?.verificationId !== row.id) return null;
        await this.em.nativeUpdate(RechargeVerification, { id: row.id, runId: null }, { runId: d.runId });
        await this.em.refresh(row);
      }
      return row;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  /** Live state from the workflow's query; the recorded row when the workflow cannot answer. */
  private async liveState(row: RechargeVerification): Promise<RechargeVerificationState | null> {
    if (!row.runId || !isOpenRechargeStatus(row.status)) return null;
    try {
      return await this.temporal.withDeadline(Date.now() + QUERY_WAIT_MS, () =>
        this.temporal.workflow.getHandle(row.workflowId, row.runId ?? undefined).query(rechargeQueries.state),
      );
    } catch (err) {
      this.logger.warn(
        `query of ${row.workflowId}/${row.runId} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return null;
    }
  }
}
