import { startPlatform, type Platform } from '../support/platform';

jest.setTimeout(30_000);

interface Operation {
  summary?: string;
  description?: string;
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses?: Record<string, { description?: string }>;
}

/** Issue 3: "the OpenAPI docs describe every endpoint and error". */
describe('OpenAPI document', () => {
  let p: Platform;
  let ops: Array<{ id: string; op: Operation; path: string }>;
  beforeAll(async () => {
    p = await startPlatform({
      env: { SANDBOX_ADMIN_API: 'true', SANDBOX_ADMIN_TOKEN: 'openapi-test-token-0123456789' },
    });
    const doc = await p.http.get<{ paths: Record<string, Record<string, Operation>> }>('/docs/openapi.json');
    ops = Object.entries(doc.body.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op, path })),
    );
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  const missing = (pred: (o: { op: Operation; path: string }) => boolean) =>
    ops.filter((o) => !pred(o)).map((o) => o.id);
  const codes = (op: Operation) => Object.keys(op.responses ?? {});

  it('describes every endpoint with a summary and a success answer', () => {
    expect(ops.length).toBeGreaterThan(50);
    expect(missing(({ op }) => Boolean(op.summary ?? op.description))).toEqual([]);
    // ACC-16: moving a cloud server to another account is always refused; it has no success.
    expect(missing(({ op }) => codes(op).some((c) => /^2\d\d$/.test(c)))).toEqual([
      'POST /resources/{id}/account-transfers',
    ]);
  });

  it('documents 400 wherever input is taken', () => {
    expect(
      missing(({ op }) => {
        // A path ID that does not exist is a 404 (documented below), not bad input.
        const takesInput =
          op.requestBody !== undefined || (op.parameters ?? []).some((x) => x.in === 'query');
        return !takesInput || codes(op).includes('400');
      }),
    ).toEqual([]);
  });

  it('documents 401 on every endpoint that needs a session', () => {
    expect(missing(({ op }) => (op.security ?? []).length === 0 || codes(op).includes('401'))).toEqual([]);
  });

  it('documents 404 on every endpoint addressing a resource by ID', () => {
    expect(missing(({ op, path }) => !/\{[^}]*[iI]d\}/.test(path) || codes(op).includes('404'))).toEqual([]);
  });

  it('documents the cooldown (429) and a notifier that is down (503) wherever a code is sent', () => {
    const senders = ops.filter(({ path }) => path.endsWith('/codes'));
    expect(senders.length).toBeGreaterThanOrEqual(5);
    expect(
      senders.filter(({ op }) => !codes(op).includes('429') || !codes(op).includes('503')).map((o) => o.id),
    ).toEqual([]);
  });

  it('documents the 500 of an unexpected failure everywhere', () => {
    expect(missing(({ op }) => codes(op).includes('500'))).toEqual([]);
  });

  it('describes every documented answer', () => {
    expect(
      ops.flatMap(({ id, op }) =>
        Object.entries(op.responses ?? {})
          .filter(([, r]) => !r.description)
          .map(([c]) => `${id} ${c}`),
      ),
    ).toEqual([]);
  });
});
