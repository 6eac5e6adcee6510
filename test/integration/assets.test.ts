import { decodeKey32 } from '../../libs/config/src/config';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { createStaffMember } from '../../apps/api/src/staff/staff-provisioning';
import { codeFor } from '../support/security';
import { signUpAndSignIn, type TestAccount } from '../support/factories';
import {
  admin,
  ADMIN_TOKEN,
  call,
  createCollaborator,
  createSubUser,
  expectOk,
  ORG_ENV,
} from '../support/org-fixtures';
import { startPlatform, type Platform } from '../support/platform';

// Starting a platform (a database, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(30_000);

let filingSeq = 0;
const filingNumber = () => `京ICP备${String(Date.now() % 1e8).padStart(8, '0')}${(filingSeq += 1)}号`;

describe('assets over HTTP', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform({ env: ORG_ENV });
  });
  afterAll(async () => {
    await p.close();
  });

  it('resources in use are listed with type, name, project and status; released ones only on request', async () => {
    const a = await signUpAndSignIn(p.http);
    const project = await expectOk(call(p.http, a, 'POST', '/projects', { name: 'Prod' }), 201);
    const web = await admin(p.http, `/accounts/${a.accountId}/resources`, {
      type: 'cloud_server',
      name: 'web-1',
      projectId: project.id,
    });
    await admin(p.http, `/accounts/${a.accountId}/resources`, {
      type: 'database',
      name: 'db-1',
      status: 'stopped',
    });
    await admin(p.http, `/accounts/${a.accountId}/resources`, {
      type: 'cloud_server',
      name: 'old',
      status: 'released',
    });
    const inUse = await expectOk(call(p.http, a, 'GET', '/resources'));
    expect(inUse).toEqual([
      expect.objectContaining({
        id: web.id,
        type: 'cloud_server',
        name: 'web-1',
        projectId: project.id,
        projectName: 'Prod',
        status: 'running',
        inUse: true,
      }),
      expect.objectContaining({
        type: 'database',
        name: 'db-1',
        projectId: null,
        status: 'stopped',
        inUse: true,
      }),
    ]);
    expect(await expectOk(call(p.http, a, 'GET', '/resources?includeReleased=true'))).toHaveLength(3);
    expect(await expectOk(call(p.http, a, 'GET', `/resources?projectId=${project.id}`))).toHaveLength(1);
  });

  it('ACC-16: moving one cloud server to another account is refused with an explanation, and nothing changes', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const project = await expectOk(call(p.http, a, 'POST', '/projects', { name: 'Prod' }), 201);
    const server = await admin(p.http, `/accounts/${a.accountId}/resources`, {
      type: 'cloud_server',
      name: 'web-1',
      projectId: project.id,
    });
    const before = await expectOk(call(p.http, a, 'GET', '/resources'));

    const res = await call(p.http, a, 'POST', `/resources/${server.id}/account-transfers`, {
      targetAccountId: b.accountId,
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      rule: 'ACC-16',
      code: 'resource_account_transfer_unsupported',
      resourceId: server.id,
    });
    expect(res.body.error.message).toMatch(/not supported/);
    expect(res.body.error.message).toMatch(/image/);

    expect(await expectOk(call(p.http, a, 'GET', '/resources'))).toEqual(before);
    expect(await expectOk(call(p.http, b, 'GET', '/resources'))).toEqual([]);
    // Someone else's server: not found, not an explanation of it.
    expect(
      (
        await call(p.http, b, 'POST', `/resources/${server.id}/account-transfers`, {
          targetAccountId: b.accountId,
        })
      ).status,
    ).toBe(404);
  });

  it('complaints by or against the account, open and closed', async () => {
    const a = await signUpAndSignIn(p.http);
    const b = await signUpAndSignIn(p.http);
    const by = await admin(p.http, '/complaints', {
      complainantAccountId: a.accountId,
      respondentAccountId: b.accountId,
      subject: 'Spam from b',
    });
    const against = await admin(p.http, '/complaints', {
      respondentAccountId: a.accountId,
      subject: 'Phishing page',
    });
    await admin(p.http, `/complaints/${against.id}/close`);
    const all = await expectOk(call(p.http, a, 'GET', '/complaints'));
    expect(all.map((c: { id: string; role: string; status: string }) => [c.id, c.role, c.status])).toEqual([
      [by.id, 'by', 'open'],
      [against.id, 'against', 'closed'],
    ]);
    expect(
      (await expectOk(call(p.http, a, 'GET', '/complaints?status=open'))).map((c: { id: string }) => c.id),
    ).toEqual([by.id]);
    expect(
      (await expectOk(call(p.http, a, 'GET', '/complaints?role=against'))).map((c: { id: string }) => c.id),
    ).toEqual([against.id]);
    const bSees = await expectOk(call(p.http, b, 'GET', '/complaints'));
    expect(bSees).toEqual([expect.objectContaining({ id: by.id, role: 'against' })]);
  });

  it('domains and ICP filings held by the account', async () => {
    const a = await signUpAndSignIn(p.http);
    const name = `shop-${a.accountId}.example.cn`;
    await admin(p.http, `/accounts/${a.accountId}/domains`, { name: name.toUpperCase() + '.' });
    const filing = await admin(p.http, `/accounts/${a.accountId}/icp-filings`, {
      filingNumber: filingNumber(),
    });
    expect(await expectOk(call(p.http, a, 'GET', '/domains'))).toEqual([expect.objectContaining({ name })]);
    expect(await expectOk(call(p.http, a, 'GET', '/icp-filings'))).toEqual([
      expect.objectContaining({ id: filing.id, filingNumber: filing.filingNumber, pendingTransferId: null }),
    ]);
    const dup = await p.http.request('POST', `/admin-sandbox/accounts/${a.accountId}/domains`, {
      body: { name },
      headers: { 'x-admin-token': ADMIN_TOKEN },
    });
    expect(dup.status).toBe(409);
  });

  describe('ACC-15: ICP filing transfer', () => {
    let from: TestAccount;
    let to: TestAccount;
    beforeEach(async () => {
      from = await signUpAndSignIn(p.http);
      to = await signUpAndSignIn(p.http);
    });
    const filingsOf = async (x: TestAccount) =>
      (await expectOk(call(p.http, x, 'GET', '/icp-filings'))).map((f: { id: string }) => f.id);

    it('ACC-15: the filing moves only when the target account accepts', async () => {
      const filing = await admin(p.http, `/accounts/${from.accountId}/icp-filings`, {
        filingNumber: filingNumber(),
      });
      const t = await expectOk(
        call(p.http, from, 'POST', `/icp-filings/${filing.id}/transfers`, { targetAccountId: to.accountId }),
        201,
      );
      expect(t).toMatchObject({
        status: 'pending',
        direction: 'outgoing',
        fromAccountId: from.accountId,
        toAccountId: to.accountId,
      });
      // Offered, not moved.
      expect(await filingsOf(from)).toEqual([filing.id]);
      expect(await filingsOf(to)).toEqual([]);
      expect((await expectOk(call(p.http, from, 'GET', '/icp-filings')))[0].pendingTransferId).toBe(t.id);
      const incoming = await expectOk(call(p.http, to, 'GET', '/icp-filing-transfers?direction=incoming'));
      expect(incoming).toEqual([
        expect.objectContaining({ id: t.id, direction: 'incoming', filingNumber: filing.filingNumber }),
      ]);
      // The sender cannot accept on the target's behalf; a second offer waits for the first.
      expect((await call(p.http, from, 'POST', `/icp-filing-transfers/${t.id}/accept`)).status).toBe(404);
      const again = await call(p.http, from, 'POST', `/icp-filings/${filing.id}/transfers`, {
        targetAccountId: to.accountId,
      });
      expect(again.status).toBe(409);

      const accepted = await expectOk(call(p.http, to, 'POST', `/icp-filing-transfers/${t.id}/accept`));
      expect(accepted).toMatchObject({ status: 'accepted', decidedAt: expect.any(String) });
      expect(await filingsOf(from)).toEqual([]);
      expect(await filingsOf(to)).toEqual([filing.id]);
      expect((await call(p.http, to, 'POST', `/icp-filing-transfers/${t.id}/accept`)).status).toBe(409);
    });

    it('ACC-15: a declined or cancelled transfer leaves the filing where it was', async () => {
      const filing = await admin(p.http, `/accounts/${from.accountId}/icp-filings`, {
        filingNumber: filingNumber(),
      });
      const t1 = await expectOk(
        call(p.http, from, 'POST', `/icp-filings/${filing.id}/transfers`, { targetAccountId: to.accountId }),
        201,
      );
      expect((await call(p.http, from, 'POST', `/icp-filing-transfers/${t1.id}/decline`)).status).toBe(404);
      expect(
        (await expectOk(call(p.http, to, 'POST', `/icp-filing-transfers/${t1.id}/decline`))).status,
      ).toBe('declined');
      const t2 = await expectOk(
        call(p.http, from, 'POST', `/icp-filings/${filing.id}/transfers`, { targetAccountId: to.accountId }),
        201,
      );
      expect(
        (await expectOk(call(p.http, from, 'POST', `/icp-filing-transfers/${t2.id}/cancel`))).status,
      ).toBe('cancelled');
      expect((await call(p.http, to, 'POST', `/icp-filing-transfers/${t2.id}/accept`)).status).toBe(409);
      expect(await filingsOf(from)).toEqual([filing.id]);
      expect(await filingsOf(to)).toEqual([]);
    });

    it('ACC-15: consent can come from a collaborator of the target account holding icp:manage', async () => {
      const filing = await admin(p.http, `/accounts/${from.accountId}/icp-filings`, {
        filingNumber: filingNumber(),
      });
      const t = await expectOk(
        call(p.http, from, 'POST', `/icp-filings/${filing.id}/transfers`, { targetAccountId: to.accountId }),
        201,
      );
      const reader = await createSubUser(p.http, to, ['assets:read']);
      expect((await call(p.http, reader, 'POST', `/icp-filing-transfers/${t.id}/accept`)).status).toBe(403);
      const manager = await createCollaborator(p.http, to, ['icp:manage']);
      await expectOk(call(p.http, manager.caller, 'POST', `/icp-filing-transfers/${t.id}/accept`));
      expect(await filingsOf(to)).toEqual([filing.id]);
    });

    it('refuses a transfer to itself (400) or to an unknown account (404)', async () => {
      const filing = await admin(p.http, `/accounts/${from.accountId}/icp-filings`, {
        filingNumber: filingNumber(),
      });
      const self = await call(p.http, from, 'POST', `/icp-filings/${filing.id}/transfers`, {
        targetAccountId: from.accountId,
      });
      expect(self.status).toBe(400);
      const unknown = await call(p.http, from, 'POST', `/icp-filings/${filing.id}/transfers`, {
        targetAccountId: 1234567890123456,
      });
      expect(unknown.status).toBe(404);
    });
  });

  it('the sandbox admin API admits an operator staff session; other staff roles are refused', async () => {
    const a = await signUpAndSignIn(p.http);
    const box = new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!);
    const tokenFor = async (role: 'operator' | 'reviewer') => {
      const staff = await createStaffMember(p.orm, box, {
        email: `${role}.${a.accountId}@example.com`,
        role,
        password: 'Staff-pass-12345',
        now: p.clock.now(),
        issuer: 'test',
      });
      const res = await p.http.post('/staff/sessions', {
        email: staff.email,
        password: staff.password,
        code: codeFor(staff.totpSecret, p.clock),
      });
      expect(res.status).toBe(201);
      return res.body.token as string;
    };
    const operator = await tokenFor('operator');
    const ok = await p.http.post(
      `/admin-sandbox/accounts/${a.accountId}/recharges`,
      { amountFen: 100 },
      operator,
    );
    expect(ok.status).toBe(201);
    const reviewer = await tokenFor('reviewer');
    const refused = await p.http.post(
      `/admin-sandbox/accounts/${a.accountId}/recharges`,
      { amountFen: 100 },
      reviewer,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('staff_role_required');
    expect((await expectOk(call(p.http, a, 'GET', '/balance'))).balanceFen).toBe(100);
  });

  it('the sandbox admin API needs the admin token', async () => {
    const a = await signUpAndSignIn(p.http);
    const none = await p.http.post(`/admin-sandbox/accounts/${a.accountId}/recharges`, { amountFen: 100 });
    expect(none.status).toBe(401);
    const wrong = await p.http.request('POST', `/admin-sandbox/accounts/${a.accountId}/recharges`, {
      body: { amountFen: 100 },
      headers: { 'x-admin-token': `${ADMIN_TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    // An account session is not an operator.
    expect(
      (await call(p.http, a, 'POST', `/admin-sandbox/accounts/${a.accountId}/recharges`, { amountFen: 100 }))
        .status,
    ).toBe(401);
    expect((await expectOk(call(p.http, a, 'GET', '/balance'))).balanceFen).toBe(0);
  });
});

describe('sandbox admin API off by default', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform();
  });
  afterAll(async () => {
    await p.close();
  });

  it('is not mounted unless SANDBOX_ADMIN_API=true', async () => {
    const a = await signUpAndSignIn(p.http);
    const res = await p.http.request('POST', `/admin-sandbox/accounts/${a.accountId}/recharges`, {
      body: { amountFen: 100 },
      headers: { 'x-admin-token': ADMIN_TOKEN },
    });
    expect(res.status).toBe(404);
  });
});
