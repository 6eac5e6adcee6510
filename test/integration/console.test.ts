/**
 * The reviewer console (issue 14) in a real browser: Debian's chromium driven by Playwright
 * (test/support/browser.ts), against the running platform (API serving the console under
 * /console, worker, Temporal). Staff sign in with password and TOTP, work MFA-5 appeals from the
 * inbox to the outcome, and the applicant's case shows it through the API. axe-core runs in the
 * same browser on every page. Screenshots of each step: .data/screenshots/console/.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { decodeKey32 } from '../../libs/config/src/config';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { createStaffMember, type CreatedStaff } from '../../apps/api/src/staff/staff-provisioning';
import { launchChromium, screenshotDir } from '../support/browser';
import {
  buildConsole,
  seriousViolations,
  submitMfaAppeal,
  type ApiAppeal,
} from '../support/console-fixtures';
import { eventually } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { codeFor, type Json } from '../support/security';
import { signInStaff } from '../support/staff-fixtures';

jest.setTimeout(120_000);

describe('the reviewer console in a real browser', () => {
  let p: Platform;
  let browser: Browser;
  let consoleDir: string;
  const clock = new ManualClock(new Date(Date.now()).toISOString());
  const shots = screenshotDir('console');
  const staff: Record<'reviewer' | 'senior' | 'senior2', CreatedStaff> = {} as never;
  /** Content-Security-Policy reports and uncaught errors of every page: none is expected. */
  const pageProblems: string[] = [];

  const newStaff = (role: CreatedStaff['role'], name: string): Promise<CreatedStaff> =>
    createStaffMember(p.orm, new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!), {
      email: `console.${name}.${Date.now()}@staff.example.com`,
      role,
      now: clock.now(),
      issuer: 'test',
    });

  beforeAll(async () => {
    // This run's screenshots only.
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    consoleDir = buildConsole();
    p = await startPlatform({ clock, worker: true, env: { CONSOLE_DIR: consoleDir } });
    staff.reviewer = await newStaff('reviewer', 'reviewer');
    staff.senior = await newStaff('senior_reviewer', 'senior');
    staff.senior2 = await newStaff('senior_reviewer', 'senior2');
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await p?.close();
    if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
  });
  /** The page a test left open: its last state is saved too, whatever happened. */
  let lastPage: Page | null = null;
  afterEach(async () => {
    if (lastPage && !lastPage.isClosed()) {
      await lastPage.screenshot({
        path: join(shots, `${String(step).padStart(2, '0')}-last-page.png`),
        fullPage: true,
      });
    }
    lastPage = null;
    pageProblems.splice(0);
  });

  async function openConsole(path = '/console/'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The page's clock starts where the API's ManualClock stands, so "due in" is told alike.
    await context.clock.install({ time: clock.now() });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) {
        pageProblems.push(msg.text());
      }
    });
    page.on('pageerror', (err) => pageProblems.push(String(err)));
    await page.goto(`${p.url}${path}`);
    lastPage = page;
    return { context, page };
  }

  let step = 0;
  async function shot(page: Page, name: string): Promise<void> {
    step += 1;
    await page.screenshot({
      path: join(shots, `${String(step).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
  }

  /** Signs in through the sign-in form (or the dialog, with `prefix` reauth) with a fresh TOTP code. */
  async function signIn(page: Page, member: CreatedStaff, prefix = 'sign-in'): Promise<void> {
    clock.advance(30_000);
    const email = page.locator(`#${prefix}-email`);
    if ((await email.inputValue()) !== member.email) await email.fill(member.email);
    await page.locator(`#${prefix}-password`).fill(member.password);
    await page.locator(`#${prefix}-code`).fill(codeFor(member.totpSecret, clock));
    await page.locator(`#${prefix}-password`).press('Enter');
  }

  /** The inbox row of a case's task, found through the filters. */
  async function taskIdOf(appeal: ApiAppeal): Promise<string> {
    return eventually(
      async () => {
        const rows = await p.orm.em
          .fork()
          .getConnection()
          .execute<Array<{ id: string }>>('select id from review_tasks where case_id = ?', [appeal.caseId]);
        return rows[0]?.id;
      },
      20_000,
      `the task of case ${appeal.caseId}`,
    );
  }

  const caseStatus = (appeal: ApiAppeal, status: string): Promise<Json> =>
    eventually(
      async () => {
        const r = await p.http.request<Json>('GET', `/appeals/${appeal.caseId}`, {
          headers: { 'x-case-token': appeal.caseToken },
        });
        return r.body['status'] === status ? r.body : undefined;
      },
      20_000,
      `case ${appeal.caseId} ${status}`,
    );

  it('issue 14: the console is served from its build only, each page with the same strict policy', async () => {
    const page = await p.http.request<string>('GET', '/console/tasks/0b7c7c1e-0000-4000-8000-000000000000');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await p.http.request<string>('GET', '/console/main.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    // Nothing but the built files: no source map, no path out of the folder.
    for (const path of [
      '/console/main.js.map',
      '/console/..%2f..%2fpackage.json',
      '/console/%2e%2e/package.json',
    ]) {
      const res = await p.http.request<Json>('GET', path);
      expect([path, res.status]).toEqual([path, 404]);
    }
    const missing = await p.http.request<Json>('GET', '/console/nothing.js');
    expect(missing.body.error).toMatchObject({ code: 'not_found' });
    expect(missing.body.error.correlationId).toEqual(expect.any(String));
  });

  it('issue 14, MFA-5: a reviewer signs in with TOTP, filters the inbox, claims, opens the document and approves; a senior reviewer approves the second time; the applicant sees the outcome', async () => {
    const appeal = await submitMfaAppeal(p, clock);
    const taskId = await taskIdOf(appeal);

    const { context, page } = await openConsole();
    // The page is served with a policy that allows no inline script, from this origin only.
    const served = await page.request.get(`${p.url}/console/`);
    const csp = served.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.locator('h1', { hasText: 'Reviewer console' }).waitFor();
    await shot(page, 'sign-in');
    await expectAccessible(page);

    await signIn(page, staff.reviewer);
    await page.locator('h1', { hasText: 'Inbox' }).waitFor();
    // The token is held in memory only: nothing in storage or cookies.
    expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).toEqual([
      0,
      0,
      '',
    ]);
    await page.locator('.queue-counts li[data-queue="review"]').waitFor();
    await shot(page, 'inbox');
    await expectAccessible(page);

    // Filters go into the URL, so the view can be shared.
    await page.getByLabel('Kind').selectOption('mfa-device-appeal');
    await page.getByLabel('Assigned').selectOption('unassigned');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/kind=mfa-device-appeal/);
    expect(new URL(page.url()).searchParams.get('assigned')).toBe('unassigned');
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(0).innerText()).not.toContain(String(appeal.account.accountId));
    expect(await row.innerText()).toMatch(/due in \d+/);
    await shot(page, 'inbox-filtered');

    await row.getByRole('link').click();
    await page.locator('h1', { hasText: 'MFA device appeal' }).waitFor();
    expect(page.url()).toContain(`/console/tasks/${taskId}`);
    // Keyboard users start on the new page's heading.
    await page.waitForFunction("document.activeElement && document.activeElement.tagName === 'H1'");
    // The identity check's verdict, never the ID number the applicant typed.
    await page.locator('.identity-check li[data-field="idNumber"]').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('11010119900307777X');
    await shot(page, 'case');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#case-status', { hasText: 'You claimed the task.' }).waitFor();
    await page.getByRole('button', { name: 'Open id in hand' }).click();
    const image = page.locator('#document-viewer img');
    await image.waitFor();
    expect(
      await image.evaluate(
        (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth,
      ),
    ).toBe(120);
    await shot(page, 'document');

    await page.getByLabel('Approve', { exact: true }).check();
    await page.getByLabel('Reason').selectOption('identity_verified');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('#case-status', { hasText: 'Decision recorded: approve' }).waitFor();
    expect(await page.locator('.summary').innerText()).toContain('awaiting second approval');
    await shot(page, 'first-approval');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in-email').waitFor();

    // The senior reviewer finds it among the cases waiting for a second approval.
    await signIn(page, staff.senior);
    await page.getByRole('link', { name: 'Waiting for a second approval' }).click();
    await page.waitForURL(/status=awaiting_second_approval/);
    await page.locator(`tr[data-task-id="${taskId}"]`).getByRole('link').click();
    await page.locator('#four-eyes').waitFor();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#case-status', { hasText: 'You claimed the task.' }).waitFor();
    await page.getByLabel('Approve (second approval)').check();
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('#case-status', { hasText: 'Decision recorded: approve' }).waitFor();
    expect(await page.locator('.summary').innerText()).toMatch(/Task status\s+completed/);
    await shot(page, 'second-approval');
    await context.close();

    const closed = await caseStatus(appeal, 'approved');
    expect(closed['reasonCode']).toBe('identity_verified');
    expect(pageProblems).toEqual([]);
  });
  it('issue 14, MFA-5: a senior reviewer cannot give the second approval to their own; another rejects with a reason after signing in again, without losing the case or the typed note', async () => {
    const appeal = await submitMfaAppeal(p, clock);
    const taskId = await taskIdOf(appeal);

    // A shared view: the filters in the URL survive the sign-in.
    const first = await openConsole('/console/inbox?kind=mfa-device-appeal&assigned=unassigned');
    await signIn(first.page, staff.senior);
    await first.page.locator('h1', { hasText: 'Inbox' }).waitFor();
    expect(await first.page.getByLabel('Kind').inputValue()).toBe('mfa-device-appeal');
    await first.page.locator(`tr[data-task-id="${taskId}"]`).getByRole('link').click();
    await first.page.getByRole('button', { name: 'Claim' }).click();
    await first.page.locator('#case-status', { hasText: 'You claimed the task.' }).waitFor();
    await first.page.getByRole('button', { name: 'Record the decision' }).click();
    await first.page.locator('#case-status', { hasText: 'Decision recorded: approve' }).waitFor();
    // Four eyes: the first approver is told, and has nothing to claim or decide.
    await first.page.locator('#four-eyes', { hasText: 'you cannot give the second' }).waitFor();
    expect(await first.page.getByRole('button', { name: 'Claim' }).count()).toBe(0);
    expect(await first.page.getByRole('button', { name: 'Record the decision' }).count()).toBe(0);
    await shot(first.page, 'own-first-approval');
    await first.context.close();

    // Another senior reviewer opens the case by its address and signs in there.
    const { context, page } = await openConsole(`/console/tasks/${taskId}`);
    await signIn(page, staff.senior2);
    await page.locator('h1', { hasText: 'MFA device appeal' }).waitFor();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#case-status', { hasText: 'You claimed the task.' }).waitFor();

    // A refusal of the API is shown with its message and correlation ID; the input keeps its value.
    const nobody = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    await page.getByLabel('Staff ID of the new assignee').fill(nobody);
    await page.getByRole('button', { name: 'Reassign' }).click();
    const refusal = page.locator('#reassign-errors .error');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(
      /assigneeId: no such active staff member \(correlation ID [\w-]+\)/,
    );
    expect(await page.getByLabel('Staff ID of the new assignee').inputValue()).toBe(nobody);
    await shot(page, 'api-refusal');

    // The session ends (12 hours) while the reviewer types the decision.
    clock.advance(13 * 60 * 60 * 1000);
    await page.getByLabel('Reject', { exact: true }).check();
    await page.getByLabel('Reason').selectOption('real_name_mismatch');
    const note = 'The photo does not show the account holder';
    await page.getByLabel('Note for the audit trail (optional)').fill(note);
    await page.getByRole('button', { name: 'Record the decision' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    await shot(page, 'session-ended');
    await expectAccessible(page);
    expect(await page.locator('#reauth-email').inputValue()).toBe(staff.senior2.email);
    await signIn(page, staff.senior2, 'reauth');
    // The decision that found the session over is sent again once signed in.
    await page
      .locator('#case-status', { hasText: 'Decision recorded: reject (real name mismatch)' })
      .waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.locator('.summary').innerText()).toMatch(/Task status\s+completed/);
    expect(await page.locator('table.audit').innerText()).toContain(note);
    await shot(page, 'rejected');
    await context.close();

    const closed = await caseStatus(appeal, 'rejected');
    expect(closed['reasonCode']).toBe('real_name_mismatch');
    expect(pageProblems).toEqual([]);
  });
  it('issue 14, MFA-5: the inbox pages by cursor in the URL; a reviewer comments and asks the applicant for more information, which the applicant then reads', async () => {
    const appeals = [await submitMfaAppeal(p, clock), await submitMfaAppeal(p, clock)];
    const taskIds = await Promise.all(appeals.map((a) => taskIdOf(a)));

    const { context, page } = await openConsole(
      '/console/inbox?kind=mfa-device-appeal&assigned=unassigned&limit=1',
    );
    await signIn(page, staff.reviewer);
    const rows = page.locator('table.tasks tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const firstRow = await rows.first().getAttribute('data-task-id');
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    await page.getByRole('link', { name: 'First page' }).waitFor();
    const secondRow = await page.locator('table.tasks tbody tr').first().getAttribute('data-task-id');
    expect(new Set([firstRow, secondRow])).toEqual(new Set(taskIds));
    expect(new URL(page.url()).searchParams.get('limit')).toBe('1');
    await shot(page, 'inbox-second-page');

    await page.locator('table.tasks tbody tr').first().getByRole('link').click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('#case-status', { hasText: 'You claimed the task.' }).waitFor();
    await page.getByLabel('Comment (staff only; the applicant does not see it)').fill('Photo is blurred');
    await page.getByRole('button', { name: 'Add the comment' }).click();
    await page.locator('#case-status', { hasText: 'Your comment is in the audit trail.' }).waitFor();
    expect(await page.locator('table.audit').innerText()).toContain('Photo is blurred');

    const question = 'Please send a sharper photo of yourself holding your ID card';
    await page.getByLabel('What the applicant must send').fill(question);
    await page.getByRole('button', { name: 'Send the request' }).click();
    await page
      .locator('#case-status', { hasText: 'The applicant was asked for more information.' })
      .waitFor();
    expect(await page.locator('.summary').innerText()).toMatch(/Task status\s+information requested/);
    // Waiting for the applicant, the task cannot be decided.
    expect(await page.getByRole('button', { name: 'Record the decision' }).count()).toBe(0);
    await shot(page, 'information-requested');
    await context.close();

    const worked = appeals[taskIds.indexOf(secondRow!)];
    const asked = await caseStatus(worked, 'information_requested');
    expect(asked['informationRequest']).toMatchObject({ message: question });
    expect(JSON.stringify(asked)).not.toContain('Photo is blurred');
    expect(pageProblems).toEqual([]);
  });
  it('issue 14: an overdue task is shown in red with how long ago it fell due, and the overdue filter (the API judges it) finds it', async () => {
    const appeal = await submitMfaAppeal(p, clock);
    const taskId = await taskIdOf(appeal);
    // Five days on (two business days is the SLA), by the API's clock and the page's.
    clock.advance(5 * 24 * 60 * 60 * 1000);

    const { context, page } = await openConsole('/console/inbox?overdue=1');
    await signIn(page, staff.reviewer);
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    await row.waitFor();
    expect(await page.getByLabel('Overdue only').isChecked()).toBe(true);
    const due = row.locator('td.overdue');
    expect(await due.innerText()).toMatch(/^overdue by \d+ (days|h)$/);
    const colour = (el: unknown): string => (globalThis as any).getComputedStyle(el).color as string;
    expect(await due.evaluate(colour)).toBe('rgb(164, 0, 29)');
    expect(await page.locator('table.tasks tbody tr:not(:has(td.overdue))').count()).toBe(0);
    // The counts per queue judge overdue as the list does.
    const counts = await page.locator('.queue-counts li').allInnerTexts();
    const overdueCount = counts.reduce((n, text) => n + Number(/(\d+) overdue/.exec(text)?.[1]), 0);
    expect(overdueCount).toBe(await page.locator('table.tasks tbody tr').count());
    await shot(page, 'inbox-overdue');
    await expectAccessible(page);
    await context.close();

    // The same filter over the API: the server's clock decides, as each task's `overdue` says.
    const token = await signInStaff(p, clock, staff.reviewer);
    const overdue = await p.http.get<Json>('/staff/review-tasks?overdue=true&limit=100', token);
    const onTime = await p.http.get<Json>('/staff/review-tasks?overdue=false&limit=100', token);
    const ids = (r: typeof overdue): string[] =>
      (r.body['items'] as Array<{ taskId: string }>).map((t) => t.taskId);
    expect(ids(overdue)).toContain(taskId);
    expect(ids(onTime)).not.toContain(taskId);
    expect((overdue.body['items'] as Array<{ overdue: boolean }>).every((t) => t.overdue)).toBe(true);
    expect((onTime.body['items'] as Array<{ overdue: boolean }>).some((t) => t.overdue)).toBe(false);
    expect(pageProblems).toEqual([]);
  });
});
