import { signUpAndSignIn, type TestAccount } from '../support/factories';
import { admin, call, expectOk, ORG_ENV } from '../support/org-fixtures';
import { startPlatform, type Platform } from '../support/platform';

// Starting a platform (a database, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(30_000);

describe('projects over HTTP', () => {
  let p: Platform;
  let owner: TestAccount;
  beforeAll(async () => {
    p = await startPlatform({ env: ORG_ENV });
    owner = await signUpAndSignIn(p.http);
  });
  afterAll(async () => {
    await p.close();
  });

  const create = (name: string, description = '') =>
    expectOk(call(p.http, owner, 'POST', '/projects', { name, description }), 201);

  it('PRJ-1: a project is created with a name and a description; names are unique within the account', async () => {
    const project = await create('Storefront', 'The public shop');
    expect(project).toMatchObject({ name: 'Storefront', description: 'The public shop', status: 'active' });
    const dup = await call(p.http, owner, 'POST', '/projects', { name: 'storefront' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'project_name_taken', field: 'name' });
    // Another account may use the same name.
    const other = await signUpAndSignIn(p.http);
    expect((await call(p.http, other, 'POST', '/projects', { name: 'Storefront' })).status).toBe(201);
    const empty = await call(p.http, owner, 'POST', '/projects', { name: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('name');
  });

  it('PRJ-2: there is no delete; a project is disabled instead', async () => {
    const project = await create('Legacy');
    // Issue 8: a method the path does not have is a 405 naming the ones it has (was a 404).
    const deleted = await call(p.http, owner, 'DELETE', `/projects/${project.id}`);
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('GET, HEAD');
    const disabled = await expectOk(call(p.http, owner, 'POST', `/projects/${project.id}/disable`));
    expect(disabled).toMatchObject({ id: project.id, status: 'disabled', disabledAt: expect.any(String) });
  });

  it('PRJ-3: disabled projects are hidden from the default list, shown on request, and can be enabled again', async () => {
    const project = await create('Seasonal');
    await expectOk(call(p.http, owner, 'POST', `/projects/${project.id}/disable`));
    const names = (list: Array<{ name: string }>) => list.map((x) => x.name);
    expect(names(await expectOk(call(p.http, owner, 'GET', '/projects')))).not.toContain('Seasonal');
    expect(names(await expectOk(call(p.http, owner, 'GET', '/projects?includeDisabled=true')))).toContain(
      'Seasonal',
    );
    expect((await call(p.http, owner, 'GET', '/projects?includeDisabled=maybe')).status).toBe(400);
    const enabled = await expectOk(call(p.http, owner, 'POST', `/projects/${project.id}/enable`));
    expect(enabled).toMatchObject({ status: 'active', disabledAt: null });
    expect(names(await expectOk(call(p.http, owner, 'GET', '/projects')))).toContain('Seasonal');
  });

  it('PRJ-4: a project holding resources cannot be disabled; the refusal names them; moving them out allows it', async () => {
    const busy = await create('Busy');
    const spare = await create('Spare');
    const web = await admin(p.http, `/accounts/${owner.accountId}/resources`, {
      type: 'cloud_server',
      name: 'web-1',
      projectId: busy.id,
    });
    const db = await admin(p.http, `/accounts/${owner.accountId}/resources`, {
      type: 'database',
      name: 'db-1',
      projectId: busy.id,
    });
    const gone = await admin(p.http, `/accounts/${owner.accountId}/resources`, {
      type: 'cloud_server',
      name: 'old-1',
      projectId: busy.id,
      status: 'released',
    });
    expect(gone.inUse).toBe(false);

    const refused = await call(p.http, owner, 'POST', `/projects/${busy.id}/disable`);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ rule: 'PRJ-4', code: 'project_holds_resources' });
    expect(refused.body.error.message).toContain('web-1');
    expect(refused.body.error.resources.map((r: { name: string }) => r.name)).toEqual(['db-1', 'web-1']);
    expect((await expectOk(call(p.http, owner, 'GET', `/projects/${busy.id}`))).status).toBe('active');

    for (const r of [web, db]) {
      const moved = await expectOk(
        call(p.http, owner, 'POST', `/resources/${r.id}/move`, { projectId: spare.id }),
      );
      expect(moved.projectId).toBe(spare.id);
    }
    const disabled = await expectOk(call(p.http, owner, 'POST', `/projects/${busy.id}/disable`));
    expect(disabled.status).toBe('disabled');
  });

  it('PRJ-4: resources cannot be moved into or out of a disabled project', async () => {
    const closed = await create('Closed');
    const open = await create('Open');
    const inClosed = await admin(p.http, `/accounts/${owner.accountId}/resources`, {
      name: 'stuck-1',
      projectId: closed.id,
    });
    const inOpen = await admin(p.http, `/accounts/${owner.accountId}/resources`, {
      name: 'free-1',
      projectId: open.id,
    });
    // Disable "Closed" while it is empty of resources in use: release, disable, then bring it back to running.
    await admin(p.http, `/resources/${inClosed.id}/status`, { status: 'released' });
    await expectOk(call(p.http, owner, 'POST', `/projects/${closed.id}/disable`));
    await admin(p.http, `/resources/${inClosed.id}/status`, { status: 'running' });

    const into = await call(p.http, owner, 'POST', `/resources/${inOpen.id}/move`, { projectId: closed.id });
    expect(into.status).toBe(422);
    expect(into.body.error).toMatchObject({ rule: 'PRJ-4', code: 'project_disabled', projectId: closed.id });
    const outOf = await call(p.http, owner, 'POST', `/resources/${inClosed.id}/move`, { projectId: open.id });
    expect(outOf.status).toBe(422);
    expect(outOf.body.error).toMatchObject({ rule: 'PRJ-4', code: 'project_disabled' });
    // Nothing moved.
    const resources = await expectOk(call(p.http, owner, 'GET', '/resources'));
    const byId = new Map(resources.map((r: { id: string; projectId: string }) => [r.id, r.projectId]));
    expect(byId.get(inOpen.id)).toBe(open.id);
    expect(byId.get(inClosed.id)).toBe(closed.id);
  });

  it("PRJ-5: a disabled project's billing records stay queryable", async () => {
    const project = await create('Billed');
    await admin(p.http, `/accounts/${owner.accountId}/recharges`, { amountFen: 10_000 });
    const charge = await admin(p.http, `/accounts/${owner.accountId}/charges`, {
      amountFen: 1_234,
      projectId: project.id,
      description: 'CPU hours',
    });
    const refund = await admin(p.http, `/accounts/${owner.accountId}/refunds`, {
      amountFen: 234,
      projectId: project.id,
      description: 'SLA credit',
    });
    const order = await admin(p.http, `/accounts/${owner.accountId}/orders`, {
      amountFen: 5_000,
      projectId: project.id,
      status: 'complete',
    });
    await expectOk(call(p.http, owner, 'POST', `/projects/${project.id}/disable`));

    const billing = await expectOk(call(p.http, owner, 'GET', `/projects/${project.id}/billing-records`));
    expect(billing.projectStatus).toBe('disabled');
    expect(billing.records.map((r: { id: string }) => r.id).sort()).toEqual(
      [charge.id, refund.id, order.id].sort(),
    );
    expect(billing.records.find((r: { id: string }) => r.id === charge.id)).toMatchObject({
      kind: 'charge',
      amountFen: -1_234,
    });
  });

  it("another account's project is not found (404), never forbidden", async () => {
    const project = await create('Private');
    const other = await signUpAndSignIn(p.http);
    for (const [method, path] of [
      ['GET', `/projects/${project.id}`],
      ['POST', `/projects/${project.id}/disable`],
      ['POST', `/projects/${project.id}/enable`],
      ['GET', `/projects/${project.id}/billing-records`],
    ] as const) {
      expect((await call(p.http, other, method, path)).status).toBe(404);
    }
  });
});
