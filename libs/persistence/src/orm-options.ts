import { join } from 'node:path';
import { type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { DatabaseConfig } from '../../config/src/config';
import { ENTITIES } from './entities';
import { postgresqlMigrations } from './migrations/postgresql';

/** The repository's root, from libs/persistence/src (TypeScript) or dist/libs/persistence/src alike. */
export function repoRoot(): string {
  return __dirname.includes(`${join('dist', 'libs')}`)
    ? join(__dirname, '../../../../')
    : join(__dirname, '../../../');
}

/** Source folder of the migrations (where `migration:create` writes). */
export function migrationsSourceDir(): string {
  return join(repoRoot(), 'libs/persistence/src/migrations/postgresql');
}

/**
 * The one MikroORM options factory: the API, the worker, the migration CLI and the tests all
 * build their ORM from it, so the entity list, naming and migrations cannot drift apart. One
 * engine, PostgreSQL: external in production, embedded for `npm start` and the tests.
 */
export function createOrmOptions(db: DatabaseConfig, overrides: Partial<Options> = {}): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: db.url,
    pool: { min: 0, max: 10 },
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
      migrationsList: postgresqlMigrations,
      path: migrationsSourceDir(),
      pathTs: migrationsSourceDir(),
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      disableForeignKeys: false,
      emit: 'ts',
      // The migrate CLI reports what it applied; the migrator itself stays quiet.
      silent: true,
    },
    ...overrides,
  };
}
