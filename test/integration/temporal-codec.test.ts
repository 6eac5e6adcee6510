/**
 * Issue 12 §1: payloads are encrypted in Temporal, and only an operator decodes them, through the
 * codec server in the API (Temporal's remote codec protocol), each decode audited. A real worker,
 * Temporal dev server and database, over HTTP.
 */
import { temporal } from '@temporalio/proto';
import { ManualClock } from '../../libs/domain/src/clock';
import { CodecDecodeEvent, StaffMember } from '../../libs/persistence/src/entities';
import { workflowIds } from '../../libs/temporal/src/contract';
import { awaitDepositStatus, payoutAmount } from '../support/deposit-fixtures';
import { bankAccountNumber, licenceNumber, signUpAndSignIn, type TestAccount } from '../support/factories';
import type { HttpResponse } from '../support/http';
import { startPlatform, type Platform } from '../support/platform';
import { createSignedInStaff, type SignedInStaff } from '../support/staff-fixtures';
import { CORRELATION_ID_HEADER } from '../../libs/temporal/src/correlation-header';

const BASE = '/verifications/enterprise/deposit';
const UI_ORIGIN = 'http://127.0.0.1:8233';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** Every payload of a history, in the remote codec protocol's JSON form. */
/**
 * Temporal headers are not payloads of the codec either (the SDK leaves them to the interceptors
 * that write them): they hold only the request's correlation ID and the trace context, never
 * personal data. The names of every header field in the history, to hold that.
 */
function headerFieldsOf(history: temporal.api.history.v1.IHistory): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'header' && child && typeof child === 'object') {
          Object.keys((child as { fields?: Record<string, unknown> }).fields ?? {}).forEach((n) =>
            names.add(n),
          );
        } else walk(child);
      }
    }
  };
  walk(history);
  return names;
}

function payloadsOf(history: temporal.api.history.v1.IHistory): JsonPayload[] {
  const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
    bytes: String,
    longs: String,
    defaults: false,
  }) as unknown;
  const found: JsonPayload[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o['metadata'] && typeof o['metadata'] === 'object' && 'encoding' in o['metadata']) {
        found.push({ metadata: o['metadata'] as Record<string, string>, data: (o['data'] as string) ?? '' });
        return;
      }
      // Search attributes are not payloads of the codec: plain by design (no personal data); nor
      // are the SDK's own patch markers (a patch ID).
      if (o['markerName'] === 'core_patch') return;
      for (const [k, child] of Object.entries(o)) if (k !== 'searchAttributes' && k !== 'header') walk(child);
    }
  };
  walk(json);
  return found;
}

