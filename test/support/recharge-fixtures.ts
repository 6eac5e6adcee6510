import type { MikroORM } from '@mikro-orm/core';
import { newAccountId, newId } from '../../libs/domain/src/ids';
import { RECHARGE_PAYMENT_WINDOW_MS } from '../../libs/domain/src/recharge-verification';
import {
  Account,
  IncomingPayment,
  RealNameRecord,
  RechargeVerification,
} from '../../libs/persistence/src/entities';
import { workflowIds, type RechargeVerificationInput } from '../../libs/temporal/src/contract';
import { licenceNumber } from './factories';

/** An account with a submitted recharge verification, written straight to the database (workflow tests). */
export async function seedRechargeVerification(
  orm: MikroORM,
  opts: { amountFen?: number; enterpriseName?: string; licenceNumber?: string; now?: Date } = {},
): Promise<{ account: Account; verification: RechargeVerification; input: RechargeVerificationInput }> {
  const em = orm.em.fork();
  const accountId = newAccountId();
  const now = opts.now ?? new Date();
  const account = em.create(Account, {
    id: accountId,
    email: `seed.${accountId}@example.com`,
    passwordHash: 'not-a-real-hash',
  });
  const verification = em.create(RechargeVerification, {
    id: newId(),
    account,
    enterpriseName: opts.enterpriseName ?? 'Acme Cloud Ltd',
    // A licence of its own: RN-2 lets one enterprise verify 3 accounts, and tests verify many.
    licenceNumber: opts.licenceNumber ?? licenceNumber(),
    amountFen: opts.amountFen ?? 37,
    deadline: new Date(now.getTime() + RECHARGE_PAYMENT_WINDOW_MS),
    workflowId: workflowIds.rechargeVerification(accountId),
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return { account, verification, input: { verificationId: verification.id, accountId } };
}

/** A payment the bank reported into the account's collection account (what the webhook writes). */
export async function seedIncomingPayment(
  orm: MikroORM,
  accountId: number,
  p: { amountFen: number; payerHolder?: string; channel?: string; arrivedAt: Date },
): Promise<IncomingPayment> {
  const em = orm.em.fork();
  const payment = em.create(IncomingPayment, {
    id: newId(),
    bankReference: `SBI${newId()}`,
    account: em.getReference(Account, accountId),
    channel: p.channel ?? 'online_banking',
    payerHolder: p.payerHolder ?? 'Acme Cloud Ltd',
    payerAccountMasked: '************1234',
    amountFen: p.amountFen,
    arrivedAt: p.arrivedAt,
    createdAt: new Date(),
  });
  await em.flush();
  return payment;
}

/** `count` accounts already verified for the licence (RN-2's limit is 3), written straight to the database. */
export async function seedEnterpriseHolders(orm: MikroORM, licence: string, count = 3): Promise<void> {
  const em = orm.em.fork();
  for (let i = 0; i < count; i += 1) {
    const account = em.create(Account, {
      id: newAccountId(),
      email: `holder.${newId().toLowerCase()}@example.com`,
      passwordHash: 'not-a-real-hash',
      realNameStatus: 'enterprise',
    });
    em.create(RealNameRecord, {
      id: newId(),
      account,
      kind: 'enterprise',
      name: 'Acme Cloud Ltd',
      certificateNumber: licence,
      method: 'deposit',
      verifiedAt: new Date(),
    });
  }
  await em.flush();
}
