/**
 * Every endpoint, enumerated from the OpenAPI document the running app serves (so endpoints added
 * later are covered without editing this file), refuses:
 *   (a) a request without a session, or with an unknown token,
 *   (b) another account's session: 404 on a resource of another account, and no other account's
 *       data on the `me`-style reads,
 *   (c) the wrong principal kind: staff tokens on account endpoints, account and sub-user tokens on
 *       staff endpoints (both 403).
 * Public routes are an explicit allow-list. A new route with a path parameter needs a fixture (an
 * ID of a resource that another account owns) in FIXTURES, or a reasoned entry in NO_FIXTURE.
 */
import { decodeKey32 } from '../../libs/config/src/config';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { createStaffMember } from '../../apps/api/src/staff/staff-provisioning';
import { signUpAndSignIn, type TestAccount } from '../support/factories';
import { admin, createCollaborator, createSubUser, ORG_ENV } from '../support/org-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { codeFor, items, str, type Json, type Res } from '../support/security';

interface Op {
  method: string;
  path: string;
  staff: boolean;
}

/** Routes that need no session: sign-up, sign-in, captcha, health, and their own credentials. */
const PUBLIC: ReadonlySet<string> = new Set([
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'POST /accounts',
  'POST /sessions',
  'POST /sessions/mfa',
  'POST /sessions/third-party',
  'POST /sessions/third-party/choice',
  'POST /captcha/challenges',
  'POST /sign-up/email/codes',
  'POST /sign-up/third-party',
  'POST /find-account',
  'POST /find-account/real-name',
  'POST /sub-users/sessions',
  'POST /sub-users/sessions/mfa',
  'POST /staff/sessions',
  // Appeals of people who cannot sign in: a code to a reachable contact is their credential.
  'POST /appeals/codes',
  'POST /appeals/sessionless',
]);
/** Stand-ins for the outside world (SANDBOX_ROUTES) and the sandbox admin API (its own X-Admin-Token). */
const PUBLIC_PREFIXES = ['/sandbox/', '/admin-sandbox/'];

const isPublic = (op: Op) =>
  PUBLIC.has(`${op.method} ${op.path}`) || PUBLIC_PREFIXES.some((x) => op.path.startsWith(x));

/** Templates whose resources are only reachable through processes this test does not run. */
const NO_FIXTURE: Record<string, string> = {
  '/verifications/enterprise/deposit/{id}': 'a deposit verification needs the Temporal worker and bank',
  '/verifications/enterprise/recharge/{id}': 'a recharge verification needs the Temporal worker and bank',
  '/verifications/personal/face/{id}': 'a face verification needs the Temporal worker and face service',
  '/accounts/me/login-methods/{id}': 'an associated login method needs the identity provider sandbox',
  '/icp-filing-transfers/{id}': 'a transfer needs a second consenting account; an unknown ID is checked',
};

/** Valid bodies where validation would otherwise answer 400 before the ownership check. */
const BODIES: Record<string, (ctx: { otherAccountId: number; projectId: string }) => unknown> = {
  'POST /mfa/devices/{deviceId}/confirm': () => ({ code: '123456' }),
  'PUT /sub-users/{id}/permissions': () => ({ permissions: [] }),
  'PUT /collaborators/{id}/permissions': () => ({ permissions: [] }),
  'POST /resources/{id}/move': (c) => ({ projectId: c.projectId }),
  'POST /resources/{id}/account-transfers': (c) => ({ targetAccountId: c.otherAccountId }),
  'POST /icp-filings/{id}/transfers': (c) => ({ targetAccountId: c.otherAccountId }),
  'POST /verifications/enterprise/deposit/{id}/amount': () => ({ amountFen: 42 }),
};

const templateOf = (path: string) => {
  const m = path.match(/^(.*?\{[^}]+\})/);
  return m ? m[1] : null;
};

