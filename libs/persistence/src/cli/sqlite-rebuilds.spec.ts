import { dropSpuriousRebuilds } from './sqlite-rebuilds';

const migration = (body: string[]) =>
  [
    "import { Migration } from '@mikro-orm/migrations';",
    '',
    'export class Migration1_x extends Migration {',
    '  override async up(): Promise<void> {',
    ...body.map((s) => `    this.addSql(\`${s}\`);`),
    '  }',
    '}',
  ].join('\n');

const rebuild = (t: string) => [
  'pragma foreign_keys = off;',
  `create table \\\`${t}__temp_alter\\\` (\\\`id\\\` text not null, primary key (\\\`id\\\`));`,
  `insert into \\\`${t}__temp_alter\\\` select \\\`id\\\` from \\\`${t}\\\`;`,
  `drop table \\\`${t}\\\`;`,
  `alter table \\\`${t}__temp_alter\\\` rename to \\\`${t}\\\`;`,
  `create index \\\`${t}_idx\\\` on \\\`${t}\\\` (\\\`id\\\`);`,
  'pragma foreign_keys = on;',
];

describe('dropSpuriousRebuilds (SQLite migrations)', () => {
  it('drops rebuilds of unchanged tables and keeps real changes', () => {
    const src = migration([
      'create table \\`new_one\\` (\\`id\\` text not null);',
      ...rebuild('accounts'),
      ...rebuild('orders'),
    ]);
    const out = dropSpuriousRebuilds(src, (t) => t === 'accounts')!;
    expect(out).toContain('create table \\`new_one\\`');
    expect(out).not.toContain('accounts__temp_alter');
    expect(out).toContain('orders__temp_alter');
    expect(out).toContain('create index \\`orders_idx\\`');
    expect(out).not.toContain('pragma');
  });

  it('keeps a real change that MikroORM glued to a pragma after a rebuild', () => {
    const body = [...rebuild('accounts')];
    body[body.length - 1] =
      'pragma foreign_keys = on;alter table \\`bank_payouts\\` add column \\`probe\\` text null;';
    const out = dropSpuriousRebuilds(migration(body), () => true)!;
    expect(out).not.toContain('accounts__temp_alter');
    expect(out).toContain(
      '    this.addSql(`alter table \\`bank_payouts\\` add column \\`probe\\` text null;`);',
    );
    expect(out).not.toContain('pragma');
  });

  it('answers null when only spurious rebuilds were generated', () => {
    expect(
      dropSpuriousRebuilds(migration([...rebuild('accounts'), ...rebuild('orders')]), () => true),
    ).toBeNull();
  });
});
