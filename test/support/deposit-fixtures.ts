import type { MikroORM } from '@mikro-orm/core';
import { newAccountId, newId } from '../../libs/domain/src/ids';
import { maskTail } from '../../libs/domain/src/masking';
import { Account, DepositVerification } from '../../libs/persistence/src/entities';
import { workflowIds, type DepositVerificationInput } from '../../libs/temporal/src/contract';
import { bankAccountNumber } from './factories';

/** An account with a submitted (not yet started) deposit verification, written straight to the database. */
export async function seedDepositVerification(
  orm: MikroORM,
  opts: { accountNumber?: string; enterpriseName?: string; licenceNumber?: string } = {},
): Promise<{ account: Account; verification: DepositVerification; input: DepositVerificationInput }> {
  const em = orm.em.fork();
  const accountId = newAccountId();
  const account = em.create(Account, {
    id: accountId,
    email: `seed.${accountId}@example.com`,
    passwordHash: 'not-a-real-hash',
  });
  const number = opts.accountNumber ?? bankAccountNumber(true);
  const verification = em.create(DepositVerification, {
    id: newId(),
    account,
    enterpriseName: opts.enterpriseName ?? 'Acme Cloud Ltd',
    licenceNumber: opts.licenceNumber ?? '91110000MA01ABCD2X',
    bankAccountHolder: opts.enterpriseName ?? 'Acme Cloud Ltd',
    bankName: 'Industrial and Commercial Bank of China',
    bankAccountNumber: number,
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
