import type { MikroORM } from '@mikro-orm/core';
import { newAccountId, newId } from '../../libs/domain/src/ids';
import { maskTail } from '../../libs/domain/src/masking';
import { SecretBox, sealBankAccountNumber } from '../../libs/domain/src/secret-box';
import { Account, DepositVerification } from '../../libs/persistence/src/entities';
import { workflowIds, type DepositVerificationInput } from '../../libs/temporal/src/contract';
import { bankAccountNumber } from './factories';

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
    licenceNumber: opts.licenceNumber ?? '91110000MA01ABCD2X',
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
