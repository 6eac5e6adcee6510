import { MikroORM } from '@mikro-orm/core';
import { migrateUp } from '../../libs/persistence/src/database';
import { postgresqlMigrations } from '../../libs/persistence/src/migrations/postgresql';
import { createOrmOptions } from '../../libs/persistence/src/orm-options';
import { createEmptyDatabase, type EmptyDatabase } from '../support/databases';

describe('migrations', () => {
  let db: EmptyDatabase;
  let orm: MikroORM;
  beforeEach(async () => {
    db = await createEmptyDatabase('ac_schema');
    orm = await MikroORM.init(createOrmOptions(db.config));
  });
  afterEach(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('from an empty database produce exactly the schema the entities describe (no pending diff)', async () => {
    expect(await migrateUp(orm)).toEqual(postgresqlMigrations.map((m) => m.name));
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false });
    expect(diff.trim()).toBe('');
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
  });

  it('keep every row of a database with data through the later migrations', async () => {
    const first = postgresqlMigrations[0].name;
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
    expect(applied.length).toBe(postgresqlMigrations.length - 1);
    for (const table of ['accounts', 'sessions', 'real_name_records']) {
      const rows = await conn.execute<Array<{ n: string }>>(`select count(*) as n from ${table}`);
      expect({ table, n: Number(rows[0]!.n) }).toEqual({ table, n: 1 });
    }
  });
});
