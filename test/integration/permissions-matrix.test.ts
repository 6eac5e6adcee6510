/**
 * ACC-9 permission matrix: every endpoint of the organisation and asset features, called by the
 * root account, a sub-user and a collaborator each with and without the permission it needs,
 * and another account. Table-driven: a new endpoint is one row (and the OpenAPI check below
 * fails until it has one).
 */
import { PERMISSIONS, type Permission } from '../../libs/domain/src/permissions';
import { signUpAndSignIn, type TestAccount } from '../support/factories';
import {
  admin,
  call,
  createCollaborator,
  createSubUser,
  expectOk,
  ORG_ENV,
  type Caller,
} from '../support/org-fixtures';
import { startPlatform, type Platform } from '../support/platform';

// Starting a platform (a database, sign-ups with email codes) takes seconds on a shared machine.
jest.setTimeout(60_000);

type Need = Permission | 'member' | 'owner';
interface Req {
  method: string;
  path: string;
  body?: unknown;
}
interface Fx {
  p: Platform;
  root: TestAccount;
  project(): Promise<string>;
  resource(): Promise<string>;
  filing(accountId?: number): Promise<string>;
  other(): Promise<TestAccount>;
}
interface Row {
  endpoint: string;
  need: Need;
  /** Success status for the callers that may. */
  ok: number;
  /** Fresh state for one call (each allowed caller gets its own). */
  make(fx: Fx): Promise<Req>;
  /** The path names a record of the root account: another account calling it gets 404 too. */
  scoped?: boolean;
}

const get = (path: string) => async (): Promise<Req> => ({ method: 'GET', path });

