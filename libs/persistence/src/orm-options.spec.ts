import { createTestDatabase, type TestDatabase } from '../../../test/support/databases';
import { newAccountId } from '../../domain/src/ids';
import { Account } from './entities';

/** Unchanged entities stay unwritten, and dates keep their milliseconds. */
describe('ORM options', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('a loaded entity nobody changed is not written back on flush, and keeps its dates', async () => {
    const id = newAccountId();
    const stamp = new Date('2026-01-02T03:04:05.678Z');
    const seed = db.orm.em.fork();
    seed.create(Account, {
      id,
      email: `orm.${id}@example.com`,
      passwordHash: 'x',
      createdAt: stamp,
      updatedAt: stamp,
    });
    await seed.flush();

    const em = db.orm.em.fork();
    const loaded = await em.findOneOrFail(Account, { id });
    em.getUnitOfWork().computeChangeSets();
    expect(em.getUnitOfWork().getChangeSets()).toEqual([]);
    await em.flush();

    const again = await db.orm.em.fork().findOneOrFail(Account, { id });
    expect(again.updatedAt.toISOString()).toBe(stamp.toISOString());
    expect(again.createdAt.toISOString()).toBe(loaded.createdAt.toISOString());
  });

  it('a changed date is still written, and read back to the millisecond', async () => {
    const id = newAccountId();
    const em = db.orm.em.fork();
    em.create(Account, { id, email: `orm2.${id}@example.com`, passwordHash: 'x' });
    await em.flush();
    const later = new Date('2027-05-06T07:08:09.123Z');
    const row = await em.findOneOrFail(Account, { id });
    row.createdAt = later;
    await em.flush();
    expect((await db.orm.em.fork().findOneOrFail(Account, { id })).createdAt.toISOString()).toBe(
      later.toISOString(),
    );
  });
});
