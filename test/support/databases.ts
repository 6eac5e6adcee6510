import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { Client as PgClient } from 'pg';
import type { DatabaseConfig } from '../../libs/config/src/config';
import { migrateUp } from '../../libs/persistence/src/database';
import { createOrmOptions } from '../../libs/persistence/src/orm-options';
import { TEST_STATE_DIR } from './paths';
import { testEnv } from './test-env';

export type Driver = DatabaseConfig['driver'];
export const DRIVERS: Driver[] = ['sqlite', 'postgresql'];

export interface TestDatabase {
  config: DatabaseConfig;
  orm: MikroORM;
  /** Closes the ORM and drops the database. */
  dispose(): Promise<void>;
}

/** A fresh, empty database: its configuration and how to drop it. */
export interface EmptyDatabase {
  config: DatabaseConfig;
  /** The same, as the environment variables a separate process reads. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, empty (unmigrated) database of the given driver, named `<prefix>_<unique suffix>`. */
export async function createEmptyDatabase(driver: Driver, prefix = 'ac'): Promise<EmptyDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (driver === 'sqlite') {
    const dir = join(TEST_STATE_DIR, 'sqlite');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${prefix}_${suffix}.sqlite`);
    return {
      config: { driver, sqlitePath: path, debug: false },
      env: { DB_DRIVER: 'sqlite', DB_SQLITE_PATH: path },
      drop: async () => {
        for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      },
    };
  }
  const adminUrl = testEnv().postgresAdminUrl;
  const name = `${prefix}_${suffix}`;
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { driver, url: url.toString(), sqlitePath: ':memory:', debug: false },
    env: { DB_DRIVER: 'postgresql', DATABASE_URL: url.toString() },
    drop: async () => {
      const a = new PgClient({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A fresh, migrated database of the given driver, private to the caller. */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  const db = await createEmptyDatabase(driver, driver === 'sqlite' ? 'ac' : 'ac_test');
  const orm = await MikroORM.init(createOrmOptions(db.config));
  await migrateUp(orm);
  return {
    config: db.config,
    orm,
    dispose: async () => {
      await orm.close(true);
      await db.drop();
    },
  };
}
