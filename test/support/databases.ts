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

/** A fresh, migrated database of the given driver, private to the caller. */
export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (driver === 'sqlite') {
    const dir = join(TEST_STATE_DIR, 'sqlite');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `ac_${suffix}.sqlite`);
    const config: DatabaseConfig = { driver, sqlitePath: path, debug: false };
    const orm = await MikroORM.init(createOrmOptions(config));
    await migrateUp(orm);
    return {
      config,
      orm,
      dispose: async () => {
        await orm.close(true);
        for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      },
    };
  }

  const adminUrl = testEnv().postgresAdminUrl;
  const name = `ac_test_${suffix}`;
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { driver, url: url.toString(), sqlitePath: ':memory:', debug: false };
  const orm = await MikroORM.init(createOrmOptions(config));
  await migrateUp(orm);
  return {
    config,
    orm,
    dispose: async () => {
      await orm.close(true);
      const a = new PgClient({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
