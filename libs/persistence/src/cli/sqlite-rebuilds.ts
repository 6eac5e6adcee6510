/**
 * MikroORM's SQLite comparator reports every table with an enum CHECK constraint as changed, so
 * each generated SQLite migration rebuilds (copy, drop, rename) tables that did not change. This
 * removes those rebuilds from a generated migration's source: a rebuild is the run of statements
 * between two `pragma foreign_keys` statements that creates `<table>__temp_alter`, and it is
 * dropped when `unchanged(table)` says the table's structure already matches the entities.
 *
 * The `pragma foreign_keys` statements themselves are dropped too: inside the migration's
 * transaction they do nothing, and `migrateUp` switches foreign keys off around migrations.
 * Returns the new source, or null when no statement is left (no migration is needed).
 */
import { splitPragmaStatements } from '../sqlite-migration-statements';

/** One `addSql` line per statement (MikroORM glues some, e.g. `pragma …;alter table …`). */
function oneStatementPerLine(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const m = /^(\s*)this\.addSql\(`(.*)`\);$/.exec(line);
    if (!m) return [line];
    return splitPragmaStatements(m[2]).map((sql) => `${m[1]}this.addSql(\`${sql}\`);`);
  });
}

export function dropSpuriousRebuilds(source: string, unchanged: (table: string) => boolean): string | null {
  const isStatement = (l: string) => /^\s*this\.addSql\(`.*`\);$/.test(l);
  const isPragma = (l: string) => /^\s*this\.addSql\(`(pragma foreign_keys = (on|off);)+`\);$/.test(l);
  const out: string[] = [];
  let segment: string[] = [];
  const flush = () => {
    const table = segment.map((l) => /create table \\`(\w+)__temp_alter\\`/.exec(l)?.[1]).find(Boolean);
    if (!(table && unchanged(table))) out.push(...segment);
    segment = [];
  };
  for (const line of oneStatementPerLine(source.split('\n'))) {
    if (isPragma(line)) flush();
    else if (isStatement(line)) segment.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.some(isStatement) ? out.join('\n') : null;
}
