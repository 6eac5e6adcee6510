/**
 * "Find my account" by real-name information (issue 11 §1, RN-2) over real HTTP: the accounts
 * holding an identity's slots, verified through the API, are shown masked; the name must match as
 * well as the number, the answer has one shape whatever matched, and the look-ups share ACC-5's
 * per-client limit.
 */
import { awaitDepositStatus, payoutAmount } from '../support/deposit-fixtures';
import { mainlandIdNumber, personalSubmission, verifyPersonallyByFace } from '../support/face-fixtures';
import { bankAccountNumber, licenceNumber, signUpAndSignIn } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

const FIND = '/find-account/real-name';

jest.setTimeout(60_000);

describe('find my account by real-name information over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock(new Date().toISOString());
  beforeAll(async () => {
    p = await startPlatform({ worker: true, clock });
  }, 120_000);
  afterAll(async () => {
    await p.close();
  });
  // Every test starts with a fresh rate-limit window (all requests come from 127.0.0.1).
  beforeEach(() => {
    clock.advance(61_000);
  });

  it("RN-2: a person's name and ID number show, masked, which accounts hold the identity's slots", async () => {
    const idNumber = mainlandIdNumber();
    const holders = [await signUpAndSignIn(p.http), await signUpAndSignIn(p.http)];
    for (const h of holders) {
      await verifyPersonallyByFace(p.http, h, personalSubmission({ name: '赵六', idNumber }));
    }
    const found = await p.http.post(FIND, {
      kind: 'personal',
      name: ' 赵六 ',
      certificateNumber: idNumber.toLowerCase(),
    });
    expect(found.status).toBe(200);
    expect(found.body.matches).toHaveLength(2);
    const matches = found.body.matches as Array<Record<string, any>>;
    // Masked: the account ID's last four digits, the email masked.
    expect(matches.map((m) => (m.accountId as string).slice(-4)).sort()).toEqual(
      holders.map((h) => String(h.accountId).slice(-4)).sort(),
    );
    for (const m of matches) {
      expect(holders.map((h) => String(h.accountId))).not.toContain(m.accountId);
      expect(m.loginMethods[0].kind).toBe('email');
      expect(holders.map((h) => h.email)).not.toContain(m.loginMethods[0].identifier);
    }
    expect(JSON.stringify(found.body)).not.toContain(idNumber);

    // Non-enumeration: a wrong name, an unknown number, or the other site (ACC-11) find nothing,
    // in the same shape.
    for (const body of [
      { kind: 'personal', name: '赵七', certificateNumber: idNumber },
      { kind: 'personal', name: '赵六', certificateNumber: mainlandIdNumber() },
      { kind: 'personal', name: '赵六', certificateNumber: idNumber, site: 'intl' },
      { kind: 'enterprise', name: '赵六', certificateNumber: idNumber },
    ]) {
      const r = await p.http.post(FIND, body);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ matches: [] });
    }
  });

  it("RN-2: an enterprise's name and licence number show the account it verifies", async () => {
    const owner = await signUpAndSignIn(p.http);
    const licence = licenceNumber();
    const number = bankAccountNumber(true);
    const submitted = await p.http.post(
      '/verifications/enterprise/deposit',
      {
        enterpriseName: 'Lookup Cloud Ltd',
        licenceNumber: licence,
        bankAccount: { holder: 'Lookup Cloud Ltd', bankName: 'ICBC Beijing', accountNumber: number },
      },
      owner.token,
    );
    expect(submitted.status).toBe(201);
    const id = submitted.body.verificationId as string;
    await awaitDepositStatus(p.http, owner.token, id, 'awaiting_amount');
    const entered = await p.http.post(
      `/verifications/enterprise/deposit/${id}/amount`,
      { amountFen: await payoutAmount(p.http, number, { exactlyOne: true }) },
      owner.token,
    );
    expect(entered.body.outcome).toBe('verified');

    const found = await p.http.post(FIND, {
      kind: 'enterprise',
      name: 'lookup cloud ltd',
      certificateNumber: licence,
    });
    expect(found.body.matches).toHaveLength(1);
    expect(found.body.matches[0].accountId.endsWith(String(owner.accountId).slice(-4))).toBe(true);
  });

  it('ACC-5: the look-ups by real-name information share the per-client limit of the others; bad input names the field', async () => {
    const bad = await p.http.post(FIND, { kind: 'personal', name: '赵六', certificateNumber: '12-34' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('certificateNumber');
    const unknown = await p.http.post(FIND, {
      kind: 'personal',
      name: '赵六',
      certificateNumber: '1234567',
      x: 1,
    });
    expect(unknown.status).toBe(400);

    clock.advance(61_000);
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await p.http.post('/find-account', { by: 'account_id', value: '1234567890123456' })).status,
      ).toBe(200);
    }
    for (let i = 0; i < 5; i += 1) {
      const r = await p.http.post(FIND, {
        kind: 'personal',
        name: '赵六',
        certificateNumber: mainlandIdNumber(),
      });
      expect(r.status).toBe(200);
    }
    const limited = await p.http.post(FIND, {
      kind: 'personal',
      name: '赵六',
      certificateNumber: mainlandIdNumber(),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
