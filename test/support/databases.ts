import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { Client as PgClient } from 'pg';
import type { DatabaseConfig } from '../../libs/config/src/config';
import { migrateUp } from '../../libs/persistence/src/database';
import { createOrmOptions } from '../../libs/persistence/src/orm-options';
import { databaseUrl, testEnv } from './test-env';

export interface TestDatabase {
  config: DatabaseConfig;
  orm: MikroORM;
  /** Closes the ORM and drops the database. */
  dispose(): Promise<void>;
}

/** A fresh database: its configuration and how to drop it. */
export interface EmptyDatabase {
  config: DatabaseConfig;
  /** The same, as the environment variables a separate process reads. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function admin<T>(adminUrl: string, work: (c: PgClient) => Promise<T>): Promise<T> {
  const c = new PgClient({ connectionString: adminUrl });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/**
 * A new database named `<prefix>_<unique suffix>` on the run's PostgreSQL: empty (unmigrated), or
 * a copy of the migrated template when `template` is given.
 */
export async function createEmptyDatabase(prefix = 'ac', template?: string): Promise<EmptyDatabase> {
  const adminUrl = testEnv().postgresAdminUrl;
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  const url = databaseUrl(adminUrl, name);
  return {
    config: { url, debug: false },
    env: { DATABASE_URL: url },
    drop: () =>
      admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

let templateReady: Promise<void> | undefined;

/**
 * Makes sure the run's template database exists, migrated. The first process to get here
 * migrates it under another name and renames it when done, under an advisory lock, so that other
 * test processes wait for it and a half-migrated template is never copied.
 */
async function ensureTemplate(adminUrl: string, template: string): Promise<void> {
  templateReady ??= admin(adminUrl, async (c) => {
    await c.query('select pg_advisory_lock(hashtext($1))', [template]);
    try {
      const found = await c.query('select 1 from pg_database where datname = $1', [template]);
      if (found.rowCount) return;
      const building = `${template}_building`;
      await c.query(`drop database if exists ${building} with (force)`);
      await c.query(`create database ${building}`);
      const orm = await MikroORM.init(
        createOrmOptions({ url: databaseUrl(adminUrl, building), debug: false }),
      );
      try {
        await migrateUp(orm);
      } finally {
        await orm.close(true);
      }
      await c.query(`alter database ${building} rename to ${template}`);
    } finally {
      await c.query('select pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
  return templateReady;
}

/**
 * A fresh, migrated database, private to the caller: a copy of the run's template, migrated
 * once per run (see ensureTemplate).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { postgresAdminUrl, templateDatabase } = testEnv();
  if (templateDatabase) await ensureTemplate(postgresAdminUrl, templateDatabase);
  const db = await createEmptyDatabase('ac_test', templateDatabase);
  const orm = await MikroORM.init(createOrmOptions(db.config));
  if (!templateDatabase) await migrateUp(orm);
  return {
    config: db.config,
    orm,
    dispose: async () => {
      await orm.close(true);
      await db.drop();
    },
  };
}
