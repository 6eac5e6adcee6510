import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './paths';

/**
 * Browser tests drive Debian's `chromium` package (installed by `.ci/run`) through Playwright's
 * `executablePath`: nothing is downloaded at run time.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `no Chromium at ${CANDIDATES.join(' or ')}: install Debian's chromium package (.ci/run does)`,
    );
  }
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in CI containers has no user namespace sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** Screenshots of browser tests land here (gitignored): `.data/screenshots/<suite>/`. */
export function screenshotDir(suite: string): string {
  const dir = join(REPO_ROOT, '.data', 'screenshots', suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}
