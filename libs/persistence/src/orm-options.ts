import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Configuration, type Options } from '@mikro-orm/core';
import { AbstractSqlDriver, BetterSqliteConnection, BetterSqlitePlatform } from '@mikro-orm/better-sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { DatabaseConfig } from '../../config/src/config';
import { ENTITIES } from './entities';
import { postgresqlMigrations } from './migrations/postgresql';
import { sqliteMigrations } from './migrations/sqlite';
import { withSplitStatements } from './sqlite-migration-statements';

/** Source folder of each driver's migrations (where `migration:create` writes). */
export function migrationsSourceDir(driver: DatabaseConfig['driver']): string {
  // From dist/libs/persistence/src or libs/persistence/src alike, point at the TypeScript sources.
  const root = __dirname.includes(`${join('dist', 'libs')}`)
    ? join(__dirname, '../../../../')
    : join(__dirname, '../../../');
  return join(root, 'libs/persistence/src/migrations', driver);
}

/**
 * MikroORM's SQLite platform snapshots Date properties as epoch numbers while entities it loads
 * record their original values as Date objects, so every flush saw each loaded entity's dates as
 * changed: it rewrote them (and bumped `updatedAt` through `onUpdate`) for entities nobody
 * touched, e.g. the account and session behind every authenticated write. Keeping Date objects in
 * the snapshot makes both sides alike; knex's better-sqlite3 client still binds a Date as its epoch
 * milliseconds, so what is stored does not change.
 */
class SqlitePlatform extends BetterSqlitePlatform {
  override processDateProperty(value: unknown): string | number | Date {
    return value as string | number | Date;
  }
}

/** MikroORM's better-sqlite3 driver, built with the platform above (its constructor fixes its own). */
export class SqliteDriver extends AbstractSqlDriver<BetterSqliteConnection, SqlitePlatform> {
  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), BetterSqliteConnection, ['knex', 'better-sqlite3']);
  }
}

/**
 * The one MikroORM options factory: the API, the worker, the migration CLI and the tests all
 * build their ORM from it, so the entity list, naming and migrations cannot drift apart.
 */
export function createOrmOptions(db: DatabaseConfig, overrides: Partial<Options> = {}): Options {
  const common: Options = {
    entities: ENTITIES,
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: db.debug,
    ensureDatabase: false,
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      // Migrations are listed in code, so the same set runs from TypeScript (tests) and dist.
      migrationsList: db.driver === 'sqlite' ? withSplitStatements(sqliteMigrations) : postgresqlMigrations,
      path: migrationsSourceDir(db.driver),
      pathTs: migrationsSourceDir(db.driver),
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      disableForeignKeys: false,
      emit: 'ts',
      // The migrate CLI reports what it applied; the migrator itself stays quiet.
      silent: true,
    },
  };

  if (db.driver === 'sqlite') {
    if (db.sqlitePath !== ':memory:') mkdirSync(dirname(db.sqlitePath), { recursive: true });
    return {
      ...common,
      driver: SqliteDriver,
      dbName: db.sqlitePath,
      pool: {
        min: 1,
        max: 1,
        // The API and the worker share the file: WAL lets readers run beside one writer, and the
        // busy timeout makes a writer wait for the other process instead of failing at once.
        afterCreate: (
          conn: { pragma(sql: string): unknown },
          done: (err: Error | null, conn: unknown) => void,
        ) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
      ...overrides,
    };
  }

  if (!db.url) throw new Error('DATABASE_URL is required for the postgresql driver');
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: db.url,
    pool: { min: 0, max: 10 },
    ...overrides,
  };
}
