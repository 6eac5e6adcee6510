import type { EntityManager } from '@mikro-orm/core';
import { CANCELLATION_BLOCKER_CODES, type CancellationBlocker } from '../../../domain/src/cancellation';
import type { CancellationBlockerSource } from './source';
import { assetsSource } from './sources/assets';
import { billingSource } from './sources/billing';
import { complaintsSource } from './sources/complaints';
import { ledgerSource } from './sources/ledger';
import { usersSource } from './sources/users';

export type { CancellationBlockerSource } from './source';

/**
 * Every module that owns data standing in the way of a cancellation. A module with a new kind of
 * blocking data adds its source here (and its code to CANCELLATION_BLOCKER_CODES).
 */
export const CANCELLATION_BLOCKER_SOURCES: readonly CancellationBlockerSource[] = [
  billingSource,
  ledgerSource,
  assetsSource,
  usersSource,
  complaintsSource,
];

/**
 * rule CAN-1: every unmet condition at once (none: the account may be cancelled), in the order of
 * CANCELLATION_BLOCKER_CODES. Asks every registered source, one after the other on `em` (inside
 * the caller's transaction when there is one, so a check under a lock sees what the lock
 * guards); each answers with one statement of counts and sums over indexed columns.
 *
 * Used by `GET /accounts/me/cancellation/eligibility`, and again by the cancellation workflow
 * before review and immediately before execution.
 */
export async function cancellationBlockers(
  em: EntityManager,
  accountId: number,
  now: Date,
): Promise<CancellationBlocker[]> {
  const found: CancellationBlocker[] = [];
  for (const source of CANCELLATION_BLOCKER_SOURCES) {
    found.push(...(await source.blockers(em, accountId, now)));
  }
  const rank = (b: CancellationBlocker) => CANCELLATION_BLOCKER_CODES.indexOf(b.code);
  return found.sort((a, b) => rank(a) - rank(b));
}
