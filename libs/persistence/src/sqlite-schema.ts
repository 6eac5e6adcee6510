import type { MikroORM } from '@mikro-orm/core';

/**
 * A driver-neutral description of a SQLite schema, read from SQLite itself (PRAGMAs and the
 * CREATE statements), so two databases can be compared structurally. MikroORM's own SQLite diff
 * reports every table with an enum CHECK constraint as changed, so it cannot prove equality.
 */
export interface SqliteSchema {
  [table: string]: {
    columns: Array<{ name: string; type: string; notnull: number; dflt: string | null; pk: number }>;
    indexes: Array<{ name: string; unique: number; columns: string }>;
    foreignKeys: Array<{ from: string; table: string; to: string; onUpdate: string; onDelete: string }>;
    checks: string[];
  };
}

const byJson = <T>(a: T, b: T) => JSON.stringify(a).localeCompare(JSON.stringify(b));

export async function describeSqliteSchema(orm: MikroORM): Promise<SqliteSchema> {
  const conn = orm.em.getConnection();
  const query = async <T>(sql: string): Promise<T[]> => {
    const rows: unknown = await conn.execute(sql);
    return rows as T[];
  };
  const tables = await query<{ name: string; sql: string }>(
    "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'mikro_orm_migrations' order by name",
  );
  const out: SqliteSchema = {};
  for (const t of tables) {
    const cols = await query<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }>(`pragma table_info(\`${t.name}\`)`);
    const idx = await query<{ name: string; unique: number; origin: string }>(
      `pragma index_list(\`${t.name}\`)`,
    );
    const indexes = [];
    for (const i of idx) {
      const info = await query<{ name: string }>(`pragma index_info(\`${i.name}\`)`);
      // Automatic indexes (primary keys, inline UNIQUE) are named by SQLite; compare them by columns.
      const name = i.name.startsWith('sqlite_autoindex_') ? `(auto ${i.origin})` : i.name;
      indexes.push({ name, unique: i.unique, columns: info.map((c) => c.name).join(',') });
    }
    const fks = await query<{
      from: string;
      table: string;
      to: string;
      on_update: string;
      on_delete: string;
    }>(`pragma foreign_key_list(\`${t.name}\`)`);
    const checks = [...t.sql.matchAll(/check \((.*?\))\)/gi)].map((m) => m[1].replace(/\s+/g, ' ')).sort();
    out[t.name] = {
      columns: cols
        .map((c) => ({
          name: c.name,
          type: c.type.toLowerCase(),
          notnull: c.notnull,
          dflt: c.dflt_value,
          pk: c.pk,
        }))
        .sort(byJson),
      indexes: indexes.sort(byJson),
      foreignKeys: fks
        .map((f) => ({
          from: f.from,
          table: f.table,
          to: f.to,
          onUpdate: f.on_update,
          onDelete: f.on_delete,
        }))
        .sort(byJson),
      checks,
    };
  }
  return out;
}
