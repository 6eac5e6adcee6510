import { raw, type EntityManager } from '@mikro-orm/core';
import { REAL_NAME_ACCOUNT_LIMIT } from '../../domain/src/real-name';
import type { SecretBox } from '../../domain/src/secret-box';
import { RealNameSlot, type RealNameKind, type Site } from './entities';
import { certificateDigest } from '../../domain/src/real-name';

export interface RealNameIdentity {
  site: Site;
  kind: RealNameKind;
  /** ID number (personal) or business licence number (enterprise); only its keyed digest is stored. */
  certificateNumber: string;
  /** The data SecretBox: its keyed digest keys the counter, so the raw number never does. */
  box: SecretBox;
}

/** RN-2's counter key of an identity on a site (ACC-11): the number only as a keyed digest. */
export function realNameSlotKey({ site, kind, certificateNumber, box }: RealNameIdentity): string {
  return `${site}:${kind}:${certificateDigest(box, kind, certificateNumber)}`;
}

/**
 * A missing counter starts at the identity's current records on the site: records written before
 * the counters existed count too (the key is a keyed digest, which the migration cannot compute).
 * Concurrent first uses meet on the primary key; the first insert wins, the others do nothing.
 */
async function ensureCounter(em: EntityManager, id: RealNameIdentity, key: string): Promise<void> {
  await em.getConnection().execute(
    `insert into real_name_slots (key, held)
     select ?, count(*) from real_name_records r join accounts a on a.id = r.account_id
      where a.site = ? and r.kind = ? and r.superseded_at is null
        and (r.certificate_digest = ? or (r.certificate_digest is null and r.certificate_number = ?))
     on conflict (key) do nothing`,
    [key, id.site, id.kind, certificateDigest(id.box, id.kind, id.certificateNumber), id.certificateNumber],
    'run',
    em.getTransactionContext(),
  );
}

/**
 * rule RN-2: takes one of the identity's 3 account slots inside the caller's transaction (the one
 * that writes the real-name record). One conditional UPDATE decides, counting before checking, so
 * concurrent completions cannot pass the limit. False when full. Call it before superseding the
 * account's current record.
 */
export async function takeRealNameSlot(em: EntityManager, id: RealNameIdentity): Promise<boolean> {
  const key = realNameSlotKey(id);
  await ensureCounter(em, id, key);
  const raised = await em.nativeUpdate(
    RealNameSlot,
    { key, held: { $lt: REAL_NAME_ACCOUNT_LIMIT } },
    { held: raw('held + 1') },
  );
  return raised === 1;
}

/**
 * rule RN-2: changing the identity on an account frees its slot. Call it in the transaction that
 * supersedes the record, before the record is marked superseded (a missing counter is started
 * from the current records, this one included).
 */
export async function releaseRealNameSlot(em: EntityManager, id: RealNameIdentity): Promise<void> {
  const key = realNameSlotKey(id);
  await ensureCounter(em, id, key);
  await em.nativeUpdate(RealNameSlot, { key, held: { $gt: 0 } }, { held: raw('held - 1') });
}

/** RN-2: whether the identity has a free slot now (the early, friendly check; completion decides). */
export async function hasFreeRealNameSlot(em: EntityManager, id: RealNameIdentity): Promise<boolean> {
  const key = realNameSlotKey(id);
  const row = await em.findOne(RealNameSlot, { key });
  if (row) return row.held < REAL_NAME_ACCOUNT_LIMIT;
  const rows = (await em.getConnection().execute(
    `select count(*) as n from real_name_records r join accounts a on a.id = r.account_id
      where a.site = ? and r.kind = ? and r.superseded_at is null
        and (r.certificate_digest = ? or (r.certificate_digest is null and r.certificate_number = ?))`,
    [id.site, id.kind, certificateDigest(id.box, id.kind, id.certificateNumber), id.certificateNumber],
    'all',
    em.getTransactionContext(),
  )) as Array<{ n: string }>;
  return Number(rows[0]?.n ?? 0) < REAL_NAME_ACCOUNT_LIMIT;
}