const ROWS: Row[] = [
  { endpoint: 'GET /acting-account', need: 'member', ok: 200, make: get('/acting-account') },
  // users: sub-users
  {
    endpoint: 'POST /sub-users',
    need: 'users:manage',
    ok: 201,
    make: async () => ({
      method: 'POST',
      path: '/sub-users',
      body: { username: `m${Math.random().toString(36).slice(2, 10)}`, password: 'Matrix-pass1' },
    }),
  },
  { endpoint: 'GET /sub-users', need: 'users:manage', ok: 200, make: get('/sub-users') },
  {
    endpoint: 'GET /sub-users/{id}',
    need: 'users:manage',
    ok: 200,
    scoped: true,
    make: async (fx) => ({
      method: 'GET',
      path: `/sub-users/${(await createSubUser(fx.p.http, fx.root, [])).id}`,
    }),
  },
  {
    endpoint: 'PUT /sub-users/{id}/permissions',
    need: 'users:manage',
    ok: 200,
    scoped: true,
    make: async (fx) => ({
      method: 'PUT',
      path: `/sub-users/${(await createSubUser(fx.p.http, fx.root, [])).id}/permissions`,
      body: { permissions: [] },
    }),
  },
  {
    endpoint: 'GET /sub-users/{id}/login-history',
    need: 'users:manage',
    ok: 200,
    scoped: true,
    make: async (fx) => ({
      method: 'GET',
      path: `/sub-users/${(await createSubUser(fx.p.http, fx.root, [])).id}/login-history`,
    }),
  },
  {
    endpoint: 'DELETE /sub-users/{id}/mfa',
    need: 'users:manage',
    ok: 204,
    scoped: true,
    make: async (fx) => ({
      method: 'DELETE',
      path: `/sub-users/${(await createSubUser(fx.p.http, fx.root, [])).id}/mfa`,
    }),
  },
  {
    endpoint: 'DELETE /sub-users/{id}',
    need: 'users:manage',
    ok: 204,
    scoped: true,
    make: async (fx) => ({
      method: 'DELETE',
      path: `/sub-users/${(await createSubUser(fx.p.http, fx.root, [])).id}`,
    }),
  },
  // users: collaborators
  {
    endpoint: 'POST /collaborators',
    need: 'users:manage',
    ok: 201,
    make: async (fx) => ({
      method: 'POST',
      path: '/collaborators',
      body: { accountId: (await fx.other()).accountId },
    }),
  },
  { endpoint: 'GET /collaborators', need: 'users:manage', ok: 200, make: get('/collaborators') },
  {
    endpoint: 'PUT /collaborators/{id}/permissions',
    need: 'users:manage',
    ok: 200,
    scoped: true,
    make: async (fx) => ({
      method: 'PUT',
      path: `/collaborators/${await invite(fx, fx.root)}/permissions`,
      body: { permissions: [] },
    }),
  },
  {
    endpoint: 'DELETE /collaborators/{id}',
    need: 'users:manage',
    ok: 204,
    scoped: true,
    make: async (fx) => ({ method: 'DELETE', path: `/collaborators/${await invite(fx, fx.root)}` }),
  },
  {
    endpoint: 'GET /collaborator-invitations',
    need: 'owner',
    ok: 200,
    make: get('/collaborator-invitations'),
  },
  {
    endpoint: 'POST /collaborator-invitations/{id}/accept',
    need: 'owner',
    ok: 200,
    scoped: true,
    make: async (fx) => ({
      method: 'POST',
      path: `/collaborator-invitations/${await inviteRoot(fx)}/accept`,
    }),
  },
  {
    endpoint: 'POST /collaborator-invitations/{id}/decline',
    need: 'owner',
    ok: 204,
    scoped: true,
    make: async (fx) => ({
      method: 'POST',
      path: `/collaborator-invitations/${await inviteRoot(fx)}/decline`,
    }),
  },
  // users: message receivers
  {
    endpoint: 'POST /message-receivers',
    need: 'users:manage',
    ok: 201,
    make: async () => ({
      method: 'POST',
      path: '/message-receivers',
      body: { name: 'Ops', phone: '13800138000' },
    }),
  },
  { endpoint: 'GET /message-receivers', need: 'users:manage', ok: 200, make: get('/message-receivers') },
  {
    endpoint: 'DELETE /message-receivers/{id}',
    need: 'users:manage',
    ok: 204,
    scoped: true,
    make: async (fx) => {
      const r = await expectOk(
        call(fx.p.http, fx.root, 'POST', '/message-receivers', { name: 'x', email: 'x@example.com' }),
        201,
      );
      return { method: 'DELETE', path: `/message-receivers/${r.id}` };
    },
  },
  // projects
  {
    endpoint: 'POST /projects',
    need: 'projects:write',
    ok: 201,
    make: async () => ({
      method: 'POST',
      path: '/projects',
      body: { name: `p-${Math.random().toString(36).slice(2)}` },
    }),
  },
  { endpoint: 'GET /projects', need: 'projects:read', ok: 200, make: get('/projects?includeDisabled=true') },
  {
    endpoint: 'GET /projects/{id}',
    need: 'projects:read',
    ok: 200,
    scoped: true,
    make: async (fx) => ({ method: 'GET', path: `/projects/${await fx.project()}` }),
  },
  {
    endpoint: 'POST /projects/{id}/disable',
    need: 'projects:write',
    ok: 200,
    scoped: true,
    make: async (fx) => ({ method: 'POST', path: `/projects/${await fx.project()}/disable` }),
  },
  {
    endpoint: 'POST /projects/{id}/enable',
    need: 'projects:write',
    ok: 200,
    scoped: true,
    make: async (fx) => ({ method: 'POST', path: `/projects/${await fx.project()}/enable` }),
  },
  {
    endpoint: 'GET /projects/{id}/billing-records',
    need: 'billing:read',
    ok: 200,
    scoped: true,
    make: async (fx) => ({ method: 'GET', path: `/projects/${await fx.project()}/billing-records` }),
  },
  // billing
  { endpoint: 'GET /balance', need: 'billing:read', ok: 200, make: get('/balance') },
  { endpoint: 'GET /ledger-entries', need: 'billing:read', ok: 200, make: get('/ledger-entries') },
  {
    endpoint: 'POST /withdrawals',
    need: 'billing:write',
    ok: 201,
    make: async (fx) => {
      await admin(fx.p.http, `/accounts/${fx.root.accountId}/recharges`, { amountFen: 100 });
      return { method: 'POST', path: '/withdrawals', body: { amountFen: 100 } };
    },
  },
  { endpoint: 'GET /vouchers', need: 'billing:read', ok: 200, make: get('/vouchers') },
  { endpoint: 'GET /orders', need: 'billing:read', ok: 200, make: get('/orders') },
  { endpoint: 'GET /amounts-owed', need: 'billing:read', ok: 200, make: get('/amounts-owed') },
  // assets
  { endpoint: 'GET /resources', need: 'resources:read', ok: 200, make: get('/resources') },
  {
    endpoint: 'POST /resources/{id}/move',
    need: 'resources:write',
    ok: 200,
    scoped: true,
    make: async (fx) => ({
      method: 'POST',
      path: `/resources/${await fx.resource()}/move`,
      body: { projectId: await fx.project() },
    }),
  },
  {
    endpoint: 'POST /resources/{id}/account-transfers',
    need: 'resources:write',
    ok: 422, // ACC-16: always refused, for whoever may ask
    scoped: true,
    make: async (fx) => ({
      method: 'POST',
      path: `/resources/${await fx.resource()}/account-transfers`,
      body: { targetAccountId: (await fx.other()).accountId },
    }),
  },
  { endpoint: 'GET /complaints', need: 'assets:read', ok: 200, make: get('/complaints') },
  { endpoint: 'GET /domains', need: 'assets:read', ok: 200, make: get('/domains') },
  // ICP filings
  { endpoint: 'GET /icp-filings', need: 'assets:read', ok: 200, make: get('/icp-filings') },
  {
    endpoint: 'POST /icp-filings/{id}/transfers',
    need: 'icp:manage',
    ok: 201,
    scoped: true,
    make: async (fx) => ({
      method: 'POST',
      path: `/icp-filings/${await fx.filing()}/transfers`,
      body: { targetAccountId: (await fx.other()).accountId },
    }),
  },
  { endpoint: 'GET /icp-filing-transfers', need: 'icp:manage', ok: 200, make: get('/icp-filing-transfers') },
  {
    endpoint: 'POST /icp-filing-transfers/{id}/accept',
    need: 'icp:manage',
    ok: 200,
    scoped: true,
    make: async (fx) => ({ method: 'POST', path: `/icp-filing-transfers/${await incoming(fx)}/accept` }),
  },
  {
    endpoint: 'POST /icp-filing-transfers/{id}/decline',
    need: 'icp:manage',
    ok: 200,
    scoped: true,
    make: async (fx) => ({ method: 'POST', path: `/icp-filing-transfers/${await incoming(fx)}/decline` }),
  },
  {
    endpoint: 'POST /icp-filing-transfers/{id}/cancel',
    need: 'icp:manage',
    ok: 200,
    scoped: true,
    make: async (fx) => {
      const other = await fx.other();
      const t = await expectOk(
        call(fx.p.http, fx.root, 'POST', `/icp-filings/${await fx.filing()}/transfers`, {
          targetAccountId: other.accountId,
        }),
        201,
      );
      return { method: 'POST', path: `/icp-filing-transfers/${t.id}/cancel` };
    },
  },
];

