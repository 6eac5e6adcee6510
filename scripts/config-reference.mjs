#!/usr/bin/env node
// Regenerates the configuration table in README.md (between the config-reference markers)
// from libs/config/src/config.ts: each variable, its default and its doc comment.
// `npm run docs:config`; test/readme.test.ts fails when the table and the schema disagree.
import { readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync(new URL('../libs/config/src/config.ts', import.meta.url), 'utf8');
const body = source.slice(source.indexOf('z\n  .object({'), source.indexOf('.superRefine('));
const lines = body.split('\n');
const rows = [];
let comment = [];
for (let i = 0; i < lines.length; i += 1) {
  const line = lines[i];
  const doc = line.match(/^\s*\/\*\*\s?(.*?)\s*(\*\/)?$/);
  if (doc) {
    comment = [doc[1]];
    if (!doc[2]) {
      while (!lines[++i].includes('*/')) comment.push(lines[i].replace(/^\s*\*\s?/, ''));
      comment.push(lines[i].replace('*/', '').replace(/^\s*\*?\s?/, ''));
    }
    continue;
  }
  const key = line.match(/^    ([A-Z][A-Z0-9_]*):\s*(.*)$/);
  if (!key) continue;
  let expr = key[2];
  for (
    let j = i + 1;
    j < lines.length && !/^    [A-Z][A-Z0-9_]*:/.test(lines[j]) && !/^\s*\/\*\*/.test(lines[j]);
    j += 1
  )
    expr += lines[j].trim();
  const def = expr.match(/\.default\(([^)]*)\)/);
  const text = comment.join(' ').replace(/\s+/g, ' ').trim();
  rows.push(
    `| \`${key[1]}\` | ${
      def
        ? `\`${def[1]
            .replace(/^'|'$/g, '') // Numeric separators (60_000) only: names such as account_center keep theirs.
            .replace(/(\d)_(?=\d)/g, '$1')}\``
        : '—'
    } | ${text.replace(/\|/g, '\\|')} |`,
  );
  comment = [];
}
const table = ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = '<!-- config-reference:start -->';
const end = '<!-- config-reference:end -->';
const next = `${readme.slice(0, readme.indexOf(start) + start.length)}\n${table}\n${readme.slice(readme.indexOf(end))}`;
writeFileSync(readmeUrl, next);
console.log(`README: ${rows.length} configuration variables`);
