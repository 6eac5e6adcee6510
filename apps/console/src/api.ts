/**
 * The one way the console talks to the API: same origin, JSON, the staff bearer token.
 *
 * The token is held in this module's memory only: never in localStorage, sessionStorage, a
 * cookie or the URL, and not reachable from `window`. A script injected into the page could
 * not read it from storage, and it is gone when the tab closes. A reload therefore signs in
 * again; the URL keeps the reviewer's place.
 */
import type { StaffMe, StaffSession } from './types.js';

/** A failure as the API reported it: its message and its correlation ID. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly correlationId: string | null,
    readonly field: string | null = null,
  ) {
    super(message);
  }

  /** What the console shows: the API's message and the correlation ID to quote. */
  describe(): string {
    return this.correlationId ? `${this.message} (correlation ID ${this.correlationId})` : this.message;
  }
}

let token: string | null = null;
let me: StaffMe | null = null;
let expired: (() => Promise<void>) | null = null;
let pending: Promise<void> | null = null;

export function currentStaff(): StaffMe | null {
  return me;
}

/**
 * What to do when the API says the session is over (401): the console asks for the password and
 * a TOTP code again in a dialog over the page, and the request that failed is then sent again.
 */
export function onSessionExpired(handler: () => Promise<void>): void {
  expired = handler;
}

export async function signIn(email: string, password: string, code: string): Promise<StaffMe> {
  const s = await request<StaffSession>(
    'POST',
    '/staff/sessions',
    { email, password, code },
    { auth: false },
  );
  token = s.token;
  me = await request<StaffMe>('GET', '/staff/me');
  return me;
}

export async function signOut(): Promise<void> {
  try {
    if (token)
      await request<void>('DELETE', '/staff/sessions/current', undefined, { auth: true, retry: false });
  } finally {
    token = null;
    me = null;
  }
}

/** A fresh key for an action: sent again unchanged when the action is retried after a new sign-in. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

interface Options {
  auth?: boolean;
  /** Sign in again and repeat on a 401 (default for authenticated calls). */
  retry?: boolean;
  idempotencyKey?: string;
  /** The response as a Blob (documents) rather than JSON. */
  blob?: boolean;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  opts: Options = {},
): Promise<T> {
  const auth = opts.auth ?? true;
  const headers: Record<string, string> = { accept: opts.blob ? '*/*' : 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth && token) headers['authorization'] = `Bearer ${token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The API did not answer: check the connection and try again',
      null,
    );
  }
  if (res.status === 401 && auth && (opts.retry ?? true) && expired) {
    token = null;
    // One dialog for every request that found the session over at the same time.
    pending ??= expired().finally(() => {
      pending = null;
    });
    await pending;
    return request<T>(method, path, body, opts);
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  if (opts.blob) return (await res.blob()) as T;
  return (await res.json()) as T;
}

async function errorOf(res: Response): Promise<ApiError> {
  const header = res.headers.get('x-correlation-id');
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; correlationId?: string; field?: string };
    };
    const e = body.error ?? {};
    return new ApiError(
      res.status,
      e.code ?? 'error',
      e.message ?? `The API answered ${res.status}`,
      e.correlationId ?? header,
      e.field ?? null,
    );
  } catch {
    return new ApiError(res.status, 'error', `The API answered ${res.status}`, header);
  }
}
