import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { ConflictError } from '../../domain/src/errors';
import { AccountSecretBox, isAccountSealed, type SecretBox } from '../../domain/src/secret-box';

/** What a destroyed key's `wrapped_key` holds: not a sealed value, so it opens nothing. */
export const DESTROYED_KEY = 'destroyed';

const keyContext = (accountId: number) => `account-data-key:${accountId}`;

async function exec<T>(em: EntityManager, sql: string, params: unknown[], kind: 'all' | 'run'): Promise<T> {
  return (await em.getConnection().execute(sql, params, kind, em.getTransactionContext())) as T;
}

/**
 * Per-account data keys (issue 10 CAN-5, crypto-shredding). Each account's sealed values (bank
 * account numbers of deposit verifications, appeal details and contact, document keys) are sealed
 * under the account's own random 32-byte key, which `account_data_keys` keeps sealed under the
 * global DATA_ENCRYPTION_KEY. Cancellation destroys it ({@link destroyAccountDataKey}): every
 * value it sealed, wherever a copy of it lies, no longer opens. Shared by the API and the worker;
 * every method takes the caller's EntityManager, to take part in its transaction.
 */
export class AccountKeyring {
  constructor(private readonly global: SecretBox) {}

  /**
   * The SecretBox of the account (an {@link AccountSecretBox}: it also opens values sealed under
   * the global key before). Its key is made on first use: two first uses at once both insert
   * with `on conflict do nothing` and then read the one row that won. 409 `account_key_destroyed`
   * once the account was cancelled.
   */
  async boxFor(em: EntityManager, accountId: number): Promise<SecretBox> {
    let row = await this.read(em, accountId);
    if (!row) {
      const key = randomBytes(32);
      try {
        await exec(
          em,
          `insert into account_data_keys (account_id, wrapped_key, created_at) values (?, ?, now())
           on conflict (account_id) do nothing`,
          [accountId, this.global.seal(key.toString('base64url'), keyContext(accountId))],
          'run',
        );
      } finally {
        key.fill(0);
      }
      row = await this.read(em, accountId);
      if (!row) throw new Error(`account_data_keys: no row for account ${accountId} after inserting it`);
    }
    if (row.destroyed_at !== null || row.wrapped_key === DESTROYED_KEY) {
      throw new ConflictError(
        'account_key_destroyed',
        'The account was cancelled: its data key is destroyed and nothing of it can be sealed or opened',
        { accountId },
      );
    }
    const key = Buffer.from(this.global.open(row.wrapped_key, keyContext(accountId)), 'base64url');
    return new AccountSecretBox(key, accountId, this.global);
  }

  /**
   * The box that opens `sealed`, a value of the account: the account's for an account-sealed
   * (`a1.`) value, else the global one (values sealed before accounts had keys, or plain legacy
   * values), without making a key for the account.
   */
  async boxToOpen(em: EntityManager, accountId: number, sealed: string): Promise<SecretBox> {
    return isAccountSealed(sealed) ? this.boxFor(em, accountId) : this.global;
  }

  /** Destroys the account's data key: see {@link destroyAccountDataKey}. */
  async destroy(em: EntityManager, accountId: number, now: Date = new Date()): Promise<void> {
    await destroyAccountDataKey(em, accountId, now);
  }

  private async read(
    em: EntityManager,
    accountId: number,
  ): Promise<{ wrapped_key: string; destroyed_at: Date | null } | undefined> {
    const found = await exec<{ wrapped_key: string; destroyed_at: Date | null }[]>(
      em,
      'select wrapped_key, destroyed_at from account_data_keys where account_id = ?',
      [accountId],
      'all',
    );
    return found[0];
  }
}

/**
 * Destroys the account's data key (crypto-shredding at cancellation, CAN-5): its wrapped key is
 * overwritten with a value that opens nothing and `destroyed_at` set. An account that never had a
 * key gets a destroyed row, so none is made for it later. Idempotent: a repeat keeps the first
 * `destroyed_at`. Needs no key, so the cancellation activities run it without DATA_ENCRYPTION_KEY.
 */
export async function destroyAccountDataKey(em: EntityManager, accountId: number, now: Date): Promise<void> {
  await exec(
    em,
    `insert into account_data_keys (account_id, wrapped_key, created_at, destroyed_at) values (?, ?, ?, ?)
     on conflict (account_id) do update
       set wrapped_key = excluded.wrapped_key,
           destroyed_at = coalesce(account_data_keys.destroyed_at, excluded.destroyed_at)`,
    [accountId, DESTROYED_KEY, now, now],
    'run',
  );
}

/** Injection token of the AccountKeyring (under the DATA_SECRET_BOX). */
export const ACCOUNT_KEYRING = Symbol('AccountKeyring');
