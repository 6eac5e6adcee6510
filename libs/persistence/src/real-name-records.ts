import type { EntityManager } from '@mikro-orm/core';
import { isSealed, type SecretBox } from '../../domain/src/secret-box';
import type { RealNameKind, RealNameRecord } from './entities';

/**
 * Identity numbers of real-name records (issue 11 §1): stored sealed (AES-256-GCM under
 * DATA_ENCRYPTION_KEY, bound to the record) and found by a keyed digest (HMAC-SHA-256 under a key
 * derived from the same configured secret), never in plain text. The digest is the one RN-2's
 * counters are keyed by, so a record and its identity's slot meet on it.
 */
export function certificateDigest(box: SecretBox, kind: RealNameKind, certificateNumber: string): string {
  return box.digest(certificateNumber, `real-name:${kind}-certificate-number`);
}

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
