import { startPlatform, type Platform } from '../support/platform';

jest.setTimeout(30_000);

interface Schema {
  type?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  additionalProperties?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  $ref?: string;
}

interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

/** Issue 3: "the OpenAPI docs describe every endpoint and error". */
describe('OpenAPI document', () => {
  let p: Platform;
  let ops: Array<{ id: string; op: Operation; path: string }>;
  let schemas: Record<string, Schema>;
  beforeAll(async () => {
    p = await startPlatform({
      env: { SANDBOX_ADMIN_API: 'true', SANDBOX_ADMIN_TOKEN: 'openapi-test-token-0123456789' },
    });
    const doc = await p.http.get<{
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    }>('/docs/openapi.json');
    schemas = doc.body.components.schemas;
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

  /** Issue 8: the document carries every constraint the server enforces. */
  describe('carries the constraints the server enforces', () => {
    const op = (id: string): Operation => {
      const found = ops.find((o) => o.id === id);
      if (!found) throw new Error(`no operation ${id}`);
      return found.op;
    };
    const bodySchema = (id: string): Schema => {
      const ref = op(id).requestBody?.content?.['application/json']?.schema?.$ref ?? '';
      return schemas[ref.replace('#/components/schemas/', '')] ?? {};
    };
    const param = (id: string, name: string) => op(id).parameters?.find((x) => x.name === name);

    it('integers as integers with their bounds', () => {
      expect(
        bodySchema('POST /verifications/enterprise/deposit/{id}/amount').properties?.amountFen,
      ).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 99,
      });
      for (const id of ['GET /accounts/me/login-history', 'GET /sub-users/{id}/login-history']) {
        expect(param(id, 'page')?.schema).toMatchObject({ type: 'integer', minimum: 1 });
        expect(param(id, 'pageSize')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
      }
    });

    it('patterns: IDs in paths, the X-Account-Id header, codes and the password rule', () => {
      expect(param('GET /projects/{id}', 'id')?.schema?.pattern).toBe('^[0-9A-HJKMNP-TV-Z]{26}$');
      expect(param('GET /projects', 'X-Account-Id')?.schema?.pattern).toBe('^[1-9][0-9]{0,15}$');
      const signUp = bodySchema('POST /accounts');
      expect(signUp.properties?.code?.pattern).toBe('^\\d{6}$');
      expect(signUp.properties?.password).toMatchObject({ minLength: 8, maxLength: 128 });
      expect(signUp.properties?.password?.pattern).toEqual(expect.stringContaining('[A-Za-z]'));
    });

    it('every request body refuses fields it does not name (additionalProperties: false)', () => {
      const open = ops
        .filter(({ op: o }) => o.requestBody)
        .filter(({ id }) => {
          const s = bodySchema(id);
          return s.type === 'object' && s.additionalProperties !== false;
        })
        .map((o) => o.id);
      expect(open).toEqual([]);
      expect(bodySchema('POST /sessions').properties?.captcha?.additionalProperties).toBe(false);
    });

    it('required query parameters are required', () => {
      expect(param('GET /sandbox/outbox', 'to')?.required).toBe(true);
      expect(param('GET /ledger-entries', 'limit')?.required).toBe(false);
    });

    it('every error answer has the error body schema, and every route documents 400, 413 and 415', () => {
      expect(schemas['ErrorBody']?.properties?.error?.required).toEqual(['code', 'message', 'correlationId']);
      expect(missing(({ op: o }) => ['400', '413', '415', '500'].every((c) => codes(o).includes(c)))).toEqual(
        [],
      );
      expect(
        ops.flatMap(({ id, op: o }) =>
          Object.entries(o.responses ?? {})
            .filter(
              ([c, r]) =>
                Number(c) >= 400 &&
                r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBody',
            )
            .map(([c]) => `${id} ${c}`),
        ),
      ).toEqual([]);
    });
  });
});