describe('Temporal payload codec and codec server (issue 12)', () => {
  let p: Platform;
  const clock = new ManualClock(new Date(Date.now()).toISOString());
  let operator: SignedInStaff;
  let reviewer: SignedInStaff;
  let owner: TestAccount;
  let workflowId: string;
  let history: temporal.api.history.v1.IHistory;
  const enterpriseName = 'Zhongshan Codec Trading Co';
  const holder = 'Li Xiaolong Codec Holder';
  const number = bankAccountNumber(true);
  let amount: number;

  beforeAll(async () => {
    p = await startPlatform({ clock, worker: true });
    operator = await createSignedInStaff(p, clock, 'operator', `codec.operator.${Date.now()}@example.com`);
    reviewer = await createSignedInStaff(p, clock, 'reviewer', `codec.reviewer.${Date.now()}@example.com`);
    // A completed deposit verification, over HTTP.
    owner = await signUpAndSignIn(p.http);
    const created = await p.http.post(
      BASE,
      {
        enterpriseName,
        licenceNumber: licenceNumber(),
        bankAccount: { holder, bankName: 'ICBC Beijing', accountNumber: number },
      },
      owner.token,
    );
    if (created.status !== 201) throw new Error(`submit failed: ${created.status}`);
    const id = created.body.verificationId as string;
    await awaitDepositStatus(p.http, owner.token, id, 'awaiting_amount');
    amount = await payoutAmount(p.http, number, { exactlyOne: true });
    const right = await p.http.post(`${BASE}/${id}/amount`, { amountFen: amount }, owner.token);
    if (right.body.outcome !== 'verified') throw new Error(`entry failed: ${JSON.stringify(right.body)}`);
    await awaitDepositStatus(p.http, owner.token, id, 'verified');
    workflowId = workflowIds.depositVerification(owner.accountId);
    await p.temporal.workflow.getHandle(workflowId).result();
    history = await p.temporal.workflow.getHandle(workflowId).fetchHistory();
  }, 120_000);
  afterAll(async () => {
    await p?.close();
  });

  const staffId = async (s: SignedInStaff): Promise<string> =>
    (await p.orm.em.fork().findOneOrFail(StaffMember, { email: s.member.email })).id;

  const decode = (
    payloads: JsonPayload[],
    headers: Record<string, string> = {},
    token?: string,
  ): Promise<HttpResponse> =>
    p.http.request('POST', '/temporal-codec/decode', { body: { payloads }, headers, token });

  it('a history of a completed deposit verification holds no amount, bank number or name in the clear', () => {
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    const text = raw.toString('latin1');
    expect(text).not.toContain(number);
    expect(text).not.toContain(number.slice(-8));
    expect(text).not.toContain(enterpriseName);
    expect(text).not.toContain(holder);
    expect(text).not.toMatch(new RegExp(`"amountFen":\\s*${amount}\\b`));
    const payloads = payloadsOf(history);
    expect(payloads.length).toBeGreaterThan(3);
    for (const payload of payloads) {
      expect(Buffer.from(payload.metadata!['encoding'], 'base64').toString()).toBe('binary/encrypted');
    }
    // The plain headers: the correlation ID (issue 12 §3) and the trace context, nothing else.
    const headers = headerFieldsOf(history);
    expect(headers.has(CORRELATION_ID_HEADER)).toBe(true);
    for (const name of headers) expect([CORRELATION_ID_HEADER, '_tracer-data']).toContain(name);
  });

  it('an operator decodes the history through the codec server, and the decode is audited (who, which workflow)', async () => {
    const payloads = payloadsOf(history);
    const res = await decode(
      payloads,
      { 'x-namespace': 'default', 'x-workflow-id': workflowId, origin: UI_ORIGIN },
      operator.token,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const decoded = (res.body as { payloads: JsonPayload[] }).payloads;
    expect(decoded).toHaveLength(payloads.length);
    const clear = decoded.map((d) => Buffer.from(d.data ?? '', 'base64').toString('utf8')).join('\n');
    expect(clear).toMatch(new RegExp(`"amountFen":${amount}\\b`));
    for (const d of decoded) {
      expect(Buffer.from(d.metadata!['encoding'], 'base64').toString()).not.toBe('binary/encrypted');
    }

    const audit = await p.orm.em.fork().find(CodecDecodeEvent, { staffId: await staffId(operator) });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      namespace: 'default',
      workflowId,
      payloads: payloads.length,
      keyIds: ['local-1'],
      origin: UI_ORIGIN,
    });
  });

  it("CAN-5: even decoded with the payload key, the history holds no bank account number or name (they live only under the account's data key, which cancellation destroys)", async () => {
    const res = await decode(payloadsOf(history), { 'x-workflow-id': workflowId }, operator.token);
    expect(res.status).toBe(200);
    const clear = (res.body as { payloads: JsonPayload[] }).payloads
      .map((d) => Buffer.from(d.data ?? '', 'base64').toString('utf8'))
      .join('\n');
    expect(clear).toContain(workflowId.split(':')[1]);
    expect(clear).not.toContain(number);
    expect(clear).not.toContain(number.slice(0, -4));
    expect(clear).not.toContain(enterpriseName);
    expect(clear).not.toContain(holder);
  });

  it('issue 12 §2: the deposit verification says what it is (static summary and details), IDs only, sealed like every payload', async () => {
    const described = await p.temporal.workflow.getHandle(workflowId).describe();
    const summary = await described.staticSummary();
    const details = await described.staticDetails();
    expect(summary).toMatch(/^Enterprise deposit verification · verification [0-9A-Z]{26}$/);
    expect(details).toContain(`Account ${owner.accountId}`);
    for (const text of [summary, details]) {
      expect(text).not.toContain(number);
      expect(text).not.toContain(enterpriseName);
      expect(text).not.toContain(holder);
      expect(text).not.toMatch(/amount(Fen)?\s*[:=]/i);
    }
  });

  it('refuses an account session (403 staff_only), a reviewer (403 staff_role_required) and no session (401)', async () => {
    const payloads = payloadsOf(history).slice(0, 1);
    const asOwner = await decode(payloads, {}, owner.token);
    expect(asOwner.status).toBe(403);
    expect(asOwner.body.error.code).toBe('staff_only');
    const asReviewer = await decode(payloads, {}, reviewer.token);
    expect(asReviewer.status).toBe(403);
    expect(asReviewer.body.error.code).toBe('staff_role_required');
    const anonymous = await decode(payloads);
    expect(anonymous.status).toBe(401);
    const forged = await decode(payloads, {}, 'stf_forged-token');
    expect(forged.status).toBe(401);
    for (const refused of [asOwner, asReviewer, anonymous, forged]) {
      expect(JSON.stringify(refused.body)).not.toMatch(/amountFen/);
    }
    const encodeAsReviewer = await p.http.request('POST', '/temporal-codec/encode', {
      body: { payloads: [] },
      token: reviewer.token,
    });
    expect(encodeAsReviewer.status).toBe(403);
    // Only the operator's decode above was recorded.
    expect(await p.orm.em.fork().count(CodecDecodeEvent, { staffId: await staffId(reviewer) })).toBe(0);
    // The codec cookie is handed out to operators only.
    const cookieForReviewer = await p.http.request('POST', '/temporal-codec/session', {
      token: reviewer.token,
    });
    expect(cookieForReviewer.status).toBe(403);
  });

  it("the Web UI's way in: the codec cookie of an operator's session decodes; another namespace is refused", async () => {
    const opened = await p.http.request('POST', '/temporal-codec/session', { token: operator.token });
    expect(opened.status).toBe(201);
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ac_codec_session=stf_/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/temporal-codec/);
    const cookie = setCookie.split(';')[0];
    const payloads = payloadsOf(history).slice(0, 2);
    const ok = await decode(payloads, { cookie, 'x-namespace': 'default' });
    expect(ok.status).toBe(200);
    const otherNamespace = await decode(payloads, { cookie, 'x-namespace': 'someone-else' });
    expect(otherNamespace.status).toBe(404);
    expect(otherNamespace.body.error.code).toBe('namespace_unknown');
    // Encode then decode is the identity (the protocol's round trip).
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('{"x":1}').toString('base64'),
    };
    const encoded = await p.http.request('POST', '/temporal-codec/encode', {
      body: { payloads: [plain] },
      headers: { cookie },
    });
    expect(encoded.status).toBe(200);
    const back = await decode(encoded.body.payloads as JsonPayload[], { cookie });
    expect(back.body.payloads).toEqual([plain]);
  });

  it("answers the Web UI's preflight for its configured origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${p.url}/temporal-codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const ui = await preflight(UI_ORIGIN);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ui.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
