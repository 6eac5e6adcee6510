/**
 * AccountKeyring (issue 10 CAN-5, crypto-shredding) on real PostgreSQL: a key per account, made on
 * first use (once, even when first used twice at once), values it seals open with it only, and a
 * destroyed key opens nothing any more.
 */
import { randomInt } from 'node:crypto';
import { ConflictError } from '../../libs/domain/src/errors';
import { isAccountSealed } from '../../libs/domain/src/secret-box';
import { AccountKeyring, DESTROYED_KEY } from '../../libs/persistence/src/account-keys';
import { AccountDataKey } from '../../libs/persistence/src/entities';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { TEST_DATA_BOX } from '../support/deposit-fixtures';

describe('AccountKeyring (per-account data keys)', () => {
  let db: TestDatabase;
  const keyring = new AccountKeyring(TEST_DATA_BOX);
  const em = () => db.orm.em.fork();
  const accountId = () => randomInt(1_000_000, 2 ** 40);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('makes one key per account on first use, sealed under the global key; the same box afterwards', async () => {
    const id = accountId();
    const box = await keyring.boxFor(em(), id);
    const sealed = box.seal('6222020200001235', 'ctx');
    expect(isAccountSealed(sealed)).toBe(true);
    expect((await keyring.boxFor(em(), id)).open(sealed, 'ctx')).toBe('6222020200001235');

    const row = await em().findOneOrFail(AccountDataKey, { accountId: id }, { populate: ['wrappedKey'] });
    expect(row.destroyedAt).toBeNull();
    expect(row.wrappedKey.startsWith('v1.')).toBe(true);
    // The key is bound to its account: a wrapped key copied onto another account does not open.
    expect(() => TEST_DATA_BOX.open(row.wrappedKey, `account-data-key:${id + 1}`)).toThrow();
    expect(TEST_DATA_BOX.open(row.wrappedKey, `account-data-key:${id}`)).toHaveLength(43);
  });

  it("another account's box does not open it; values sealed under the global key before still open", async () => {
    const [a, b] = [accountId(), accountId()];
    const sealed = (await keyring.boxFor(em(), a)).seal('secret', 'ctx');
    await expect(keyring.boxFor(em(), b).then((box) => box.open(sealed, 'ctx'))).rejects.toThrow();
    const legacy = TEST_DATA_BOX.seal('before', 'ctx');
    expect((await keyring.boxFor(em(), a)).open(legacy, 'ctx')).toBe('before');
    // Digests stay under the global key (lookups across accounts).
    expect((await keyring.boxFor(em(), a)).digest('x', 'c')).toBe(TEST_DATA_BOX.digest('x', 'c'));
    // The global box does not open an account-sealed value.
    expect(() => TEST_DATA_BOX.open(sealed, 'ctx')).toThrow();
  });

  it('first uses at once make a single key that every caller gets', async () => {
    const id = accountId();
    const boxes = await Promise.all(Array.from({ length: 6 }, () => keyring.boxFor(em(), id)));
    const sealed = boxes[0].seal('same key', 'ctx');
    for (const box of boxes) expect(box.open(sealed, 'ctx')).toBe('same key');
    expect(await em().count(AccountDataKey, { accountId: id })).toBe(1);
  });

  it('destroy: what was sealed opens no more, even with the global key; idempotent; no new key is made', async () => {
    const id = accountId();
    const sealed = (await keyring.boxFor(em(), id)).seal('gone', 'ctx');
    const first = new Date('2026-12-01T00:00:00Z');
    await keyring.destroy(em(), id, first);
    await keyring.destroy(em(), id, new Date('2026-12-02T00:00:00Z'));

    const row = await em().findOneOrFail(AccountDataKey, { accountId: id }, { populate: ['wrappedKey'] });
    expect(row.wrappedKey).toBe(DESTROYED_KEY);
    expect(row.destroyedAt?.toISOString()).toBe(first.toISOString());
    expect(() => TEST_DATA_BOX.open(row.wrappedKey, `account-data-key:${id}`)).toThrow();
    expect(() => TEST_DATA_BOX.open(sealed, 'ctx')).toThrow();

    const refused = keyring.boxFor(em(), id);
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(keyring.boxFor(em(), id)).rejects.toMatchObject({ code: 'account_key_destroyed' });
    expect(await em().count(AccountDataKey, { accountId: id })).toBe(1);
  });

  it('destroying the key of an account that never had one leaves a destroyed row: none is made later', async () => {
    const id = accountId();
    await keyring.destroy(em(), id);
    await expect(keyring.boxFor(em(), id)).rejects.toMatchObject({ code: 'account_key_destroyed' });
  });

  it('takes part in the caller’s transaction: a key made in a rolled-back one is not kept', async () => {
    const id = accountId();
    await expect(
      em().transactional(async (tx) => {
        await keyring.boxFor(tx, id);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await em().count(AccountDataKey, { accountId: id })).toBe(0);
  });
});
