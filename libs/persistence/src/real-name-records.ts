import type { EntityManager } from '@mikro-orm/core';
import { newId } from '../../domain/src/ids';
import {
  certificateDigest,
  realNameChangeAllowedFrom,
  realNameChangeTooSoon,
  realNameLimitReached,
} from '../../domain/src/real-name';
import { isSealed, type SecretBox } from '../../domain/src/secret-box';
import { Account, RealNameRecord, type RealNameKind, type RealNameMethod } from './entities';
import { releaseRealNameSlot, takeRealNameSlot } from './real-name-slots';

const context = (recordId: string) => `real-name-record:${recordId}:certificate-number`;

/** The stored form of a new record's number: sealed, with its digest, and no plain text. */
export function storedCertificate(
  box: SecretBox,
  recordId: string,
  kind: RealNameKind,
  certificateNumber: string,
): Pick<RealNameRecord, 'certificateNumber' | 'certificateSealed' | 'certificateDigest'> {
  return {
    certificateNumber: null,
    certificateSealed: box.seal(certificateNumber, context(recordId)),
    certificateDigest: certificateDigest(box, kind, certificateNumber),
  };
}

/** A record's number, opened (legacy records hold it plain and are read as they are). */
export function openCertificate(
  box: SecretBox,
  r: Pick<RealNameRecord, 'id' | 'certificateNumber' | 'certificateSealed'>,
): string {
  if (r.certificateSealed) return box.open(r.certificateSealed, context(r.id));
  if (r.certificateNumber && !isSealed(r.certificateNumber)) return r.certificateNumber;
  throw new Error(`real-name record ${r.id} holds no identity number`);
}

/** Whether a record is of this identity (by digest; a legacy record by its plain number). */
export function isSameIdentity(
  box: SecretBox,
  r: Pick<RealNameRecord, 'kind' | 'certificateNumber' | 'certificateDigest'> | null,
  kind: RealNameKind,
  certificateNumber: string,
): boolean {
  if (!r || r.kind !== kind) return false;
  return r.certificateDigest
    ? r.certificateDigest === certificateDigest(box, kind, certificateNumber)
    : r.certificateNumber === certificateNumber;
}

/**
 * The data migration of issue 11 §1: seals the numbers of records written before, in batches, each
 * row in one conditional update (a row sealed meanwhile is left alone). Idempotent; `npm run
 * migrate` runs it after the schema migrations. Returns how many records it sealed.
 */
export async function sealLegacyRealNameRecords(
  em: EntityManager,
  box: SecretBox,
  batch = 500,
): Promise<number> {
  let sealed = 0;
  for (;;) {
    const rows = (await em.getConnection().execute(
      `select id, kind, certificate_number from real_name_records
          where certificate_sealed is null and certificate_number is not null order by id limit ?`,
      [batch],
      'all',
    )) as Array<{ id: string; kind: RealNameKind; certificate_number: string }>;
    if (rows.length === 0) return sealed;
    for (const r of rows) {
      const s = storedCertificate(box, r.id, r.kind, r.certificate_number);
      await em.getConnection().execute(
        `update real_name_records set certificate_sealed = ?, certificate_digest = ?, certificate_number = null
            where id = ? and certificate_sealed is null and certificate_number = ?`,
        [s.certificateSealed, s.certificateDigest, r.id, r.certificate_number],
        'run',
      );
      sealed += 1;
    }
  }
}

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
  const sameIdentity = isSameIdentity(v.box, current, next.kind, next.certificateNumber);
  if (!sameIdentity) {
    const changeAllowedFrom = realNameChangeAllowedFrom(current, next, v.now);
    if (changeAllowedFrom) {
      throw realNameChangeTooSoon(changeAllowedFrom);
    }
    const identity = { site: account.site, box: v.box };
    if (!(await takeRealNameSlot(tx, { ...identity, ...next }))) {
      throw realNameLimitReached('enterprise');
    }
    // Changing the identity on the account frees the old identity's slot (RN-2).
    if (current) {
      await releaseRealNameSlot(tx, {
        ...identity,
        kind: current.kind,
        certificateNumber: openCertificate(v.box, current),
      });
    }
  }
  await tx.nativeUpdate(RealNameRecord, { account: account.id, supersededAt: null }, { supersededAt: v.now });
  const recordId = newId();
  tx.create(RealNameRecord, {
    id: recordId,
    account,
    kind: 'enterprise',
    name: v.enterpriseName,
    // Sealed, with its keyed digest (issue 11 §1): never the number in plain text.
    ...storedCertificate(v.box, recordId, 'enterprise', v.licenceNumber),
    method: v.method,
    sourceId: v.sourceId,
    verifiedAt: v.now,
  });
  await tx.nativeUpdate(Account, { id: account.id }, { realNameStatus: 'enterprise', updatedAt: v.now });
  return 'recorded';
}
