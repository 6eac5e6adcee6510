/** The README's configuration reference must list exactly the variables the schema parses. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../libs/config/src/config';
import { REPO_ROOT } from './support/paths';

describe('README', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

  it('documents every configuration variable, and no others', () => {
    const section =
      readme.split('<!-- config-reference:start -->')[1]?.split('<!-- config-reference:end -->')[0] ?? '';
    const documented = [...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`/gm)].map((m) => m[1]).sort();
    const parsed = Object.keys(configSchema.innerType().shape).sort();
    expect(documented).toEqual(parsed);
  });

  it('holds the two commands: run the platform, run all tests', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['start']).toBe('bash scripts/dev.sh');
    expect(pkg.scripts['test']).toBe('bash scripts/test.sh');
  });
});
