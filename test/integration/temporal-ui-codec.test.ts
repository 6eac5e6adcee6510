/**
 * Issue 12 §1, in a real browser: Debian's chromium driven by Playwright opens a deposit
 * verification in the Temporal Web UI (the UI server of .tools/temporal-ui, configured as the
 * compose stack and the cluster configure theirs: the API's codec server, include credentials).
 * Without an operator's codec cookie the payloads stay ciphertext; with it the operator reads
 * them decoded, and the decode is audited with the UI's origin. Screenshots under
 * .data/screenshots/temporal-ui-codec/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { readEnvironment } from '../../libs/config/src/config';
import { ManualClock } from '../../libs/domain/src/clock';
import { CodecDecodeEvent, StaffMember } from '../../libs/persistence/src/entities';
import { workflowIds } from '../../libs/temporal/src/contract';
import { launchChromium, screenshotDir } from '../support/browser';
import { awaitDepositStatus, payoutAmount } from '../support/deposit-fixtures';
import { bankAccountNumber, licenceNumber, signUpAndSignIn } from '../support/factories';
import { REPO_ROOT } from '../support/paths';
import { startPlatform, testState, type Platform } from '../support/platform';
import { freePorts } from '../support/ports';
import { isAlive, spawnChild, stopChild } from '../support/processes';
import { createSignedInStaff, type SignedInStaff } from '../support/staff-fixtures';

const BASE = '/verifications/enterprise/deposit';

describe('Temporal Web UI with the codec server, in a real browser (issue 12)', () => {
  let p: Platform;
  let browser: Browser;
  let uiOrigin: string;
  let uiRoot: string;
  const uiName = `temporal-ui-${process.pid}`;
  const clock = new ManualClock(new Date(Date.now()).toISOString());
  let operator: SignedInStaff;
  let page: string;
  let verificationId: string;
  const shots = screenshotDir('temporal-ui-codec');

  beforeAll(async () => {
    const [uiPort] = await freePorts(1);
    uiOrigin = `http://127.0.0.1:${uiPort}`;
    p = await startPlatform({ clock, worker: true, env: { TEMPORAL_CODEC_CORS_ORIGINS: uiOrigin } });
    operator = await createSignedInStaff(p, clock, 'operator', `ui.operator.${Date.now()}@example.com`);

    // The Web UI server, as scripts/temporal-cluster.sh runs it: the API's codec server, cookies sent.
    const ui = execFileSync('bash', [join(REPO_ROOT, 'scripts/ensure-temporal-ui.sh')], {
      encoding: 'utf8',
    }).trim();
    uiRoot = mkdtempSync(join(tmpdir(), 'ac-temporal-ui-'));
    mkdirSync(join(uiRoot, 'config'));
    writeFileSync(
      join(uiRoot, 'config', 'test.yaml'),
      [
        `temporalGrpcAddress: ${testState().temporalAddress}`,
        'host: 127.0.0.1',
        `port: ${uiPort}`,
        'enableUi: true',
        'defaultNamespace: default',
        'codec:',
        `  endpoint: ${p.url}/temporal-codec`,
        '  includeCredentials: true',
        '',
      ].join('\n'),
    );
    const child = spawnChild(
      uiName,
      ['--root', uiRoot, '--config', 'config', '--env', 'test', 'start'],
      readEnvironment(),
      join(uiRoot, 'ui.log'),
      ui,
    );
    for (let i = 0; ; i += 1) {
      if (!isAlive(child)) throw new Error(`the Temporal UI exited; see ${uiRoot}/ui.log`);
      try {
        if ((await fetch(uiOrigin)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 300) throw new Error('the Temporal UI did not answer');
      await new Promise((r) => setTimeout(r, 100));
    }

    // A completed deposit verification, over HTTP.
    const owner = await signUpAndSignIn(p.http);
    const number = bankAccountNumber(true);
    const created = await p.http.post(
      BASE,
      {
        enterpriseName: 'Browser Codec Trading Co',
        licenceNumber: licenceNumber(),
        bankAccount: { holder: 'Browser Codec Holder', bankName: 'ICBC Beijing', accountNumber: number },
      },
      owner.token,
    );
    verificationId = created.body.verificationId as string;
    await awaitDepositStatus(p.http, owner.token, verificationId, 'awaiting_amount');
    const amount = await payoutAmount(p.http, number, { exactlyOne: true });
    await p.http.post(`${BASE}/${verificationId}/amount`, { amountFen: amount }, owner.token);
    await awaitDepositStatus(p.http, owner.token, verificationId, 'verified');
    const workflowId = workflowIds.depositVerification(owner.accountId);
    const { runId } = await p.temporal.workflow.getHandle(workflowId).describe();
    page = `${uiOrigin}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;

    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopChild(uiName);
    if (uiRoot) rmSync(uiRoot, { recursive: true, force: true });
    await p?.close();
  });

  it('without an operator session the payloads are ciphertext; with one the operator reads them decoded', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const tab = await context.newPage();

    // No codec cookie: the codec server refuses, the UI shows the sealed payloads.
    const refused = tab.waitForResponse((r) => r.url().startsWith(`${p.url}/temporal-codec/decode`));
    await tab.goto(page);
    expect((await refused).status()).toBe(401);
    await tab.waitForLoadState('networkidle');
    await tab.screenshot({ path: join(shots, '1-without-codec-session.png'), fullPage: true });
    const sealed = await tab.content();
    expect(sealed).not.toContain(verificationId);
    // The UI shows the envelope: encoding `binary/encrypted` (base64) and the ciphertext.
    expect(sealed).toContain(Buffer.from('binary/encrypted').toString('base64'));

    // The operator's staff session becomes the codec cookie (POST /temporal-codec/session, from
    // the API's origin, as the reviewer console does after sign-in).
    await tab.goto(`${p.url}/health`);
    const status = await tab.evaluate(async (token) => {
      const r = await fetch('/temporal-codec/session', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      return r.status;
    }, operator.token);
    expect(status).toBe(201);

    const decoded = tab.waitForResponse(
      (r) => r.url().startsWith(`${p.url}/temporal-codec/decode`) && r.status() === 200,
    );
    await tab.goto(page);
    await decoded;
    await tab.getByText(verificationId, { exact: false }).first().waitFor();
    await tab.screenshot({ path: join(shots, '2-with-operator-session.png'), fullPage: true });
    expect(await tab.content()).toContain(verificationId);
    await context.close();

    const staff = await p.orm.em.fork().findOneOrFail(StaffMember, { email: operator.member.email });
    const audit = await p.orm.em.fork().find(CodecDecodeEvent, { staffId: staff.id });
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((a) => a.origin === uiOrigin && a.namespace === 'default')).toBe(true);
  }, 120_000);
});
