import { createStaffMember } from '../../apps/api/src/staff/staff-provisioning';
import { decodeKey32 } from '../../libs/config/src/config';
import { PERMISSIONS } from '../../libs/domain/src/permissions';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { signUpAndSignIn } from '../support/factories';
import { fuzzSeed, runSchemathesis, type FuzzRun } from '../support/fuzzer';
import { startPlatform, type Platform } from '../support/platform';
import { codeFor, str } from '../support/security';

/**
 * Issue 8: a third-party OpenAPI fuzzer (schemathesis) against the running API, signed in. Every
 * answer must be documented (status code, content type, body schema, `Allow` on a 405) and none
 * may be a 5xx. Three runs: an account owner and a sub-user holding every permission on the
 * account routes, an operator (staff) on the staff and sandbox-admin routes. Each is bounded by a count per operation and by --max-time.
 */
jest.setTimeout(12 * 60_000);

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'unsupported_method',
  'allow_header_conformance',
].join(',');

/** Routes for staff (operator) and the sandbox admin API; the owner run leaves them out. */
const STAFF_PATHS = '^/(staff|admin-sandbox)(/|$)';

describe('OpenAPI fuzzing (schemathesis)', () => {
  let p: Platform;
  const runs: Array<{ name: string; run: FuzzRun }> = [];
  beforeAll(async () => {
    // With the worker: a deposit verification's state is a workflow query, which waits for a
    // worker (without one, a second submission waits out Temporal's query timeout).
    p = await startPlatform({
      worker: true,
      env: { SANDBOX_ADMIN_API: 'true', SANDBOX_ADMIN_TOKEN: 'fuzz-admin-token-0123456789abcdef' },
    });
  }, 60_000);
  afterAll(async () => {
    for (const { name, run } of runs)
      process.stdout.write(`[fuzz] ${name}: ${run.requests} requests, exit ${run.exitCode}\n`);
    await p.close();
  });

  const fuzz = (name: string, token: string, filter: string[], maxExamples: number) =>
    runSchemathesis(
      [
        `${p.url}/docs/openapi.json`,
        '--header',
        `Authorization: Bearer ${token}`,
        '--checks',
        CHECKS,
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        String(maxExamples),
        // One worker: the request count, not a time budget, bounds the run (with --max-time the
        // fuzzing phase repeats until the budget is spent); and Python 3.11's parser is not
        // thread-safe enough for schemathesis's threads ("AST constructor recursion depth").
        '--workers',
        '1',
        '--report',
        'ndjson,junit',
        '--report-dir',
        `.data/fuzz/${name}`,
        '--seed',
        fuzzSeed(),
        '--no-shrink',
        '--suppress-health-check',
        'all',
        ...filter,
      ],
      name,
      6 * 60_000,
    ).then((run) => {
      runs.push({ name, run });
      return run;
    });

  const expectClean = (run: FuzzRun) => {
    // The whole report on failure: which request, which check, how to replay it.
    if (run.exitCode !== 0)
      throw new Error(
        `schemathesis failed (exit ${run.exitCode}), full output in ${run.logFile}:\n${run.summary}`,
      );
  };

  it('an account owner: every answer documented, no 5xx', async () => {
    const owner = await signUpAndSignIn(p.http);
    const run = await fuzz(
      'owner',
      owner.token,
      [
        '--exclude-path-regex',
        STAFF_PATHS,
        // Signing out ends the fuzzer's own session, and so does ending a session by ID (the
        // fuzzer reuses the IDs GET /sessions lists, its own among them): every later request
        // would be a 401. test/integration/sessions.test.ts covers both.
        '--exclude-operation-id',
        'SessionsController_signOut',
        '--exclude-operation-id',
        'SessionsController_end',
      ],
      40,
    );
    expectClean(run);
    expect(run.requests).toBeGreaterThanOrEqual(4_000);
  });

  it('a sub-user with every permission: every answer documented, no 5xx', async () => {
    const owner = await signUpAndSignIn(p.http);
    const username = 'fuzz-sub-user';
    const password = 'Passw0rd-sub-1';
    const created = await p.http.post(
      '/sub-users',
      { username, password, permissions: [...PERMISSIONS] },
      owner.token,
    );
    expect(created.status).toBe(201);
    const signedIn = await p.http.post('/sub-users/sessions', {
      accountId: owner.accountId,
      username,
      password,
    });
    const run = await fuzz(
      'sub-user',
      str(signedIn, 'token'),
      [
        '--exclude-path-regex',
        STAFF_PATHS,
        // Signing out ends the fuzzer's own sub-user session.
        '--exclude-operation-id',
        'SubUsersController_signOut',
      ],
      15,
    );
    expectClean(run);
  });

  it('an operator (staff): every answer documented, no 5xx', async () => {
    const staff = await createStaffMember(p.orm, new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!), {
      email: 'fuzz.operator@example.com',
      role: 'operator',
      now: p.clock.now(),
      issuer: 'fuzz',
    });
    const signedIn = await p.http.post('/staff/sessions', {
      email: staff.email,
      password: staff.password,
      code: codeFor(staff.totpSecret, p.clock),
    });
    const run = await fuzz(
      'operator',
      str(signedIn, 'token'),
      [
        '--include-path-regex',
        STAFF_PATHS,
        // Signing out ends the fuzzer's own staff session.
        '--exclude-operation-id',
        'StaffController_signOut',
      ],
      40,
    );
    expectClean(run);
  });

  it('sends at least 5,000 requests in all', () => {
    expect(runs.map((r) => r.run.requests).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5_000);
  });
});
