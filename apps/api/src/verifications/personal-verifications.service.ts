import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  ConflictError,
  NotFoundError,
  RateLimitedError,
  RuleViolationError,
  ServiceUnavailableError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import {
  FACE_ATTEMPTS_PER_DAY,
  nextShanghaiMidnight,
  OPEN_PERSONAL_STATUSES,
  siteAcceptsDocument,
  type PersonalVerificationState,
} from '../../../../libs/domain/src/personal-verification';
import {
  realNameChangeAllowedFrom,
  realNameChangeTooSoon,
  realNameLimitReached,
} from '../../../../libs/domain/src/real-name';
import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { DATA_SECRET_BOX, SecretBox } from '../../../../libs/domain/src/secret-box';
import { ACCOUNT_KEYRING, type AccountKeyring } from '../../../../libs/persistence/src/account-keys';
import { Account, PersonalVerification, RealNameRecord } from '../../../../libs/persistence/src/entities';
import { sealPersonalIdentity } from '../../../../libs/persistence/src/personal-identity';
import { hasFreeRealNameSlot } from '../../../../libs/persistence/src/real-name-slots';
import { isSameIdentity } from '../../../../libs/persistence/src/real-name-records';
import {
  CASE_TYPES,
  WORKFLOW_TYPES,
  personalQueries,
  searchAttributes,
  workflowIds,
  type PersonalVerificationInput,
} from '../../../../libs/temporal/src/contract';
import { execWrite } from '../common/sql';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import { isTemporalUnreachable } from '../temporal/temporal-errors';
import type { SubmitPersonalDto } from './personal-verifications.dto';
import { processSummaries } from '../../../../libs/temporal/src/summaries';

/** How long a read waits for the workflow's live state before answering from the table. */
const QUERY_WAIT_MS = 3_000;
/** How long a submission waits for the face session to open, so that its answer carries it. */
const SESSION_WAIT_MS = 5_000;
const RETRY_AFTER_SECONDS = 2;

export interface PersonalSubmitResult {
  created: boolean;
  row: PersonalVerification;
  live: PersonalVerificationState | null;
}

