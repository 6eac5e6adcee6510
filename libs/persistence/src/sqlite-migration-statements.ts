import type { MigrationObject } from '@mikro-orm/core';

type Queries = Array<string | object>;
type MigrationClass = new (...args: never[]) => { getQueries(): Queries };

/**
 * MikroORM's SQLite schema diff joins statements such as `pragma foreign_keys = on;pragma
 * foreign_keys = off;` into one string, which better-sqlite3 refuses ("more than one
 * statement"); it also glues `pragma foreign_keys = on;alter table …`. Applied migrations must
 * not be edited, so each SQLite migration is wrapped to run such strings as separate
 * statements. Only splits at `;` directly followed by a statement keyword (pragma, alter,
 * create, drop, insert, update, delete), which never occurs inside a literal in generated DDL.
 */
export function splitPragmaStatements(sql: string): string[] {
  return sql
    .split(/;(?=\s*(?:pragma|alter|create|drop|insert|update|delete)\s)/i)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (s.endsWith(';') ? s : `${s};`));
}

export function withSplitStatements(list: MigrationObject[]): MigrationObject[] {
  return list.map(({ name, class: Base }) => {
    const Wrapped = class extends (Base as unknown as MigrationClass) {
      override getQueries(): Queries {
        return super
          .getQueries()
          .flatMap((q): Queries => (typeof q === 'string' ? splitPragmaStatements(q) : [q]));
      }
    };
    return { name, class: Wrapped as unknown as MigrationObject['class'] };
  });
}
