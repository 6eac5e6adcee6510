/**
 * Issue 11 §1: identity numbers of real-name records are stored sealed and found by a keyed digest.
 * Records written before (plain numbers) are sealed by the data migration `npm run migrate` runs,
 * and count for RN-2 before and after it.
 */
import { newAccountId, newId } from '../../libs/domain/src/ids';
import { Account, RealNameRecord } from '../../libs/persistence/src/entities';
import { certificateDigest } from '../../libs/domain/src/real-name';
import {
  openCertificate,
  sealLegacyRealNameRecords,
  storedCertificate,
} from '../../libs/persistence/src/real-name-records';
import { hasFreeRealNameSlot } from '../../libs/persistence/src/real-name-slots';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { TEST_DATA_BOX } from '../support/deposit-fixtures';
import { mainlandIdNumber } from '../support/face-fixtures';

describe('real-name records: identity numbers sealed (issue 11 §1)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  async function account(): Promise<number> {
    const em = db.orm.em.fork();
    const id = newAccountId();
    em.create(Account, { id, email: `records.${id}@example.com`, passwordHash: 'not-a-real-hash' });
    await em.flush();
    return id;
  }

  it('RN-2: plain records of before are sealed by the data migration, once, and count for the identity before and after', async () => {
    const idNumber = mainlandIdNumber();
    const em = db.orm.em.fork();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = newId();
      ids.push(id);
      // As records were written before issue 11 §1: the number in plain text.
      em.create(RealNameRecord, {
        id,
        account: await account(),
        kind: 'personal',
        name: '王五',
        certificateNumber: idNumber,
        method: 'face',
        verifiedAt: new Date(),
      });
    }
    await em.flush();
    const identity = {
      site: 'cn' as const,
      kind: 'personal' as const,
      certificateNumber: idNumber,
      box: TEST_DATA_BOX,
    };
    expect(await hasFreeRealNameSlot(db.orm.em.fork(), identity)).toBe(false);

    expect(await sealLegacyRealNameRecords(db.orm.em.fork(), TEST_DATA_BOX)).toBeGreaterThanOrEqual(3);
    const rows = (await db.orm.em
      .getConnection()
      .execute(`select * from real_name_records where id in (?, ?, ?)`, ids, 'all')) as Array<
      Record<string, string | null>
    >;
    for (const r of rows) {
      expect(r.certificate_number).toBeNull();
      expect(JSON.stringify(r)).not.toContain(idNumber);
      expect(r.certificate_digest).toBe(certificateDigest(TEST_DATA_BOX, 'personal', idNumber));
    }
    const sealed = await db.orm.em.fork().find(RealNameRecord, { id: { $in: ids } });
    expect(sealed.map((r) => openCertificate(TEST_DATA_BOX, r))).toEqual([idNumber, idNumber, idNumber]);
    // Still the identity's three accounts (RN-2), found by digest now; a second run seals nothing.
    expect(await hasFreeRealNameSlot(db.orm.em.fork(), identity)).toBe(false);
    expect(await sealLegacyRealNameRecords(db.orm.em.fork(), TEST_DATA_BOX)).toBe(0);
  });

  it('a sealed number opens only on its own record', async () => {
    const idNumber = mainlandIdNumber();
    const a = storedCertificate(TEST_DATA_BOX, newId(), 'personal', idNumber);
    expect(() =>
      openCertificate(TEST_DATA_BOX, {
        id: newId(),
        certificateNumber: null,
        certificateSealed: a.certificateSealed,
      }),
    ).toThrow();
  });
});
