/**
 * Seeding for the appeal workflow tests: accounts, real-name records, staff, notes and appeal
 * cases written straight to the database (as the API leaves them once an appeal is submitted),
 * and the start of an appeal workflow the way the API starts one.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { appealDetailsContext, type AppealDetails } from '../../libs/domain/src/appeals';
import { newAccountId, newId } from '../../libs/domain/src/ids';
import type { ReviewKind, StaffActor, StaffRoleName } from '../../libs/domain/src/review';
import {
  Account,
  AppealCase,
  RealNameRecord,
  ReviewNote,
  StaffMember,
} from '../../libs/persistence/src/entities';
import { staffSecretContext } from '../../apps/api/src/staff/staff-provisioning';
import {
  searchAttributes,
  WORKFLOW_TYPES,
  workflowIds,
  type AppealInput,
} from '../../libs/temporal/src/contract';
import { TEST_DATA_BOX } from './deposit-fixtures';

export { TEST_DATA_BOX };

/** An active account, optionally with a security phone and a current real-name record. */
export async function seedAccount(
  orm: MikroORM,
  opts: {
    securityPhone?: string | null;
    realName?: { kind: 'personal' | 'enterprise'; name: string; certificateNumber: string };
  } = {},
): Promise<Account> {
  const em = orm.em.fork();
  const id = newAccountId();
  const account = em.create(Account, {
    id,
    email: `appeal.${id}@example.com`,
    passwordHash: 'not-a-real-hash',
    securityPhone: opts.securityPhone ?? null,
  });
  if (opts.realName) {
    em.create(RealNameRecord, {
      id: newId(),
      account,
      kind: opts.realName.kind,
      name: opts.realName.name,
      certificateNumber: opts.realName.certificateNumber,
      method: 'face',
      verifiedAt: new Date(),
    });
  }
  await em.flush();
  return account;
}

/**
 * A staff member row, made like createStaffMember makes one (apps/api/src/staff/staff-provisioning.ts)
 * but without hashing a password nobody signs in with. Returns the actor as the API tells the
 * workflow of it: ID and role only (update arguments are kept in history; no email goes there).
 */
export async function seedStaff(orm: MikroORM, role: StaffRoleName): Promise<StaffActor> {
  const id = newId();
  const email = `${role.replace('_', '-')}.${id.toLowerCase()}@staff.example.com`;
  await orm.em.fork().insert(StaffMember, {
    id,
    email,
    role,
    passwordHash: 'not-a-real-hash',
    totpSecretEncrypted: TEST_DATA_BOX.seal('JBSWY3DPEHPK3PXP', staffSecretContext(id)),
    createdAt: new Date(),
  });
  return { staffId: id, role };
}

/** A note of a case (what the reviewer asks, what the applicant answers); history keeps its ID. */
export async function seedNote(
  orm: MikroORM,
  caseId: string,
  kind: ReviewNote['kind'],
  body: string,
): Promise<string> {
  const id = newId();
  await orm.em.fork().insert(ReviewNote, {
    id,
    caseId,
    author: kind === 'answer' ? 'applicant' : 'staff',
    kind,
    body,
    idempotencyKey: id,
    createdAt: new Date(),
  });
  return id;
}

/** A submitted appeal case (`in_review`) of a signed-in owner, its details sealed to the case. */
export async function seedAppealCase(
  orm: MikroORM,
  accountId: number,
  details: AppealDetails,
): Promise<{ appealCase: AppealCase; input: AppealInput }> {
  const em = orm.em.fork();
  const id = newId();
  const now = new Date();
  const appealCase = em.create(AppealCase, {
    id,
    kind: details.kind,
    accountId,
    status: 'in_review',
    applicantKind: 'session',
    detailsSealed: TEST_DATA_BOX.seal(JSON.stringify(details), appealDetailsContext(id)),
    workflowId: workflowIds.appeal(details.kind, accountId),
    createdAt: now,
    submittedAt: now,
  });
  await em.flush();
  return { appealCase, input: { caseId: id, kind: details.kind, accountId } };
}

/** Starts the case's appeal workflow as the API does, and saves its run ID on the case. */
export async function startAppeal(
  orm: MikroORM,
  client: Client,
  taskQueue: string,
  input: AppealInput,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const handle = await client.workflow.start(WORKFLOW_TYPES.appeal, {
    workflowId: workflowIds.appeal(input.kind, input.accountId),
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    typedSearchAttributes: [
      { key: searchAttributes.accountId, value: String(input.accountId) },
      { key: searchAttributes.caseType, value: input.kind satisfies ReviewKind },
      { key: searchAttributes.caseStatus, value: 'in_review' },
    ],
  });
  await orm.em.fork().nativeUpdate(AppealCase, { id: input.caseId }, { runId: handle.firstExecutionRunId });
  return handle;
}

/** Seeds an account (with `account` options), its case with `details`, and starts its workflow. */
export async function openAppeal(
  orm: MikroORM,
  client: Client,
  taskQueue: string,
  details: AppealDetails,
  account: Parameters<typeof seedAccount>[1] | { existingAccountId: number } = {},
): Promise<{ handle: WorkflowHandleWithFirstExecutionRunId; input: AppealInput; accountId: number }> {
  const accountId =
    'existingAccountId' in account ? account.existingAccountId : (await seedAccount(orm, account)).id;
  const { input } = await seedAppealCase(orm, accountId, details);
  const handle = await startAppeal(orm, client, taskQueue, input);
  return { handle, input, accountId };
}
