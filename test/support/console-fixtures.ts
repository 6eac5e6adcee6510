/**
 * For the reviewer console's browser tests (issue 14): the console built from its sources into a
 * folder of the test's own, MFA-5 appeals made through the API as an applicant makes them, a
 * real PNG to show, and axe-core run in the page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { ManualClock } from '../../libs/domain/src/clock';
import { latestCode, signUpAndSignIn, type TestAccount } from './factories';
import { uniquePhone } from './identity-fixtures';
import { REPO_ROOT } from './paths';
import type { Platform } from './platform';
import { codeFor, str, type Json } from './security';

/** Builds the console as `npm run build` does, into a fresh temporary folder (CONSOLE_DIR). */
export function buildConsole(): string {
  const out = mkdtempSync(join(tmpdir(), 'ac-console-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build-console.mjs'), out], { stdio: 'pipe' });
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A real PNG (stripes, `width`×`height`, RGB) that a browser decodes: a stand-in ID photo. */
export function stripedPng(width = 120, height = 80): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      const on = Math.floor(y / 10) % 2 === 0;
      row[1 + x * 3] = on ? 0x1d : 0xee;
      row[2 + x * 3] = on ? 0x4e : 0xee;
      row[3 + x * 3] = on ? 0x89 : 0xee;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface ApiAppeal {
  account: TestAccount;
  caseId: string;
  caseToken: string;
}

/**
 * MFA-5 through the API, as appeals.test.ts does it: an owner with a confirmed MFA device loses
 * it, proves a reachable phone by a code, applies without a session with an ID photo, submits.
 */
export async function submitMfaAppeal(p: Platform, clock: ManualClock): Promise<ApiAppeal> {
  const account = await signUpAndSignIn(p.http);
  const created = await p.http.post<Json>('/mfa/devices/virtual', { name: 'phone' }, account.token);
  const secret = str(created, 'secret');
  const deviceId = (created.body['device'] as { id: string }).id;
  clock.advance(30_000);
  const confirmed = await p.http.post(
    `/mfa/devices/${deviceId}/confirm`,
    { code: codeFor(secret, clock) },
    account.token,
  );
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status}`);

  const phone = uniquePhone();
  clock.advance(61_000);
  const sent = await p.http.post('/appeals/codes', { account: String(account.accountId), contact: phone });
  if (sent.status !== 202) throw new Error(`appeal code: ${sent.status} ${JSON.stringify(sent.body)}`);
  const code = await latestCode(p.http, `+86${phone}`);
  const applied = await p.http.post<Json>('/appeals/sessionless', {
    account: String(account.accountId),
    contact: phone,
    code,
    kind: 'mfa-device-appeal',
    reachablePhone: phone,
    person: { realName: 'Zhang San', idNumber: '11010119900307777X' },
  });
  if (applied.status !== 201) throw new Error(`apply: ${applied.status} ${JSON.stringify(applied.body)}`);
  const caseId = str(applied, 'caseId');
  const caseToken = str(applied, 'caseToken');

  const form = new FormData();
  form.append('files', new Blob([stripedPng()]), 'me.png');
  form.append('labels', 'id_in_hand');
  const uploaded = await fetch(`${p.url}/appeals/${caseId}/documents`, {
    method: 'POST',
    body: form,
    headers: { 'x-case-token': caseToken },
  });
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const submitted = await p.http.request<Json>('POST', `/appeals/${caseId}/submit`, {
    headers: { 'x-case-token': caseToken },
  });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status}`);
  return { account, caseId, caseToken };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core (WCAG 2 A and AA rules and best practices) in the page. It is evaluated through
 * the browser's debugging protocol, so the page's Content-Security-Policy (no inline scripts)
 * stays as strict as it is. Returns the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      axe: { run: (context: unknown, options: unknown) => Promise<unknown> };
      document: unknown;
    };
    return page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
  });
  const violations = (result as { violations: AxeViolation[] }).violations;
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
}