describe('authorization of every endpoint', () => {
  let p: Platform;
  const clock = new ManualClock('2026-06-01T02:00:00.000Z');
  let ops: Op[];
  let a: TestAccount;
  let b: TestAccount;
  let staffToken: string;
  let subUserToken: string;

  beforeAll(async () => {
    p = await startPlatform({ clock, env: ORG_ENV });
    const doc = await p.http.get<{
      paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>>;
    }>('/docs/openapi.json');
    ops = Object.entries(doc.body.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        staff: (op.security ?? []).some((s) => 'staff' in s),
      })),
    );
    a = await signUpAndSignIn(p.http);
    b = await signUpAndSignIn(p.http);
    const reviewer = await createStaffMember(p.orm, new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!), {
      email: 'reviewer@example.com',
      role: 'reviewer',
      password: 'Reviewer-pass-123',
      now: clock.now(),
      issuer: 'test',
    });
    staffToken = str(
      await p.http.post<Json>('/staff/sessions', {
        email: reviewer.email,
        password: reviewer.password,
        code: codeFor(reviewer.totpSecret, clock),
      }),
      'token',
    );
    subUserToken = (await createSubUser(p.http, { token: a.token, accountId: a.accountId }, [])).token;
  });
  afterAll(async () => {
    await p.close();
  });

  const fill = (path: string, id = '01J00000000000000000000000') => path.replace(/\{[^}]+\}/g, id);
  const send = (op: Op, token: string | undefined, path = fill(op.path), body: unknown = {}): Promise<Res> =>
    p.http.request<Json>(op.method, path, { token, body: op.method === 'GET' ? undefined : body });
  const failures = async (check: Op[], expected: number, token: string | undefined): Promise<string[]> => {
    const wrong: string[] = [];
    for (const op of check) {
      const r = await send(op, token);
      if (r.status !== expected)
        wrong.push(`${op.method} ${op.path} -> ${r.status} ${JSON.stringify(r.body)}`);
    }
    return wrong;
  };
  const protectedOps = () => ops.filter((op) => !isPublic(op));
  const accountOps = () => protectedOps().filter((op) => !op.staff);
  const staffOps = () => protectedOps().filter((op) => op.staff);

  it('enumerates the routes, and every allow-listed public route exists', () => {
    expect(ops.length).toBeGreaterThan(40);
    const present = new Set(ops.map((op) => `${op.method} ${op.path}`));
    expect([...PUBLIC].filter((r) => !present.has(r))).toEqual([]);
    expect(staffOps().length).toBeGreaterThan(0);
  });

  it('(a) every non-public endpoint refuses no session, and unknown account or staff tokens (401)', async () => {
    expect(await failures(protectedOps(), 401, undefined)).toEqual([]);
    expect(await failures(protectedOps(), 401, 'acs_unknown-token')).toEqual([]);
    expect(await failures(protectedOps(), 401, 'stf_unknown-token')).toEqual([]);
  });

  it('(a) a signed-out session is refused everywhere (401)', async () => {
    const c = await signUpAndSignIn(p.http);
    expect((await p.http.delete('/sessions/current', c.token)).status).toBe(204);
    expect(await failures(protectedOps(), 401, c.token)).toEqual([]);
  });

  it('(c) a staff token never acts as an account: every account endpoint answers 403', async () => {
    expect(await failures(accountOps(), 403, staffToken)).toEqual([]);
  });

  it('(c) account and sub-user tokens never act as staff: every staff endpoint answers 403', async () => {
    expect(await failures(staffOps(), 403, a.token)).toEqual([]);
    expect(await failures(staffOps(), 403, subUserToken)).toEqual([]);
  });

  it("(b) every account endpoint with a resource ID answers 404 for another account's resource", async () => {
    // Resources owned by A; B asks for them.
    const project = await p.http.post<Json>('/projects', { name: 'authz', description: '' }, a.token);
    const projectId = str(project, 'id');
    const bProject = str(
      await p.http.post<Json>('/projects', { name: 'authz-b', description: '' }, b.token),
      'id',
    );
    const resource = await admin<{ id: string }>(p.http, `/accounts/${a.accountId}/resources`, {
      name: 'vm-1',
      projectId,
    });
    const filing = await admin<{ id: string }>(p.http, `/accounts/${a.accountId}/icp-filings`, {
      filingNumber: `京ICP备${String(a.accountId).slice(-8)}号`,
    });
    const device = await p.http.post<Json>('/mfa/devices/virtual', { name: 'authz' }, a.token);
    const subUser = await createSubUser(p.http, { token: a.token, accountId: a.accountId }, []);
    const collaborator = await createCollaborator(p.http, a, []);
    const invitee = await signUpAndSignIn(p.http);
    const invitation = await p.http.post<Json>(
      '/collaborators',
      { accountId: invitee.accountId, permissions: [] },
      a.token,
    );
    const receiver = await p.http.post<Json>(
      '/message-receivers',
      { name: 'ops', email: 'ops@example.com' },
      a.token,
    );
    const appeal = await p.http.post<Json>(
      '/appeals',
      { kind: 'registration-email-appeal', newEmail: `authz.appeal.${a.accountId}@example.com` },
      a.token,
    );
    const fixtures: Record<string, string> = {
      '/appeals/{caseId}': str(appeal, 'caseId'),
      '/sessions/{sessionId}': items<{ id: string }>(await p.http.get<Json>('/sessions', a.token))[0].id,
      '/mfa/devices/{deviceId}': (device.body['device'] as { id: string }).id,
      '/projects/{id}': projectId,
      '/resources/{id}': resource.id,
      '/icp-filings/{id}': filing.id,
      '/sub-users/{id}': subUser.id,
      '/collaborators/{id}': collaborator.collaboratorId,
      '/collaborator-invitations/{id}': str(invitation, 'id'),
      '/message-receivers/{id}': str(receiver, 'id'),
    };

    const withParams = accountOps().filter((op) => templateOf(op.path));
    const uncovered = [...new Set(withParams.map((op) => templateOf(op.path)!))].filter(
      (t) => !(t in fixtures) && !(t in NO_FIXTURE),
    );
    expect(uncovered).toEqual([]);

    const wrong: string[] = [];
    for (const op of withParams) {
      const t = templateOf(op.path)!;
      const id = fixtures[t] ?? '01J00000000000000000000000';
      const body =
        BODIES[`${op.method} ${op.path}`]?.({ otherAccountId: invitee.accountId, projectId: bProject }) ?? {};
      const r = await send(op, b.token, op.path.replace(/\{[^}]+\}/g, id), body);
      if (r.status !== 404) wrong.push(`${op.method} ${op.path} -> ${r.status} ${JSON.stringify(r.body)}`);
    }
    expect(wrong).toEqual([]);
    // A's resources are untouched.
    expect((await p.http.get<Json>(`/projects/${projectId}`, a.token)).status).toBe(200);
    expect(items(await p.http.get<Json>('/sessions', a.token)).length).toBeGreaterThan(0);
  });

  it("(b) no account read without a resource ID shows another account's data", async () => {
    const leaks: string[] = [];
    for (const op of accountOps().filter((o) => o.method === 'GET' && !templateOf(o.path))) {
      const r = await send(op, b.token);
      const text = JSON.stringify(r.body);
      if (r.status >= 500 || text.includes(String(a.accountId)) || text.includes(a.email)) {
        leaks.push(`${op.method} ${op.path} -> ${r.status} ${text.slice(0, 200)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
