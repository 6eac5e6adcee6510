/**
 * RN-2's counters (takeRealNameSlot / releaseRealNameSlot) on real PostgreSQL: concurrent takes
 * never pass the limit, counts are per site and per kind (ACC-11), a missing counter starts from
 * the identity's current records, and the raw number is never the key.
 */
import { newAccountId, newId } from '../../libs/domain/src/ids';
import { Account, RealNameRecord, RealNameSlot, type Site } from '../../libs/persistence/src/entities';
import {
  realNameSlotKey,
  releaseRealNameSlot,
  takeRealNameSlot,
} from '../../libs/persistence/src/real-name-slots';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { TEST_DATA_BOX } from '../support/deposit-fixtures';
import { licenceNumber } from '../support/factories';

describe('real-name slots (RN-2)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  const enterprise = (certificateNumber: string, site: Site = 'cn') => ({
    site,
    kind: 'enterprise' as const,
    certificateNumber,
    box: TEST_DATA_BOX,
  });
  const take = (id: ReturnType<typeof enterprise>) =>
    db.orm.em.fork().transactional((tx) => takeRealNameSlot(tx, id));

  it('RN-2: ten concurrent takes of one enterprise: exactly 3 succeed', async () => {
    const id = enterprise(licenceNumber());
    const results = await Promise.all(Array.from({ length: 10 }, () => take(id)));
    expect(results.filter(Boolean)).toHaveLength(3);
    const row = await db.orm.em.fork().findOneOrFail(RealNameSlot, { key: realNameSlotKey(id) });
    expect(row.held).toBe(3);
    expect(row.key).not.toContain(id.certificateNumber);
  });

  it('RN-2: a released slot can be taken again; a rolled-back take holds nothing', async () => {
    const id = enterprise(licenceNumber());
    for (let i = 0; i < 3; i += 1) expect(await take(id)).toBe(true);
    expect(await take(id)).toBe(false);
    await db.orm.em.fork().transactional((tx) => releaseRealNameSlot(tx, id));
    await expect(
      db.orm.em.fork().transactional(async (tx) => {
        expect(await takeRealNameSlot(tx, id)).toBe(true);
        throw new Error('the record could not be written');
      }),
    ).rejects.toThrow('the record could not be written');
    expect(await take(id)).toBe(true);
    expect(await take(id)).toBe(false);
  });

  it('ACC-11/RN-2: counts are per site and per kind', async () => {
    const number = licenceNumber();
    for (let i = 0; i < 3; i += 1) expect(await take(enterprise(number, 'cn'))).toBe(true);
    expect(await take(enterprise(number, 'cn'))).toBe(false);
    expect(await take(enterprise(number, 'intl'))).toBe(true);
    const personal = { ...enterprise(number), kind: 'personal' as const };
    expect(await db.orm.em.fork().transactional((tx) => takeRealNameSlot(tx, personal))).toBe(true);
  });

  it('RN-2: a missing counter starts from the current records written before it existed', async () => {
    const number = licenceNumber();
    const em = db.orm.em.fork();
    for (let i = 0; i < 3; i += 1) {
      const account = em.create(Account, {
        id: newAccountId(),
        email: `rn2.${newId()}@example.com`,
        passwordHash: 'not-a-real-hash',
      });
      em.create(RealNameRecord, {
        id: newId(),
        account,
        kind: 'enterprise',
        name: 'Acme Cloud Ltd',
        certificateNumber: number,
        method: 'deposit',
        verifiedAt: new Date(),
        // One of them was superseded: it holds no slot.
        supersededAt: i === 0 ? new Date() : null,
      });
    }
    await em.flush();
    expect(await take(enterprise(number))).toBe(true);
    expect(await take(enterprise(number))).toBe(false);
    expect(await take(enterprise(number, 'intl'))).toBe(true);
  });
});