/**
 * Routes of these features that act inside no account: sub-user sign-in and sign-out (users.test.ts),
 * and the sub-user's own MFA, for the sub-user itself only (sub-user-security.test.ts).
 */
const PUBLIC_ROUTES = [
  'POST /sub-users/sessions',
  'DELETE /sub-users/sessions/current',
  'POST /sub-users/sessions/mfa',
  'GET /sub-users/me/mfa',
  'POST /sub-users/me/mfa/device',
  'POST /sub-users/me/mfa/device/confirm',
];
const FEATURE_TAGS = [
  'permissions',
  'users: sub-users',
  'users: collaborators',
  'users: message receivers',
  'projects',
  'billing',
  'assets',
  'icp filings',
];

/** The root account invites a fresh account; returns the collaborator (invitation) ID. */
async function invite(fx: Fx, root: TestAccount): Promise<string> {
  const member = await fx.other();
  const c = await expectOk(
    call(fx.p.http, root, 'POST', '/collaborators', { accountId: member.accountId }),
    201,
  );
  return c.id as string;
}
/** Another root account invites the root account under test; returns the invitation ID. */
async function inviteRoot(fx: Fx): Promise<string> {
  const inviter = await fx.other();
  const c = await expectOk(
    call(fx.p.http, inviter, 'POST', '/collaborators', { accountId: fx.root.accountId }),
    201,
  );
  return c.id as string;
}
/** Another account offers an ICP filing to the root account; returns the transfer ID. */
async function incoming(fx: Fx): Promise<string> {
  const holder = await fx.other();
  const filingId = await fx.filing(holder.accountId);
  const t = await expectOk(
    call(fx.p.http, holder, 'POST', `/icp-filings/${filingId}/transfers`, {
      targetAccountId: fx.root.accountId,
    }),
    201,
  );
  return t.id as string;
}

type Who =
  | 'root'
  | 'sub-user with'
  | 'sub-user without'
  | 'collaborator with'
  | 'collaborator without'
  | 'other account (X-Account-Id)'
  | 'other account (direct)';

