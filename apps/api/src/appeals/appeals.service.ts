import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  APPEAL_TITLES,
  appealContactContext,
  appealDetailsContext,
  REQUIRED_DOCUMENTS,
  type AppealDetails,
  type ApplicantType,
} from '../../../../libs/domain/src/appeals';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { maskName, normalizePhone } from '../../../../libs/domain/src/contact';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  UnauthenticatedError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { newId, newToken, sha256Hex } from '../../../../libs/domain/src/ids';
import { maskEmail, maskPhone, maskTail } from '../../../../libs/domain/src/masking';
import { CLOSED_APPEAL_STATUSES, type ReviewKind } from '../../../../libs/domain/src/review';
import { ACCOUNT_KEYRING, type AccountKeyring } from '../../../../libs/persistence/src/account-keys';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import {
  Account,
  AppealCase,
  DepositVerification,
  LoginIdentity,
  MfaDevice,
  ReviewNote,
  ReviewTask,
  type Site,
} from '../../../../libs/persistence/src/entities';
import { emailLoginRefusal } from '../../../../libs/persistence/src/login-emails';
import {
  reviewUpdateIds,
  reviewUpdates,
  searchAttributes,
  WORKFLOW_TYPES,
  workflowIds,
  type AppealInput,
} from '../../../../libs/temporal/src/contract';
import { SessionService } from '../auth/session.service';
import { StaffSessionsService } from '../staff/staff-sessions.service';
import { SignInProtectionService } from '../auth/sign-in-protection.service';
import { toDocumentSummary } from '../documents/documents.mapper';
import { DocumentsService, type DocumentMeta, type DocumentUpload } from '../documents/documents.service';
import { VerificationCodeService, type CodeSent } from '../notifications/verification-codes.service';
import { ReviewWorkflowClient } from '../temporal/review-workflow.client';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.module';
import type { AppealResponse } from './appeals.dto';

/** The purpose of the codes that prove a reachable contact for an appeal. */
const CODE_PURPOSE = 'appeal_contact';
const OPEN_STATUSES: ReadonlyArray<AppealCase['status']> = [
  'draft',
  'in_review',
  'information_requested',
  'awaiting_second_approval',
  'applying',
];

/** Who is asking about a case: its signed-in owner, or the holder of its case token. */
export type CaseCaller = { kind: 'owner'; accountId: number } | { kind: 'token'; caseId: string };

type OwnerBody = Extract<
  AppealDetails,
  { kind: 'registration-email-appeal' | 'payout-appeal' | 'security-phone-appeal' | 'mfa-device-appeal' }
>;

