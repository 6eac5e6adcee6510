import type { EntityManager } from '@mikro-orm/core';
import { RuleViolationError } from '../../domain/src/errors';
import { newId } from '../../domain/src/ids';
import { REAL_NAME_ACCOUNT_LIMIT, realNameChangeAllowedFrom } from '../../domain/src/real-name';
import type { SecretBox } from '../../domain/src/secret-box';
import { Account, RealNameRecord, type RealNameMethod } from './entities';
import { releaseRealNameSlot, takeRealNameSlot } from './real-name-slots';

export interface EnterpriseVerification {
  accountId: number;
  enterpriseName: string;
  licenceNumber: string;
  /** The route that verified it (RN-7). */
  method: RealNameMethod;
  /** The process that produced it (deposit or recharge verification ID, Official Account assertion). */
  sourceId: string;
  now: Date;
  /** The data SecretBox (RN-2's counter key is its keyed digest of the number). */
  box: SecretBox;
}

/**
 * RN-11: makes the account enterprise-verified, in the caller's transaction; every enterprise
 * route (deposit, recharge, Official Account) completes through here. Idempotent per source.
 * - RN-1: the current record is superseded, never deleted, and a change of identity waits 30 days
 *   (RN-5's personal → enterprise step is no change).
 * - RN-2: the enterprise's slot is taken here, where the record is written, by a conditional
 *   update; a full enterprise is refused and nothing is written.
 */
export async function recordEnterpriseVerification(
  tx: EntityManager,
  v: EnterpriseVerification,
): Promise<'recorded' | 'already'> {
  if ((await tx.count(RealNameRecord, { sourceId: v.sourceId })) > 0) return 'already';
  const account = await tx.findOneOrFail(Account, { id: v.accountId });
  const current = await tx.findOne(RealNameRecord, { account: account.id, supersededAt: null });
  const next = { kind: 'enterprise' as const, certificateNumber: v.licenceNumber };
  const sameIdentity = current?.kind === next.kind && current.certificateNumber === next.certificateNumber;
  if (!sameIdentity) {
    const changeAllowedFrom = realNameChangeAllowedFrom(current, next, v.now);
    if (changeAllowedFrom) {
      throw new RuleViolationError(
        'RN-1',
        'real_name_change_too_soon',
        `Real-name information changes at most once in 30 days; it may change again from ${changeAllowedFrom.toISOString()}`,
        { changeAllowedFrom: changeAllowedFrom.toISOString() },
      );
    }
    const identity = { site: account.site, box: v.box };
    if (!(await takeRealNameSlot(tx, { ...identity, ...next }))) {
      throw new RuleViolationError(
        'RN-2',
        'enterprise_account_limit',
        `This enterprise already verifies ${REAL_NAME_ACCOUNT_LIMIT} accounts; free a slot by changing the identity on one of them`,
        { field: 'licenceNumber', limit: REAL_NAME_ACCOUNT_LIMIT },
      );
    }
    // Changing the identity on the account frees the old identity's slot (RN-2).
    if (current) {
      await releaseRealNameSlot(tx, {
        ...identity,
        kind: current.kind,
        certificateNumber: current.certificateNumber,
      });
    }
  }
  await tx.nativeUpdate(RealNameRecord, { account: account.id, supersededAt: null }, { supersededAt: v.now });
  tx.create(RealNameRecord, {
    id: newId(),
    account,
    kind: 'enterprise',
    name: v.enterpriseName,
    certificateNumber: v.licenceNumber,
    method: v.method,
    sourceId: v.sourceId,
    verifiedAt: v.now,
  });
  await tx.nativeUpdate(Account, { id: account.id }, { realNameStatus: 'enterprise', updatedAt: v.now });
  return 'recorded';
}
