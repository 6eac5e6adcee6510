import { raw, type EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { MAX_ACCOUNTS_PER_PHONE } from '../../domain/src/contact';
import { PhoneBindCount, type Site } from './entities';

/** ACC-3's counter key of a phone number on a site (ACC-11). */
export function phoneCounterKey(site: Site, phone: string): string {
  return `${site}:${phone}`;
}

/**
 * rule ACC-3: takes one of the phone's 5 account slots and frees the old phone's, inside the
 * caller's transaction. One conditional UPDATE decides (counting before checking), so concurrent
 * binds — from the API or from an approved appeal — cannot pass the limit. False when full.
 */
export async function movePhoneBinding(
  em: EntityManager,
  site: Site,
  phone: string,
  oldPhone: string | null,
): Promise<boolean> {
  const key = phoneCounterKey(site, phone);
  await (em as SqlEntityManager)
    .createQueryBuilder(PhoneBindCount)
    .insert({ key, bound: 0 })
    .onConflict('key')
    .ignore()
    .execute();
  const raised = await em.nativeUpdate(
    PhoneBindCount,
    { key, bound: { $lt: MAX_ACCOUNTS_PER_PHONE } },
    { bound: raw('bound + 1') },
  );
  if (raised !== 1) return false;
  if (oldPhone) {
    await em.nativeUpdate(
      PhoneBindCount,
      { key: phoneCounterKey(site, oldPhone), bound: { $gt: 0 } },
      { bound: raw('bound - 1') },
    );
  }
  return true;
}
