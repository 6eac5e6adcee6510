import { MikroORM } from '@mikro-orm/core';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { migrateUp } from '../../libs/persistence/src/database';
import { createOrmOptions } from '../../libs/persistence/src/orm-options';
import { sqliteMigrations } from '../../libs/persistence/src/migrations/sqlite';
import { createTestDatabase } from '../support/databases';
import { describeSqliteSchema } from '../../libs/persistence/src/sqlite-schema';
import { TEST_STATE_DIR } from '../support/paths';

describe('migrations (postgresql)', () => {
  it('produce exactly the schema the entities describe (no pending diff)', async () => {
    const db = await createTestDatabase('postgresql');
    try {
      const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false });
      expect(diff.trim()).toBe('');
      expect(await db.orm.getMigrator().getPendingMigrations()).toEqual([]);
    } finally {
      await db.dispose();
    }
  });
});

describe('migrations (sqlite)', () => {
  it('produce exactly the schema the entities describe: same tables, columns, indexes, keys and checks', async () => {
    const migrated = await createTestDatabase('sqlite');
    const path = join(TEST_STATE_DIR, 'sqlite', `entities_${randomBytes(4).toString('hex')}.sqlite`);
    const fromEntities = await MikroORM.init(
      createOrmOptions({ driver: 'sqlite', sqlitePath: path, debug: false }),
    );
    try {
      await fromEntities.getSchemaGenerator().createSchema();
      const expected = await describeSqliteSchema(fromEntities);
      expect(Object.keys(expected).length).toBeGreaterThan(5);
      expect(await describeSqliteSchema(migrated.orm)).toEqual(expected);
      expect(await migrated.orm.getMigrator().getPendingMigrations()).toEqual([]);
    } finally {
      await fromEntities.close(true);
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      await migrated.dispose();
    }
  });
});

describe('SQLite migrations on a database with data', () => {
  it('keep every row when later migrations rebuild referenced tables', async () => {
    mkdirSync(join(TEST_STATE_DIR, 'sqlite'), { recursive: true });
    const path = join(TEST_STATE_DIR, 'sqlite', `upgrade_${randomBytes(4).toString('hex')}.sqlite`);
    const orm = await MikroORM.init(createOrmOptions({ driver: 'sqlite', sqlitePath: path, debug: false }));
    try {
      const first = sqliteMigrations[0].name;
      expect(await migrateUp(orm, first)).toEqual([first]);
      const conn = orm.em.getConnection();
      const now = new Date().toISOString();
      await conn.execute(
        `insert into accounts (id, email, password_hash, status, real_name_status, created_at, updated_at) values (1000000000000001, 'keep@example.com', 'x', 'active', 'unverified', ?, ?)`,
        [now, now],
      );
      await conn.execute(
        `insert into sessions (id, account_id, token_hash, created_at, expires_at) values ('01KEEPSESSION0000000000000', 1000000000000001, 'h', ?, ?)`,
        [now, now],
      );
      await conn.execute(
        `insert into real_name_records (id, account_id, kind, name, certificate_number, method, verified_at) values ('01KEEPRECORD00000000000000', 1000000000000001, 'personal', 'Zhang San', '110101199003077777', 'face', ?)`,
        [now],
      );

      const applied = await migrateUp(orm);
      expect(applied.length).toBe(sqliteMigrations.length - 1);
      for (const table of ['accounts', 'sessions', 'real_name_records']) {
        const rows = await conn.execute<Array<{ n: number }>>(`select count(*) as n from ${table}`);
        expect({ table, n: rows[0]!.n }).toEqual({ table, n: 1 });
      }
      const fk = await conn.execute<Array<{ foreign_keys: number }>>('pragma foreign_keys');
      expect(fk[0]!.foreign_keys).toBe(1);
    } finally {
      await orm.close(true);
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    }
  });
});
