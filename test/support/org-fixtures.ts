/**
 * Helpers for the organisation and asset tests: the sandbox admin API (to set up any state),
 * sub-users, collaborators, and requests that act inside a root account.
 */
import type { HttpClient, HttpResponse } from './http';
import { signUpAndSignIn, type TestAccount } from './factories';

export const ADMIN_TOKEN = 'test-sandbox-admin-token-0123456789';
/** Platform env that mounts the sandbox admin API. */
export const ORG_ENV = { SANDBOX_ADMIN_API: 'true', SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN };

export interface Caller {
  token: string;
  /** Sent as X-Account-Id (a collaborator acting inside another root account). */
  actAs?: number;
}

export function call<T = any>(
  http: HttpClient,
  caller: Caller | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResponse<T>> {
  const headers: Record<string, string> = {};
  if (caller?.actAs !== undefined) headers['x-account-id'] = String(caller.actAs);
  return http.request<T>(method, path, { token: caller?.token, body, headers });
}

/** Calls the sandbox admin API and fails loudly unless it answers 2xx. */
export async function admin<T = any>(http: HttpClient, path: string, body: unknown = {}): Promise<T> {
  const res = await http.request<T>('POST', `/admin-sandbox${path}`, {
    body,
    headers: { 'x-admin-token': ADMIN_TOKEN },
  });
  if (res.status >= 300) throw new Error(`admin ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function expectOk<T = any>(res: Promise<HttpResponse<T>>, status = 200): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

let n = 0;
export interface TestSubUser {
  id: string;
  username: string;
  password: string;
  token: string;
  accountId: number;
}

/** Creates a sub-user of `owner` with `permissions` and signs it in. */
export async function createSubUser(
  http: HttpClient,
  owner: Caller & { accountId: number },
  permissions: string[],
): Promise<TestSubUser> {
  n += 1;
  const username = `sub${n}.${Math.random().toString(36).slice(2, 8)}`;
  const password = 'Sub-passw0rd';
  const created = await expectOk(
    call(http, owner, 'POST', '/sub-users', { username, password, permissions }),
    201,
  );
  const session = await expectOk(
    http.post('/sub-users/sessions', { accountId: owner.accountId, username, password }),
    201,
  );
  return { id: created.id, username, password, token: session.token, accountId: owner.accountId };
}

/** Signs up a new account, invites it into `root` with `permissions`, and accepts. */
export async function createCollaborator(
  http: HttpClient,
  root: TestAccount,
  permissions: string[],
): Promise<TestAccount & { collaboratorId: string; caller: Caller }> {
  const member = await signUpAndSignIn(http);
  const invited = await expectOk(
    call(http, { token: root.token }, 'POST', '/collaborators', { accountId: member.accountId, permissions }),
    201,
  );
  await expectOk(
    call(http, { token: member.token }, 'POST', `/collaborator-invitations/${invited.id}/accept`),
  );
  return { ...member, collaboratorId: invited.id, caller: { token: member.token, actAs: root.accountId } };
}