function expected(row: Row, who: Who): number {
  switch (who) {
    case 'root':
      return row.ok;
    case 'sub-user with':
    case 'collaborator with':
      return row.need === 'owner' ? 403 : row.ok;
    case 'sub-user without':
    case 'collaborator without':
      return row.need === 'owner' ? 403 : row.need === 'member' ? row.ok : 403;
    case 'other account (X-Account-Id)':
      return row.need === 'owner' ? 403 : 404;
    case 'other account (direct)':
      return 404;
  }
}

describe('permission matrix over HTTP', () => {
  let p: Platform;
  let fx: Fx;
  let stranger: TestAccount;
  const callers = new Map<string, Caller>();
  let filingSeq = 0;

  beforeAll(async () => {
    p = await startPlatform({ env: ORG_ENV });
    const root = await signUpAndSignIn(p.http);
    stranger = await signUpAndSignIn(p.http);
    fx = {
      p,
      root,
      project: async () => {
        const name = `fx-${Math.random().toString(36).slice(2)}`;
        const created = await expectOk<{ id: string }>(
          call(p.http, root, 'POST', '/projects', { name }),
          201,
        );
        return created.id;
      },
      resource: async () =>
        (await admin(p.http, `/accounts/${root.accountId}/resources`, { name: 'vm' })).id as string,
      filing: async (accountId = root.accountId) => {
        filingSeq += 1;
        const n = `京ICP备${String(accountId).slice(-6)}${filingSeq}号`;
        return (await admin(p.http, `/accounts/${accountId}/icp-filings`, { filingNumber: n })).id as string;
      },
      other: () => signUpAndSignIn(p.http),
    };
  });
  afterAll(async () => {
    await p.close();
  });

  /** Sub-users and collaborators of the root account holding exactly `need`, or everything but it. */
  async function caller(who: Who, need: Need): Promise<Caller> {
    if (who === 'root') return fx.root;
    if (who === 'other account (X-Account-Id)') return { token: stranger.token, actAs: fx.root.accountId };
    if (who === 'other account (direct)') return stranger;
    const perm: Permission = need === 'owner' || need === 'member' ? 'projects:read' : need;
    const perms = who.endsWith('with') ? [perm] : PERMISSIONS.filter((x) => x !== perm);
    const key = `${who}:${perms.join(',')}`;
    let c = callers.get(key);
    if (!c) {
      c = who.startsWith('sub-user')
        ? await createSubUser(p.http, fx.root, perms)
        : (await createCollaborator(p.http, fx.root, perms)).caller;
      callers.set(key, c);
    }
    return c;
  }

  it.each(ROWS.map((r) => [r.endpoint, r.need, r] as const))('%s (needs %s)', async (_e, _n, row) => {
    const whos: Who[] = [
      'root',
      'sub-user with',
      'sub-user without',
      'collaborator with',
      'collaborator without',
      'other account (X-Account-Id)',
      ...(row.scoped ? (['other account (direct)'] as const) : []),
    ];
    const actual: Record<string, number> = {};
    const want: Record<string, number> = {};
    const refusals: string[] = [];
    let denied: Req | undefined;
    for (const who of whos) {
      want[who] = expected(row, who);
      // Callers that may get fresh state each; the refused ones share one request.
      const req = want[who] < 403 || want[who] === 422 ? await row.make(fx) : (denied ??= await row.make(fx));
      const res = await call(p.http, await caller(who, row.need), req.method, req.path, req.body);
      actual[who] = res.status;
      if (res.status === 403) refusals.push(`${res.body.error.code}:${res.body.error.permission ?? '-'}`);
    }
    expect(actual).toEqual(want);
    // A refusal names what was missing.
    const why = row.need === 'owner' ? 'owner_only:-' : `permission_missing:${row.need}`;
    expect(refusals.filter((r) => r !== why)).toEqual([]);
  });

  it('every route of these features has a row', async () => {
    const doc = await expectOk(p.http.get('/docs/openapi.json'));
    const routes: string[] = [];
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { tags?: string[] }>>,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.tags?.some((t) => FEATURE_TAGS.includes(t))) routes.push(`${method.toUpperCase()} ${path}`);
      }
    }
    const covered = [...ROWS.map((r) => r.endpoint), ...PUBLIC_ROUTES].sort();
    expect(routes.sort()).toEqual(covered);
  });
});