@Injectable()
export class PersonalVerificationsService {
  private readonly logger = new Logger(PersonalVerificationsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATA_SECRET_BOX) private readonly box: SecretBox,
    @Inject(ACCOUNT_KEYRING) private readonly keyring: AccountKeyring,
  ) {}

  /**
   * RN-6: starts a personal verification by face (a new run of `personal-verification:<accountId>`),
   * or answers with the one already open. The rules are checked early here for a clear answer;
   * RN-1 and RN-2 are decided again where the record is written.
   */
  async submit(accountId: number, dto: SubmitPersonalDto): Promise<PersonalSubmitResult> {
    try {
      return await this.submitOnce(accountId, dto);
    } catch (err) {
      throw this.translate(err);
    }
  }

  private async submitOnce(accountId: number, dto: SubmitPersonalDto): Promise<PersonalSubmitResult> {
    const account = await this.em.findOneOrFail(Account, { id: accountId });
    // rule RN-4: the China site refuses Hong Kong, Macau, Taiwan and foreign documents.
    if (!siteAcceptsDocument(account.site, dto.documentType)) {
      throw new RuleViolationError(
        'RN-4',
        'use_international_site',
        'The China site verifies mainland resident identity cards only: people from Hong Kong, Macau, Taiwan or abroad verify on the international site (an account signed up with site "intl")',
        { field: 'documentType', site: 'intl' },
      );
    }
    // rule RN-5: personal → enterprise only; an enterprise-verified account stays so.
    if (account.realNameStatus === 'enterprise') {
      throw new RuleViolationError(
        'RN-5',
        'already_enterprise_verified',
        'This account is enterprise-verified; it cannot go back to personal verification',
      );
    }
    const open = await this.findOpen(accountId);
    if (open) return { created: false, row: open, live: await this.liveState(open) };

    const now = this.clock.now();
    const current = await this.em.findOne(RealNameRecord, { account: accountId, supersededAt: null });
    const next = { kind: 'personal' as const, certificateNumber: dto.idNumber };
    const sameIdentity = isSameIdentity(this.box, current, 'personal', dto.idNumber);
    if (!sameIdentity) {
      // rule RN-1 (early answer; the record's transaction decides).
      const changeAllowedFrom = realNameChangeAllowedFrom(current, next, now);
      if (changeAllowedFrom) {
        throw realNameChangeTooSoon(changeAllowedFrom);
      }
      // rule RN-2 (early answer; the completion takes the slot, and that is what counts).
      const free = await hasFreeRealNameSlot(this.em, {
        site: account.site,
        kind: 'personal',
        certificateNumber: dto.idNumber,
        box: this.box,
      });
      if (!free) {
        throw realNameLimitReached('personal');
      }
    }

    const id = newId();
    await this.em.transactional(async (tx) => {
      await this.takeAttempt(tx, accountId, now);
      // Sealed under the account's data key (CAN-5); found by the number's keyed digest.
      const accountBox = await this.keyring.boxFor(tx, accountId);
      tx.create(PersonalVerification, {
        id,
        account: tx.getReference(Account, accountId),
        documentType: dto.documentType,
        ...sealPersonalIdentity(accountBox, id, { name: dto.name, idNumber: dto.idNumber }),
        workflowId: workflowIds.personalVerification(accountId),
        createdAt: now,
        updatedAt: now,
      });
    });
    const row = await this.em.findOneOrFail(PersonalVerification, { id });

    const input: PersonalVerificationInput = { verificationId: id, accountId };
    let runId: string;
    const start = () =>
      this.temporal.workflow.start(WORKFLOW_TYPES.personalVerification, {
        workflowId: row.workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(accountId) },
          { key: searchAttributes.caseType, value: CASE_TYPES.personalVerification },
          { key: searchAttributes.caseStatus, value: row.status },
        ],
        ...processSummaries.personalVerification(input),
      });
    try {
      let handle;
      try {
        handle = await start();
      } catch (err) {
        // The previous run has recorded its end (the owner saw `failed` and tries again at once)
        // but is still closing: wait for it to close, then start once more.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || (await this.findOpen(accountId)))
          throw err;
        await this.awaitClosed(row.workflowId);
        handle = await start();
      }
      runId = handle.firstExecutionRunId;
    } catch (err) {
      // Nothing half-written: this row never got a run, so it and its attempt go.
      await this.em.transactional(async (tx) => {
        await tx.nativeDelete(PersonalVerification, { id, runId: null });
        await execWrite(
          tx,
          `update face_attempt_days set attempts = attempts - 1
            where account_id = ? and local_date = ? and attempts > 0`,
          [accountId, BusinessCalendar.localDate(now)],
        );
      });
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const winner = await this.findOpen(accountId);
        if (winner) return { created: false, row: winner, live: await this.liveState(winner) };
        throw new ConflictError(
          'verification_in_progress',
          'A personal verification is being started; try again shortly',
        );
      }
      throw err;
    }
    await this.em.nativeUpdate(PersonalVerification, { id, runId: null }, { runId });
    await this.em.refresh(row);
    return { created: true, row, live: await this.awaitSession(row) };
  }

  /**
   * rule RN-6 ("the user may try again"): at most FACE_ATTEMPTS_PER_DAY starts per account and
   * Asia/Shanghai day, counted by one conditional upsert (never check-then-insert), so that
   * simultaneous starts cannot pass it. The refusal says from when the next may start.
   */
  private async takeAttempt(tx: EntityManager, accountId: number, now: Date): Promise<void> {
    const taken = await execWrite(
      tx,
      `insert into face_attempt_days (account_id, local_date, attempts) values (?, ?, 1)
       on conflict (account_id, local_date) do update set attempts = face_attempt_days.attempts + 1
        where face_attempt_days.attempts < ?`,
      [accountId, BusinessCalendar.localDate(now), FACE_ATTEMPTS_PER_DAY],
    );
    if (taken === 1) return;
    const nextAttemptAt = nextShanghaiMidnight(now);
    throw new RateLimitedError(
      Math.max(1, Math.ceil((nextAttemptAt.getTime() - now.getTime()) / 1000)),
      `RN-6: at most ${FACE_ATTEMPTS_PER_DAY} face verifications a day; the next may start at ${nextAttemptAt.toISOString()}`,
      'face_attempt_limit',
      { rule: 'RN-6', limit: FACE_ATTEMPTS_PER_DAY, nextAttemptAt: nextAttemptAt.toISOString() },
    );
  }

  async list(accountId: number): Promise<PersonalVerification[]> {
    return this.em.find(
      PersonalVerification,
      { account: accountId },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  async get(
    accountId: number,
    id: string,
  ): Promise<{ row: PersonalVerification; live: PersonalVerificationState | null }> {
    // Another account's verification is simply not found.
    const row = await this.em.findOne(PersonalVerification, { id, account: accountId });
    if (!row) throw new NotFoundError('Personal verification');
    return { row, live: await this.liveState(row) };
  }

  /** The account's open verification whose run is still running (a stale row is not open). */
  /** Waits (5 s at most) for the running execution of a workflow ID to close. */
  private async awaitClosed(workflowId: string): Promise<void> {
    const handle = this.temporal.workflow.getHandle(workflowId);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      handle.result().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 5_000);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  private async findOpen(accountId: number): Promise<PersonalVerification | null> {
    const row = await this.em.findOne(
      PersonalVerification,
      { account: accountId, status: { $in: [...OPEN_PERSONAL_STATUSES] }, runId: { $ne: null } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    if (!row) return null;
    try {
      const d = await this.temporal.workflow.getHandle(row.workflowId, row.runId ?? undefined).describe();
      return d.status.name === 'RUNNING' ? row : null;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  /** The live state once the face session is open (or the state as it is after a short wait). */
  private async awaitSession(row: PersonalVerification): Promise<PersonalVerificationState | null> {
    const until = Date.now() + SESSION_WAIT_MS;
    let live = await this.liveState(row);
    while (live?.status === 'opening' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      live = await this.liveState(row);
    }
    return live;
  }

  /** Live state from the workflow's query; null (the recorded row answers) when it is closed or silent. */
  private async liveState(row: PersonalVerification): Promise<PersonalVerificationState | null> {
    if (!row.runId || row.closedAt) return null;
    try {
      return await this.temporal.withDeadline(Date.now() + QUERY_WAIT_MS, () =>
        this.temporal.workflow.getHandle(row.workflowId, row.runId ?? undefined).query(personalQueries.state),
      );
    } catch (err) {
      this.logger.warn(
        `query of ${row.workflowId}/${row.runId} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return null;
    }
  }

  private translate(err: unknown): unknown {
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
