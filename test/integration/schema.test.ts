import { DRIVERS, createTestDatabase } from '../support/databases';

describe.each(DRIVERS)('migrations (%s)', (driver) => {
  it('produce exactly the schema the entities describe (no pending diff)', async () => {
    const db = await createTestDatabase(driver);
    try {
      const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false });
      expect(diff.trim()).toBe('');
      expect(await db.orm.getMigrator().getPendingMigrations()).toEqual([]);
    } finally {
      await db.dispose();
    }
  });
});
