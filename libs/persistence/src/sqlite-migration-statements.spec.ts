import { splitPragmaStatements } from './sqlite-migration-statements';

describe('splitPragmaStatements (SQLite migrations)', () => {
  it('splits pragmas glued together', () => {
    expect(splitPragmaStatements('pragma foreign_keys = on;pragma foreign_keys = off;')).toEqual([
      'pragma foreign_keys = on;',
      'pragma foreign_keys = off;',
    ]);
  });

  it('splits a pragma glued to the next DDL statement', () => {
    expect(
      splitPragmaStatements('pragma foreign_keys = on;alter table `sessions` add column `x` text null;'),
    ).toEqual(['pragma foreign_keys = on;', 'alter table `sessions` add column `x` text null;']);
  });

  it("leaves one statement alone, even with ';' inside a literal", () => {
    const sql = "create table `t` (`s` text check (`s` in ('a;b')) not null);";
    expect(splitPragmaStatements(sql)).toEqual([sql]);
  });
});
