import { RequestContext } from '@mikro-orm/core';
import { newId } from '../../libs/domain/src/ids';
import { Account, SubUser } from '../../libs/persistence/src/entities';
import { SubUsersService } from '../../apps/api/src/users/sub-users.service';
import { signUpAndSignIn } from '../support/factories';
import { admin, call, createCollaborator, createSubUser, expectOk, ORG_ENV } from '../support/org-fixtures';
import { startPlatform, type Platform } from '../support/platform';

// Starting a platform (a database, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(60_000);

describe('users under a root account over HTTP', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform({ env: ORG_ENV });
  });
  afterAll(async () => {
    await p.close();
  });

  it('ACC-9: a sub-user signs in with the root account ID, username and password and acts inside the root account', async () => {
    const root = await signUpAndSignIn(p.http);
    const sub = await createSubUser(p.http, root, ['projects:write', 'projects:read']);
    const project = await expectOk(
      call(p.http, sub, 'POST', '/projects', { name: 'web', description: 'site' }),
      201,
    );
    expect(project.accountId).toBe(root.accountId);
    const listed = await expectOk(call(p.http, root, 'GET', '/projects'));
    expect(listed.map((x: { id: string }) => x.id)).toEqual([project.id]);
    const me = await expectOk(call(p.http, sub, 'GET', '/acting-account'));
    expect(me).toMatchObject({
      accountId: root.accountId,
      actor: 'sub_user',
      permissions: ['projects:read', 'projects:write'],
    });

    // The same answer for a wrong password, an unknown username and another account's ID.
    const wrong = await p.http.post('/sub-users/sessions', {
      accountId: root.accountId,
      username: sub.username,
      password: 'Nope-12345',
    });
    const unknown = await p.http.post('/sub-users/sessions', {
      accountId: root.accountId,
      username: 'nobody',
      password: sub.password,
    });
    const other = await signUpAndSignIn(p.http);
    const elsewhere = await p.http.post('/sub-users/sessions', {
      accountId: other.accountId,
      username: sub.username,
      password: sub.password,
    });
    for (const r of [wrong, unknown, elsewhere]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('invalid_credentials');
    }
    // A sub-user is not the owner: owner-only endpoints refuse it, and it cannot act elsewhere.
    expect((await call(p.http, sub, 'GET', '/accounts/me')).status).toBe(403);
    expect((await call(p.http, { ...sub, actAs: other.accountId }, 'GET', '/projects')).status).toBe(404);
  });

  it('ACC-9: a sub-user signs out; owners use their own sign-out', async () => {
    const root = await signUpAndSignIn(p.http);
    const sub = await createSubUser(p.http, root, ['projects:read']);
    expect((await call(p.http, root, 'DELETE', '/sub-users/sessions/current')).status).toBe(403);
    expect((await call(p.http, sub, 'DELETE', '/sub-users/sessions/current')).status).toBe(204);
    expect((await call(p.http, sub, 'GET', '/projects')).status).toBe(401);
    expect((await call(p.http, root, 'GET', '/projects')).status).toBe(200);
  });

  it('ACC-9: permissions are checked on every request: revoking one stops it at once, deleting the sub-user ends its session', async () => {
    const root = await signUpAndSignIn(p.http);
    const sub = await createSubUser(p.http, root, ['projects:read']);
    expect((await call(p.http, sub, 'GET', '/projects')).status).toBe(200);
    const denied = await call(p.http, sub, 'POST', '/projects', { name: 'x' });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'permission_missing', permission: 'projects:write' });

    await expectOk(call(p.http, root, 'PUT', `/sub-users/${sub.id}/permissions`, { permissions: [] }));
    expect((await call(p.http, sub, 'GET', '/projects')).status).toBe(403);

    await expectOk(call(p.http, root, 'DELETE', `/sub-users/${sub.id}`), 204);
    expect((await call(p.http, sub, 'GET', '/acting-account')).status).toBe(401);
    const again = await p.http.post('/sub-users/sessions', {
      accountId: root.accountId,
      username: sub.username,
      password: sub.password,
    });
    expect(again.status).toBe(401);
  });

  it('ACC-9: a delegate cannot grant permissions it does not hold', async () => {
    const root = await signUpAndSignIn(p.http);
    const manager = await createSubUser(p.http, root, ['users:manage', 'projects:read']);
    const ok = await call(p.http, manager, 'POST', '/sub-users', {
      username: 'reader',
      password: 'Reader-pass1',
      permissions: ['projects:read'],
    });
    expect(ok.status).toBe(201);
    const escalate = await call(p.http, manager, 'POST', '/sub-users', {
      username: 'boss',
      password: 'Boss-pass12',
      permissions: ['billing:write'],
    });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error.code).toBe('grant_exceeds_own');
    const self = await call(p.http, manager, 'PUT', `/sub-users/${ok.body.id}/permissions`, {
      permissions: ['users:manage', 'billing:read'],
    });
    expect(self.status).toBe(403);
  });

  it('ACC-9: a delegate cannot strip permissions from, or delete, a user who holds more than it does', async () => {
    const root = await signUpAndSignIn(p.http);
    const manager = await createSubUser(p.http, root, ['users:manage', 'projects:read']);
    const strong = await createSubUser(p.http, root, ['projects:read', 'billing:write']);
    const strip = await call(p.http, manager, 'PUT', `/sub-users/${strong.id}/permissions`, {
      permissions: ['projects:read'],
    });
    expect(strip.status).toBe(403);
    expect(strip.body.error).toMatchObject({ code: 'target_exceeds_own', permissions: ['billing:write'] });
    const remove = await call(p.http, manager, 'DELETE', `/sub-users/${strong.id}`);
    expect(remove.status).toBe(403);
    expect(remove.body.error.code).toBe('target_exceeds_own');
    // Unchanged: it still signs in with everything it had.
    const unchanged = await call(p.http, root, 'GET', `/sub-users/${strong.id}`);
    expect(unchanged.body.permissions).toEqual(['projects:read', 'billing:write']);

    // The same for a collaborator holding more than the delegate.
    const collaborator = await createCollaborator(p.http, root, ['billing:read']);
    const stripCollaborator = await call(
      p.http,
      manager,
      'PUT',
      `/collaborators/${collaborator.collaboratorId}/permissions`,
      {
        permissions: [],
      },
    );
    expect(stripCollaborator.status).toBe(403);
    const removeCollaborator = await call(
      p.http,
      manager,
      'DELETE',
      `/collaborators/${collaborator.collaboratorId}`,
    );
    expect(removeCollaborator.status).toBe(403);

    // A user within the delegate's own grant stays manageable; the owner manages everyone.
    const weak = await createSubUser(p.http, root, ['projects:read']);
    expect((await call(p.http, manager, 'DELETE', `/sub-users/${weak.id}`)).status).toBe(204);
    expect((await call(p.http, root, 'DELETE', `/sub-users/${strong.id}`)).status).toBe(204);
  });

  it('refuses a second sub-user with the same username (409) and an unknown permission (400)', async () => {
    const root = await signUpAndSignIn(p.http);
    await expectOk(
      call(p.http, root, 'POST', '/sub-users', { username: 'Ops', password: 'Ops-pass123' }),
      201,
    );
    const dup = await call(p.http, root, 'POST', '/sub-users', { username: 'ops', password: 'Ops-pass123' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('username_taken');
    const bad = await call(p.http, root, 'POST', '/sub-users', {
      username: 'ops2',
      password: 'Ops-pass123',
      permissions: ['root:everything'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^permissions/);
  });

  it('ACC-9: a collaborator is invited, accepts, and acts inside the root account with the permissions granted', async () => {
    const root = await signUpAndSignIn(p.http);
    const member = await signUpAndSignIn(p.http);
    const invite = await expectOk(
      call(p.http, root, 'POST', '/collaborators', {
        accountId: member.accountId,
        permissions: ['projects:read'],
      }),
      201,
    );
    expect(invite.status).toBe('invited');
    const asCollaborator = { token: member.token, actAs: root.accountId };
    // Not a member until accepted: the root account is "not found".
    expect((await call(p.http, asCollaborator, 'GET', '/projects')).status).toBe(404);
    const mine = await expectOk(call(p.http, member, 'GET', '/collaborator-invitations'));
    expect(mine).toEqual([
      expect.objectContaining({ id: invite.id, rootAccountId: root.accountId, status: 'invited' }),
    ]);
    const accepted = await expectOk(
      call(p.http, member, 'POST', `/collaborator-invitations/${invite.id}/accept`),
    );
    expect(accepted.status).toBe('active');

    await expectOk(call(p.http, root, 'POST', '/projects', { name: 'shop' }), 201);
    const seen = await expectOk(call(p.http, asCollaborator, 'GET', '/projects'));
    expect(seen.map((x: { name: string }) => x.name)).toEqual(['shop']);
    expect((await call(p.http, asCollaborator, 'POST', '/projects', { name: 'nope' })).status).toBe(403);
    // Its own account is untouched by the membership.
    expect(await expectOk(call(p.http, member, 'GET', '/projects'))).toEqual([]);

    // Another account without a membership: 404, never 403.
    const stranger = await signUpAndSignIn(p.http);
    const r = await call(p.http, { token: stranger.token, actAs: root.accountId }, 'GET', '/projects');
    expect(r.status).toBe(404);

    // Removed: access ends at once.
    await expectOk(call(p.http, root, 'DELETE', `/collaborators/${invite.id}`), 204);
    expect((await call(p.http, asCollaborator, 'GET', '/projects')).status).toBe(404);
  });

  it('ACC-9: message receivers hold a name and contact details and cannot sign in', async () => {
    const root = await signUpAndSignIn(p.http);
    const r = await expectOk(
      call(p.http, root, 'POST', '/message-receivers', {
        name: 'Finance',
        email: 'Finance@Example.com',
        phone: '+8613800138000',
      }),
      201,
    );
    expect(r).toMatchObject({ name: 'Finance', email: 'finance@example.com', phone: '+8613800138000' });
    const none = await call(p.http, root, 'POST', '/message-receivers', { name: 'Nobody' });
    expect(none.status).toBe(400);
    expect(await expectOk(call(p.http, root, 'GET', '/message-receivers'))).toHaveLength(1);
    await expectOk(call(p.http, root, 'DELETE', `/message-receivers/${r.id}`), 204);
    expect(await expectOk(call(p.http, root, 'GET', '/message-receivers'))).toEqual([]);
  });

  it('ACC-10: at most 1000 sub-users and collaborators together; two parallel creates at 999 cannot both succeed', async () => {
    const root = await signUpAndSignIn(p.http);
    // 999 sub-users straight through the ORM (not 999 HTTP calls).
    const em = p.orm.em.fork();
    const now = new Date();
    for (let i = 0; i < 999; i += 1) {
      em.create(SubUser, {
        id: newId(),
        account: em.getReference(Account, root.accountId),
        username: `seed${i}`,
        passwordHash: 'not-a-real-hash',
        permissions: [],
        createdAt: now,
        updatedAt: now,
      });
    }
    await em.flush();

    const member = await signUpAndSignIn(p.http);
    const results = await Promise.all([
      call(p.http, root, 'POST', '/sub-users', { username: 'last-one', password: 'Last-pass123' }),
      call(p.http, root, 'POST', '/collaborators', { accountId: member.accountId }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 422]);
    const refused = results.find((r) => r.status === 422)!;
    expect(refused.body.error).toMatchObject({ rule: 'ACC-10', code: 'user_limit_reached' });
    const subs = await expectOk(call(p.http, root, 'GET', '/sub-users'));
    const collaborators = await expectOk(call(p.http, root, 'GET', '/collaborators'));
    expect(subs.length + collaborators.length).toBe(1000);

    // Full: a third is refused; deleting one frees a slot.
    const third = await call(p.http, root, 'POST', '/sub-users', {
      username: 'one-more',
      password: 'More-pass123',
    });
    expect(third.status).toBe(422);
    await expectOk(call(p.http, root, 'DELETE', `/sub-users/${subs[0].id}`), 204);
    expect(
      (await call(p.http, root, 'POST', '/sub-users', { username: 'one-more', password: 'More-pass123' }))
        .status,
    ).toBe(201);
  });

  it('ACC-10: many parallel creates around the limit never overshoot', async () => {
    const root = await signUpAndSignIn(p.http);
    const em = p.orm.em.fork();
    const now = new Date();
    for (let i = 0; i < 995; i += 1) {
      em.create(SubUser, {
        id: newId(),
        account: em.getReference(Account, root.accountId),
        username: `seed${i}`,
        passwordHash: 'not-a-real-hash',
        permissions: [],
        createdAt: now,
        updatedAt: now,
      });
    }
    await em.flush();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(p.http, root, 'POST', '/sub-users', { username: `burst${i}`, password: 'Burst-pass123' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 422)).toHaveLength(7);
    expect(await p.orm.em.fork().count(SubUser, { account: root.accountId })).toBe(1000);
  });

  it("AS-1: a sub-user's login name is recognised so it cannot be associated as a login method", async () => {
    const root = await signUpAndSignIn(p.http);
    const sub = await createSubUser(p.http, root, []);
    const created = await expectOk(call(p.http, root, 'GET', `/sub-users/${sub.id}`));
    expect(created.loginName).toBe(`${sub.username}@${root.accountId}`);
    const service = p.app.get(SubUsersService);
    await expect(withContext(p, () => service.isSubUserLogin(created.loginName))).resolves.toBe(true);
    await expect(withContext(p, () => service.isSubUserLogin(created.loginName.toUpperCase()))).resolves.toBe(
      true,
    );
    await expect(withContext(p, () => service.isSubUserLogin(`nobody@${root.accountId}`))).resolves.toBe(
      false,
    );
    await expect(withContext(p, () => service.isSubUserLogin(root.email))).resolves.toBe(false);
  });

  it('ACC-11: an account on the other site cannot be found as a collaborator or ICP filing transfer target', async () => {
    const root = await signUpAndSignIn(p.http);
    const abroad = await signUpAndSignIn(p.http);
    await p.orm.em.fork().nativeUpdate(Account, { id: abroad.accountId }, { site: 'intl' });
    const invite = await call(p.http, root, 'POST', '/collaborators', { accountId: abroad.accountId });
    expect(invite.status).toBe(404);
    const filing = await admin(p.http, `/accounts/${root.accountId}/icp-filings`, {
      filingNumber: `沪ICP备${String(root.accountId).slice(-8)}号`,
    });
    const transfer = await call(p.http, root, 'POST', `/icp-filings/${filing.id}/transfers`, {
      targetAccountId: abroad.accountId,
    });
    expect(transfer.status).toBe(404);
  });

  it('collaborator invitations: only the invitee answers; a collaborator cannot be its own root account', async () => {
    const root = await signUpAndSignIn(p.http);
    const member = await createCollaborator(p.http, root, ['projects:read']);
    const self = await call(p.http, root, 'POST', '/collaborators', { accountId: root.accountId });
    expect(self.status).toBe(400);
    const dup = await call(p.http, root, 'POST', '/collaborators', { accountId: member.accountId });
    expect(dup.status).toBe(409);
    const other = await signUpAndSignIn(p.http);
    const invite = await expectOk(
      call(p.http, root, 'POST', '/collaborators', { accountId: other.accountId }),
      201,
    );
    expect((await call(p.http, member, 'POST', `/collaborator-invitations/${invite.id}/accept`)).status).toBe(
      404,
    );
    expect(
      (await call(p.http, member.caller, 'POST', `/collaborator-invitations/${invite.id}/accept`)).status,
    ).toBe(403);
    await expectOk(call(p.http, other, 'POST', `/collaborator-invitations/${invite.id}/decline`), 204);
    expect(await expectOk(call(p.http, root, 'GET', '/collaborators'))).toHaveLength(1);
  });
});

/** Runs a service call outside an HTTP request, in its own ORM context. */
function withContext<T>(p: Platform, fn: () => Promise<T>): Promise<T> {
  return RequestContext.create(p.orm.em, fn);
}