@Injectable()
export class AppealsService {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    private readonly workflows: ReviewWorkflowClient,
    @Inject(TEMPORAL_TASK_QUEUE) private readonly taskQueue: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCOUNT_KEYRING) private readonly keyring: AccountKeyring,
    private readonly documents: DocumentsService,
    private readonly codes: VerificationCodeService,
    private readonly protection: SignInProtectionService,
    private readonly sessions: SessionService,
    private readonly staffSessions: StaffSessionsService,
  ) {}

  // ---- who may see a case ----

  /**
   * The caller of a case route: an owner session (`Authorization: Bearer acs_…`) or the case token
   * (`X-Case-Token`). Another account's case, or a wrong token, is simply not found.
   */
  async caller(
    authorization: string | undefined,
    caseToken: string | undefined,
    caseId: string,
  ): Promise<CaseCaller> {
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (caseToken) {
      const c = await this.em.findOne(AppealCase, { id: caseId, caseTokenHash: sha256Hex(caseToken) });
      if (!c) throw new NotFoundError('Appeal');
      return { kind: 'token', caseId };
    }
    if (bearer && StaffSessionsService.isStaffToken(bearer)) {
      // As on every account route: a staff session never acts as an account.
      if (!(await this.staffSessions.resolve(bearer))) {
        throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
      }
      throw new ForbiddenError('Staff sessions cannot act as an account', 'staff_not_allowed');
    }
    if (bearer) {
      const session = await this.sessions.resolve(bearer);
      if (!session) throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
      if (session.subUser) throw new NotFoundError('Appeal');
      const caller: CaseCaller = { kind: 'owner', accountId: session.account.id };
      await this.load(caller, caseId);
      return caller;
    }
    throw new UnauthenticatedError(
      'A session or the case token (X-Case-Token) is required',
      'session_required',
    );
  }

  private async load(caller: CaseCaller, caseId: string): Promise<AppealCase> {
    const c = await this.em.findOne(AppealCase, { id: caseId }, { populate: ['detailsSealed'] });
    if (!c) throw new NotFoundError('Appeal');
    if (caller.kind === 'owner' && c.accountId !== caller.accountId) throw new NotFoundError('Appeal');
    if (caller.kind === 'token' && caller.caseId !== c.id) throw new NotFoundError('Appeal');
    return c;
  }

  // ---- opening a case ----

  /** An owner opens an appeal (AS-2, RN-8, and CON-1b / MFA-5 when they can still sign in). */
  async createForOwner(accountId: number, body: OwnerBody): Promise<AppealResponse> {
    const account = await this.em.findOneOrFail(Account, { id: accountId });
    const details = await this.checkDetails(account, body);
    const c = await this.insertCase(account, details, { applicantKind: 'session' });
    return this.view(c);
  }

  /**
   * Sends the code that proves a reachable contact (LOG-1, MFA-5, CON-1b without a session). The
   * answer is the same whether or not the account exists (non-enumeration): an unknown account's
   * contact receives a notice that no account matched, not a code.
   */
  async sendCode(input: { site: Site; account: string; contact: string }): Promise<CodeSent> {
    const { channel, destination } = this.contactOf(input.contact);
    const account = await this.findAccount(input.site, input.account);
    const target = {
      site: input.site,
      purpose: CODE_PURPOSE,
      channel,
      destination,
      accountId: account?.id ?? null,
      field: 'contact',
    };
    if (!account) {
      return this.codes.sendNotice(target, {
        subject: 'Appeal: no account found',
        text: 'Someone asked to open an appeal for an account with this contact, but no account matched the details given. If it was you, check the account ID or login email.',
      });
    }
    return this.codes.send(target, (code) => ({
      subject: 'Your appeal code',
      text: `Your code to open an appeal for account ${maskTail(String(account.id), 4)} is ${code}. It is valid for 10 minutes.`,
    }));
  }

  /**
   * Opens a case without a session: the code proves the contact; wrong codes count as failed
   * sign-ins of the named account (CON-2: captcha after 3, lock after 10), so a guesser meets the
   * same walls as at sign-in. An unknown account answers exactly like a wrong code.
   */
  async createSessionless(
    body: {
      site: Site;
      account: string;
      contact: string;
      code: string;
      captcha?: { challengeId: string; answer: string };
    } & (
      | Extract<AppealDetails, { kind: 'sign-in-appeal' }>
      | Extract<AppealDetails, { kind: 'mfa-device-appeal' }>
      | Extract<AppealDetails, { kind: 'security-phone-appeal' }>
    ),
  ): Promise<AppealResponse> {
    const { channel, destination } = this.contactOf(body.contact);
    const subject = `appeal:${body.site}:${body.account.trim().toLowerCase()}`;
    const attempt = await this.protection.admit(subject, body.captcha, async () => {});
    const account = await this.findAccount(body.site, body.account);
    try {
      // An unknown account's contact got a notice whose code can never verify: its answer is a
      // wrong or expired code, exactly like a wrong code for a real account.
      await this.codes.verify(
        {
          site: body.site,
          purpose: CODE_PURPOSE,
          channel,
          destination,
          accountId: account?.id ?? null,
          field: 'contact',
        },
        body.code,
      );
    } catch (err) {
      if (err instanceof ValidationError) await this.protection.fail(attempt);
      throw err;
    }
    if (!account) {
      // Unreachable in practice (a notice's code never verifies); answered as a wrong code.
      await this.protection.fail(attempt);
      throw new ValidationError('code', 'The code is wrong', 'code_invalid');
    }
    await this.protection.release(attempt);
    const {
      site: _site,
      account: _account,
      contact: _contact,
      code: _code,
      captcha: _captcha,
      ...rest
    } = body;
    const details = await this.checkDetails(account, rest);
    const token = newToken('act');
    const c = await this.insertCase(account, details, {
      applicantKind: 'contact',
      caseTokenHash: sha256Hex(token),
      contact: destination,
    });
    return { ...(await this.view(c)), caseToken: token };
  }

  private contactOf(raw: string): { channel: 'sms' | 'email'; destination: string } {
    if (raw.includes('@')) {
      const email = raw.trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new ValidationError('contact', 'contact: not a valid email or phone');
      return { channel: 'email', destination: email };
    }
    const phone = normalizePhone(raw);
    if (!phone) throw new ValidationError('contact', 'contact: not a valid email or phone');
    return { channel: 'sms', destination: phone };
  }

  /** An active account of the site by its account ID or login email. */
  private async findAccount(site: Site, name: string): Promise<Account | null> {
    const value = name.trim().toLowerCase();
    if (/^\d{16}$/.test(value))
      return this.em.findOne(Account, { id: Number(value), site, status: 'active' });
    if (!value.includes('@')) return null;
    const own = await this.em.findOne(Account, { email: value, site, status: 'active' });
    if (own) return own;
    const identity = await this.em.findOne(
      LoginIdentity,
      { site, kind: 'email', subject: value, account: { status: 'active' } },
      { populate: ['account'] },
    );
    return identity?.account ?? null;
  }

  /** The early checks of each kind, for a friendly answer; the workflow checks again when it applies. */
  private async checkDetails(account: Account, body: AppealDetails): Promise<AppealDetails> {
    switch (body.kind) {
      case 'security-phone-appeal': {
        const phone = normalizePhone(body.newPhone);
        if (!phone) throw new ValidationError('newPhone', 'newPhone: not a valid phone number');
        if (phone === account.securityPhone) {
          throw new ConflictError('same_as_current', 'This is already the security phone', {
            field: 'newPhone',
          });
        }
        return { kind: body.kind, newPhone: phone };
      }
      case 'registration-email-appeal': {
        // AS-2: the registration email is changed by appeal; an account without one has none to change.
        if (!account.email) {
          throw new RuleViolationError(
            'AS-2',
            'no_registration_email',
            'This account was not registered with an email',
          );
        }
        await this.assertEmailFree(account, body.newEmail, 'newEmail');
        return body;
      }
      case 'sign-in-appeal':
        await this.assertEmailFree(account, body.newEmail, 'newEmail');
        return body;
      case 'mfa-device-appeal': {
        if (!body.person === !body.enterprise) {
          throw new ValidationError('person', 'person or enterprise: give exactly one (MFA-5)');
        }
        const phone = normalizePhone(body.reachablePhone);
        if (!phone) throw new ValidationError('reachablePhone', 'reachablePhone: not a valid phone number');
        const devices = await this.em.count(MfaDevice, {
          account: account.id,
          subUser: null,
          removedAt: null,
        });
        if (devices === 0)
          throw new ConflictError('no_mfa_device', 'This account has no MFA device to unbind');
        return { ...body, reachablePhone: phone };
      }
      case 'payout-appeal': {
        const v = await this.em.findOne(DepositVerification, {
          id: body.verificationId,
          account: account.id,
        });
        if (!v) throw new NotFoundError('Deposit verification');
        const now = this.clock.now().getTime();
        const waiting =
          v.status === 'payout_pending' && v.appealAvailableFrom && v.appealAvailableFrom.getTime() <= now;
        // RN-8: from 3 business days after the payout, an owner whose payout has not arrived may appeal.
        if (!waiting && v.status !== 'payout_not_received') {
          throw new RuleViolationError(
            'RN-8',
            'payout_appeal_not_available',
            v.status === 'payout_pending'
              ? 'A payout appeal opens 3 business days after the payout was sent'
              : `This verification is ${v.status}: its payout is not missing`,
            { field: 'verificationId', appealAvailableFrom: v.appealAvailableFrom?.toISOString() ?? null },
          );
        }
        return body;
      }
    }
  }

  private async assertEmailFree(account: Account, email: string, field: string): Promise<void> {
    const refusal = await emailLoginRefusal(this.em, account.site, email, account.id);
    if (refusal) {
      throw new RuleViolationError(
        refusal === 'identity_registered_account' ? 'ACC-6' : 'AS-1',
        refusal,
        'This email cannot become a login email of the account',
        { field },
      );
    }
  }

  /** One open case (draft included) per account and kind: a unique index decides under races. */
  private async insertCase(
    account: Account,
    details: AppealDetails,
    opts: { applicantKind: 'session' | 'contact'; caseTokenHash?: string; contact?: string },
  ): Promise<AppealCase> {
    const id = newId();
    // Sealed under the account's data key: destroyed at cancellation (CAN-5).
    const box = await this.keyring.boxFor(this.em, account.id);
    const c = this.em.create(AppealCase, {
      id,
      kind: details.kind,
      accountId: account.id,
      applicantKind: opts.applicantKind,
      caseTokenHash: opts.caseTokenHash ?? null,
      contactSealed: opts.contact ? box.seal(opts.contact, appealContactContext(id)) : null,
      detailsSealed: box.seal(JSON.stringify(details), appealDetailsContext(id)),
      workflowId: workflowIds.appeal(details.kind, account.id),
      createdAt: this.clock.now(),
    });
    try {
      await this.em.flush();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      this.em.clear();
      const open = await this.em.findOne(AppealCase, {
        accountId: account.id,
        kind: details.kind,
        status: { $in: [...OPEN_STATUSES] },
      });
      throw new ConflictError(
        'appeal_already_open',
        `An appeal of this kind is already open for the account`,
        {
          caseId: open?.id ?? null,
        },
      );
    }
    return c;
  }

  // ---- working on a case ----

  async get(caller: CaseCaller, caseId: string): Promise<AppealResponse> {
    return this.view(await this.load(caller, caseId));
  }

  async list(accountId: number): Promise<AppealResponse[]> {
    const rows = await this.em.find(
      AppealCase,
      { accountId },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 50 },
    );
    return Promise.all(rows.map((r) => this.view(r)));
  }

  async upload(caller: CaseCaller, caseId: string, files: DocumentUpload[]): Promise<DocumentMeta[]> {
    const c = await this.load(caller, caseId);
    this.assertOpen(c);
    const uploadedBy = caller.kind === 'owner' ? `account:${caller.accountId}` : `applicant:${c.id}`;
    return this.documents.upload({ caseId: c.id, accountId: c.accountId, uploadedBy, files });
  }

  /** The applicant reads their own document while the case is open. */
  async readDocument(
    caller: CaseCaller,
    caseId: string,
    documentId: string,
  ): Promise<{ meta: DocumentMeta; bytes: Buffer }> {
    const c = await this.load(caller, caseId);
    this.assertOpen(c);
    return this.documents.read(c.id, documentId, undefined, c.accountId);
  }

  /** Submits a draft: its documents are complete, and its workflow starts. */
  async submit(caller: CaseCaller, caseId: string): Promise<AppealResponse> {
    const c = await this.load(caller, caseId);
    if (c.status !== 'draft') {
      if (c.submittedAt) return this.view(c); // a repeated submit answers with the case
      this.assertOpen(c);
    }
    const account = await this.em.findOneOrFail(Account, { id: c.accountId });
    const have = new Set((await this.documents.list(c.id)).map((d) => d.label));
    const missing = REQUIRED_DOCUMENTS[c.kind][applicantType(account)].filter((l) => !have.has(l));
    if (missing.length > 0) {
      throw new ValidationError(
        'documents',
        `documents: missing ${missing.join(', ')}`,
        'documents_missing',
        { missing },
      );
    }
    const now = this.clock.now();
    const moved = await this.em.nativeUpdate(
      AppealCase,
      { id: c.id, status: 'draft' },
      { status: 'in_review', submittedAt: now },
    );
    if (moved !== 1) return this.view(await this.load(caller, caseId));
    const input: AppealInput = { caseId: c.id, kind: c.kind, accountId: c.accountId };
    try {
      const handle = await this.temporal.workflow.start(WORKFLOW_TYPES.appeal, {
        workflowId: c.workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: searchAttributes.accountId, value: String(c.accountId) },
          { key: searchAttributes.caseType, value: c.kind },
          { key: searchAttributes.caseStatus, value: 'in_review' },
        ],
        staticSummary: `${APPEAL_TITLES[c.kind]} · case ${c.id}`,
        staticDetails: `Account ${c.accountId}. Documents and details are in the case view of the staff inbox.`,
      });
      await this.em.nativeUpdate(AppealCase, { id: c.id }, { runId: handle.firstExecutionRunId });
    } catch (err) {
      // Nothing half-written: the case is a draft again, and may be submitted again.
      await this.em.nativeUpdate(
        AppealCase,
        { id: c.id, runId: null },
        { status: 'draft', submittedAt: null },
      );
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ConflictError(
          'appeal_already_open',
          'An appeal of this kind is already in review for the account',
        );
      }
      throw err;
    }
    return this.view(await this.em.findOneOrFail(AppealCase, { id: c.id }, { refresh: true }));
  }

  /** The applicant answers an information request with a note and/or documents of the case. */
  async answer(
    caller: CaseCaller,
    caseId: string,
    body: { note?: string; documentIds: string[] },
    idempotencyKey: string | undefined,
  ): Promise<AppealResponse> {
    const c = await this.load(caller, caseId);
    const ref = this.runRef(c);
    const docs = new Set((await this.documents.list(c.id)).map((d) => d.id));
    const unknown = body.documentIds.find((d) => !docs.has(d));
    if (unknown)
      throw new ValidationError('documentIds', `documentIds: ${unknown} is not a document of this case`);
    const key = idempotencyKey ?? newId();
    const noteId = body.note
      ? await this.note(c.id, 'applicant', 'answer', body.note, `answer:${key}`)
      : null;
    await this.workflows.update(
      ref,
      reviewUpdates.answerInformation,
      [{ noteId, documentIds: body.documentIds }],
      reviewUpdateIds.action(c.id, 'answer', key),
    );
    return this.view(await this.em.findOneOrFail(AppealCase, { id: c.id }, { refresh: true }));
  }

  async withdraw(caller: CaseCaller, caseId: string): Promise<AppealResponse> {
    const c = await this.load(caller, caseId);
    if (c.status === 'draft') {
      const n = await this.em.nativeUpdate(
        AppealCase,
        { id: c.id, status: 'draft' },
        { status: 'withdrawn', closedAt: this.clock.now() },
      );
      if (n === 1) return this.view(await this.em.findOneOrFail(AppealCase, { id: c.id }, { refresh: true }));
    }
    this.assertOpen(c);
    await this.workflows.update(
      this.runRef(c),
      reviewUpdates.withdraw,
      [],
      reviewUpdateIds.action(c.id, 'withdraw', 'once'),
    );
    return this.view(await this.em.findOneOrFail(AppealCase, { id: c.id }, { refresh: true }));
  }

  /** Writes a note once per idempotency key and returns its ID (free text never enters history). */
  async note(
    caseId: string,
    author: string,
    kind: ReviewNote['kind'],
    body: string,
    idempotencyKey: string,
  ): Promise<string> {
    const em = this.em.fork();
    const existing = await em.findOne(ReviewNote, { caseId, idempotencyKey });
    if (existing) return existing.id;
    const id = newId();
    em.create(ReviewNote, { id, caseId, author, kind, body, idempotencyKey, createdAt: this.clock.now() });
    try {
      await em.flush();
      return id;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return (await this.em.fork().findOneOrFail(ReviewNote, { caseId, idempotencyKey })).id;
    }
  }

  private runRef(c: AppealCase): { workflowId: string; runId: string } {
    if (!c.runId) throw new ConflictError('appeal_not_submitted', 'The case has not been submitted');
    return { workflowId: c.workflowId, runId: c.runId };
  }

  private assertOpen(c: AppealCase): void {
    if ((CLOSED_APPEAL_STATUSES as readonly string[]).includes(c.status)) {
      throw new ConflictError('appeal_closed', `The case is ${c.status}`);
    }
  }

  // ---- views ----

  async view(c: AppealCase): Promise<AppealResponse> {
    const account = await this.em.findOne(Account, { id: c.accountId });
    const docs = await this.documents.list(c.id);
    let informationRequest: AppealResponse['informationRequest'] = null;
    if (c.status === 'information_requested') {
      const task = await this.em.findOne(ReviewTask, { caseId: c.id }, { orderBy: { createdAt: 'desc' } });
      const note = await this.em.findOne(
        ReviewNote,
        { caseId: c.id, kind: 'information_request' },
        { orderBy: { createdAt: 'desc', id: 'desc' } },
      );
      const state = task?.state as { informationDueAt?: string | null } | undefined;
      informationRequest = note ? { message: note.body, answerBy: state?.informationDueAt ?? null } : null;
    }
    return {
      caseId: c.id,
      kind: c.kind,
      status: c.status,
      requiredDocuments: [...REQUIRED_DOCUMENTS[c.kind][account ? applicantType(account) : 'person']],
      documents: docs.map(toDocumentSummary),
      informationRequest,
      reasonCode: c.reasonCode ?? null,
      createdAt: c.createdAt.toISOString(),
      submittedAt: c.submittedAt?.toISOString() ?? null,
      closedAt: c.closedAt?.toISOString() ?? null,
    };
  }

  /**
   * A sealed value of the account's case: under the account's data key (`a1.`), or under the
   * global key for cases sealed before accounts had keys (opened without making a key).
   */
  private async open(accountId: number, sealed: string, context: string): Promise<string> {
    return (await this.keyring.boxToOpen(this.em, accountId, sealed)).open(sealed, context);
  }

  /** What staff see of the case: the applicant's fields masked, and the checks (never the numbers). */
  async staffView(caseId: string): Promise<{
    caseId: string;
    kind: ReviewKind;
    status: string;
    account: string;
    applicant: 'session' | 'contact';
    details: Record<string, unknown>;
    checks: Record<string, unknown>;
    reasonCode: string | null;
  }> {
    const c = await this.em.findOne(AppealCase, { id: caseId }, { populate: ['detailsSealed'] });
    if (!c) throw new NotFoundError('Case');
    const d = JSON.parse(
      await this.open(c.accountId, c.detailsSealed, appealDetailsContext(c.id)),
    ) as AppealDetails;
    return {
      caseId: c.id,
      kind: c.kind,
      status: c.status,
      account: maskTail(String(c.accountId), 4),
      applicant: c.applicantKind,
      details: maskDetails(d),
      checks: c.checks,
      reasonCode: c.reasonCode ?? null,
    };
  }
}

