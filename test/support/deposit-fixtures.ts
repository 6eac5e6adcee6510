import type { MikroORM } from '@mikro-orm/core';
import { newAccountId, newId } from '../../libs/domain/src/ids';
import { maskTail } from '../../libs/domain/src/masking';
import { SecretBox, sealBankAccountNumber } from '../../libs/domain/src/secret-box';
import { Account, DepositVerification } from '../../libs/persistence/src/entities';
import { workflowIds, type DepositVerificationInput } from '../../libs/temporal/src/contract';
import type { DEPOSIT_STATUSES } from '../../libs/domain/src/deposit-verification';
import { bankAccountNumber, eventually, licenceNumber } from './factories';
import type { HttpClient } from './http';

/** The data key of tests that seed verifications directly; give it to the activities. */
export const TEST_DATA_BOX = new SecretBox(Buffer.alloc(32, 7));

/** An account with a submitted (not yet started) deposit verification, written straight to the database. */
export async function seedDepositVerification(
  orm: MikroORM,
  opts: {
    accountNumber?: string;
    enterpriseName?: string;
    licenceNumber?: string;
    /** Store the number in plain text, as rows written before encryption at rest did. */
    plainAccountNumber?: boolean;
  } = {},
): Promise<{ account: Account; verification: DepositVerification; input: DepositVerificationInput }> {
  const em = orm.em.fork();
  const accountId = newAccountId();
  const account = em.create(Account, {
    id: accountId,
    email: `seed.${accountId}@example.com`,
    passwordHash: 'not-a-real-hash',
  });
  const number = opts.accountNumber ?? bankAccountNumber(true);
  const id = newId();
  const verification = em.create(DepositVerification, {
    id,
    account,
    enterpriseName: opts.enterpriseName ?? 'Acme Cloud Ltd',
    // A licence of its own: RN-2 lets one enterprise verify 3 accounts, and tests verify many.
    licenceNumber: opts.licenceNumber ?? licenceNumber(),
    bankAccountHolder: opts.enterpriseName ?? 'Acme Cloud Ltd',
    bankName: 'Industrial and Commercial Bank of China',
    bankAccountNumber: opts.plainAccountNumber ? number : sealBankAccountNumber(TEST_DATA_BOX, id, number),
    maskedAccountNumber: maskTail(number),
    workflowId: workflowIds.depositVerification(accountId),
  });
  await em.flush();
  return {
    account,
    verification,
    input: {
      verificationId: verification.id,
      accountId,
      maskedAccountNumber: verification.maskedAccountNumber,
    },
  };
}

/** Polls GET /verifications/enterprise/deposit/{id} until the verification has `status`. */
export async function awaitDepositStatus(
  http: HttpClient,
  token: string,
  id: string,
  status: (typeof DEPOSIT_STATUSES)[number],
) {
  return eventually(
    async () => {
      const r = await http.get(`/verifications/enterprise/deposit/${id}`, token);
      return r.body.status === status ? r.body : undefined;
    },
    20_000,
    `verification ${id} to be ${status}`,
  );
}

/**
 * The newest payout into an account, as its holder reads it on the sandbox bank's statement;
 * with `exactlyOne`, the account must have received that payout only.
 */
export async function payoutAmount(
  http: HttpClient,
  accountNumber: string,
  opts: { exactlyOne?: boolean } = {},
): Promise<number> {
  const st = await http.get<Array<{ amountFen: number }>>(
    `/sandbox/bank/statement?accountNumber=${accountNumber}`,
  );
  expect(st.status).toBe(200);
  if (opts.exactlyOne) expect(st.body).toHaveLength(1);
  expect(st.body.length).toBeGreaterThan(0);
  return st.body[0].amountFen;
}

/** Every payout an account has received, as its holder reads them on the sandbox statement. */
export async function payoutAmounts(http: HttpClient, accountNumber: string): Promise<number[]> {
  const st = await http.get<Array<{ amountFen: number }>>(
    `/sandbox/bank/statement?accountNumber=${accountNumber}`,
  );
  expect(st.status).toBe(200);
  return st.body.map((t) => t.amountFen);
}