/** A person's or an enterprise's documents: from the account's real-name status and type. */
export function applicantType(account: Account): ApplicantType {
  return account.realNameStatus === 'enterprise' || account.accountType === 'enterprise'
    ? 'enterprise'
    : 'person';
}

/** The applicant's fields as staff see them: contacts and names masked, ID numbers never shown. */
function maskDetails(d: AppealDetails): Record<string, unknown> {
  switch (d.kind) {
    case 'security-phone-appeal':
      return { newPhone: maskPhone(d.newPhone) };
    case 'registration-email-appeal':
      return { newEmail: maskEmail(d.newEmail) };
    case 'sign-in-appeal':
      return {
        newEmail: maskEmail(d.newEmail),
        basicInfo: {
          registeredIn: d.basicInfo.registeredIn ?? null,
          signUpMethod: d.basicInfo.signUpMethod ?? null,
          realName: d.basicInfo.realName ? maskName(d.basicInfo.realName) : null,
          recentActivity: d.basicInfo.recentActivity ?? null,
        },
      };
    case 'mfa-device-appeal':
      return {
        reachablePhone: maskPhone(d.reachablePhone),
        person: d.person ? { realName: maskName(d.person.realName) } : null,
        enterprise: d.enterprise
          ? { companyName: d.enterprise.companyName, applicantName: maskName(d.enterprise.applicantName) }
          : null,
      };
    case 'payout-appeal':
      return { verificationId: d.verificationId };
  }
}
