/**
 * Issue 11 §3–4 over real HTTP: the enterprise verification methods (RN-7), the recharge route
 * (RN-9) from submission through the sandbox bank's signed webhook to enterprise-verified, with
 * every payment credited and withdrawable; the Official Account route; public institutions
 * (RN-10); and the recent re-authentication every real-name submission needs (MFA-3). A real
 * worker, Temporal dev server and database.
 */
import { newId } from '../../libs/domain/src/ids';
import { BANK_SIGNATURE_HEADER, signBankWebhook } from '../../libs/integrations/src/bank/webhook-signature';
import {
  bankAccountNumber,
  eventually,
  licenceNumber,
  signUpAndSignIn,
  type TestAccount,
} from '../support/factories';
import { providerAssertion, uniqueSubject } from '../support/identity-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

jest.setTimeout(60_000);

const RECHARGE = '/verifications/enterprise/recharge';
const OFFICIAL_ACCOUNT = '/verifications/enterprise/official-account';
const FIVE_MINUTES = 5 * 60_000;

/** A public institution's unified social credit code (registration authority 1, type 2). */
function publicInstitutionLicence(): string {
  return `12${licenceNumber().slice(2)}`;
}

describe('enterprise verification routes over HTTP', () => {
  let p: Platform;
  // The system's time, moved by hand: the step-up test lets 5 minutes pass without sleeping.
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    p = await startPlatform({ worker: true, clock });
  }, 120_000);
  afterAll(async () => {
    await p.close();
  });

  /** The payer's bank: a transfer into a collection account (arrives at once in the tests). */
  const transfer = async (
    toAccount: string,
    amountFen: number,
    holder: string,
    channel = 'online_banking',
  ) => {
    const r = await p.http.post('/sandbox/bank/incoming-transfers', {
      channel,
      payerAccount: { number: bankAccountNumber(true), holder },
      toAccount,
      amountFen,
    });
    expect(r.status).toBe(201);
    return r.body as { reference: string };
  };

  const balance = async (a: TestAccount): Promise<number> => {
    const r = await p.http.get('/balance', a.token);
    expect(r.status).toBe(200);
    return r.body.balanceFen as number;
  };

  const awaitBalance = (a: TestAccount, fen: number) =>
    eventually(async () => ((await balance(a)) === fen ? true : undefined), 20_000, `balance ${fen}`);

  const officialAccountAssertion = (enterpriseName: string, licence: string) => {
    const q = new URLSearchParams({
      provider: 'wechat_oa',
      subject: uniqueSubject('oa'),
      enterpriseName,
      licenceNumber: licence,
    });
    return p.http.get(`/sandbox/identity/authorize?${q.toString()}`).then((r) => {
      expect(r.status).toBe(200);
      return r.body.assertion as string;
    });
  };

  it('RN-7: the methods and how long each takes are answered by the API, with who may use them (RN-10)', async () => {
    const a = await signUpAndSignIn(p.http);
    const r = await p.http.get('/verifications/enterprise/methods', a.token);
    expect(r.status).toBe(200);
    const byMethod = Object.fromEntries(
      (r.body.methods as Array<{ method: string; duration: string }>).map((m) => [m.method, m]),
    );
    expect(Object.keys(byMethod).sort()).toEqual(['deposit', 'official_account', 'recharge']);
    expect(byMethod.official_account).toMatchObject({ duration: 'Immediate', publicInstitutions: true });
    expect(byMethod.deposit).toMatchObject({ publicInstitutions: true });
    expect(byMethod.deposit.duration).toMatch(/1–3 business days/);
    expect(byMethod.recharge).toMatchObject({ publicInstitutions: false });
    expect(byMethod.recharge.duration).toMatch(/1 business day/);
    expect(r.body).toMatchObject({ rechargeWindowDays: 7, rechargeConfirmBusinessDays: 1 });
    expect(r.body.rechargeChannels).toEqual([
      'online_banking',
      'mobile_banking',
      'wire_transfer',
      'cheque',
      'intercity_counter_transfer',
      'beijing_same_city_counter_cash',
    ]);
  });

  it("RN-9: a wrong sum and a payer in another name do not match, the issued sum from the enterprise's account verifies it; every payment is credited and withdrawable", async () => {
    const owner = await signUpAndSignIn(p.http);
    const submission = { enterpriseName: 'Acme Cloud Ltd', licenceNumber: licenceNumber() };
    const created = await p.http.post(RECHARGE, submission, owner.token);
    expect(created.status).toBe(201);
    const v = created.body;
    expect(v).toMatchObject({
      status: 'awaiting_payment',
      unmatchedPayments: 0,
      paidAt: null,
      refusal: null,
    });
    expect(v.amountFen).toBeGreaterThanOrEqual(1);
    expect(v.amountFen).toBeLessThanOrEqual(99);
    expect(v.channels).toContain('beijing_same_city_counter_cash');
    expect(Date.parse(v.deadline) - Date.parse(v.createdAt)).toBe(7 * 24 * 3600 * 1000);
    const id = v.verificationId as string;
    const payTo = v.payTo.accountNumber as string;

    // One open verification per account: submitting again answers with it.
    const again = await p.http.post(RECHARGE, submission, owner.token);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ verificationId: id, amountFen: v.amountFen });

    const wrongSum = v.amountFen === 99 ? 98 : v.amountFen + 1;
    await transfer(payTo, wrongSum, 'Acme Cloud Ltd');
    await transfer(payTo, v.amountFen, 'Another Name Trading Co');
    const unmatched = await eventually(
      async () => {
        const r = await p.http.get(`${RECHARGE}/${id}`, owner.token);
        return r.body.unmatchedPayments === 2 ? r.body : undefined;
      },
      20_000,
      'two unmatched payments',
    );
    expect(unmatched.status).toBe('awaiting_payment');
    // Money that did not match is credited all the same, never lost.
    await awaitBalance(owner, wrongSum + v.amountFen);
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('unverified');

    await transfer(payTo, v.amountFen, 'Acme Cloud Ltd', 'wire_transfer');
    const done = await eventually(
      async () => {
        const r = await p.http.get(`${RECHARGE}/${id}`, owner.token);
        return r.body.status === 'verified' ? r.body : undefined;
      },
      20_000,
      'the recharge verification to be verified',
    );
    // RN-7: confirmed within 1 business day of the money arriving.
    expect(Date.parse(done.closedAt)).toBeLessThanOrEqual(Date.parse(done.confirmBy));
    expect(Date.parse(done.confirmBy)).toBeGreaterThan(Date.parse(done.paidAt));
    const me = await p.http.get('/accounts/me', owner.token);
    expect(me.body).toMatchObject({ realNameStatus: 'enterprise', enterprise: { name: 'Acme Cloud Ltd' } });

    // The money is on the balance, through the ledger, and can be withdrawn.
    const total = wrongSum + 2 * v.amountFen;
    await awaitBalance(owner, total);
    const entries = await p.http.get('/ledger-entries?limit=10', owner.token);
    expect(entries.body.filter((e: { kind: string }) => e.kind === 'recharge')).toHaveLength(3);
    const out = await p.http.post('/withdrawals', { amountFen: total }, owner.token);
    expect(out.status).toBe(201);
    expect(out.body.balanceFen).toBe(0);

    const list = await p.http.get(RECHARGE, owner.token);
    expect(list.body.map((x: { verificationId: string }) => x.verificationId)).toEqual([id]);
    // RN-3: an enterprise-verified account starts no other enterprise verification.
    const more = await p.http.post(RECHARGE, { ...submission, licenceNumber: licenceNumber() }, owner.token);
    expect(more.status).toBe(422);
    expect(more.body.error).toMatchObject({ rule: 'RN-3', code: 'already_enterprise_verified' });
  });

  it('RN-9: money the bank reports with no verification open is credited once per bank reference, never lost', async () => {
    const owner = await signUpAndSignIn(p.http);
    const collection = `62${String(owner.accountId).padStart(16, '0')}`;
    const event = {
      type: 'transfer.received',
      reference: `SBI${newId()}`,
      beneficiaryAccount: collection,
      channel: 'mobile_banking',
      payerAccountNumber: bankAccountNumber(true),
      payerAccountHolder: 'Acme Cloud Ltd',
      amountFen: 250,
      arrivedAt: clock.now().toISOString(),
    };
    const body = JSON.stringify(event);
    const send = () =>
      fetch(`${p.url}/webhooks/bank`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [BANK_SIGNATURE_HEADER]: signBankWebhook(p.config.bank.webhookSecret, body, clock.now()),
        },
        body,
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: true });
    // The bank sends the same report again: credited once.
    const second = await send();
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ accepted: false });
    expect(await balance(owner)).toBe(250);

    // A forged report credits nothing.
    const forged = await fetch(`${p.url}/webhooks/bank`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [BANK_SIGNATURE_HEADER]: signBankWebhook('not-the-bank-secret-000', body, clock.now()),
      },
      body: JSON.stringify({ ...event, reference: `SBI${newId()}` }),
    });
    expect(forged.status).toBe(401);
    expect(await balance(owner)).toBe(250);
  });

  it('RN-10: a public institution is refused the recharge route naming the field, and verifies through its Official Account', async () => {
    const owner = await signUpAndSignIn(p.http);
    const licence = publicInstitutionLicence();
    const refused = await p.http.post(
      RECHARGE,
      { enterpriseName: 'Beijing Municipal Hospital', licenceNumber: licence },
      owner.token,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      rule: 'RN-10',
      code: 'method_not_for_public_institutions',
      field: 'licenceNumber',
      methods: ['official_account', 'deposit'],
    });
    expect((await p.http.get(RECHARGE, owner.token)).body).toEqual([]);

    const assertion = await officialAccountAssertion('Beijing Municipal Hospital', licence);
    const verified = await p.http.post(OFFICIAL_ACCOUNT, { assertion }, owner.token);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      realNameStatus: 'enterprise',
      method: 'official_account',
      enterprise: { name: 'Beijing Municipal Hospital' },
    });
    expect((await p.http.get('/accounts/me', owner.token)).body).toMatchObject({
      realNameStatus: 'enterprise',
      enterprise: { name: 'Beijing Municipal Hospital' },
    });
  });

  it('RN-7: the Official Account verifies at once, once per assertion; one without a verified organisation is refused', async () => {
    const owner = await signUpAndSignIn(p.http);
    const personalOa = await providerAssertion(p.http, 'wechat_oa', uniqueSubject('oa'), 'Li Lei');
    const noOrg = await p.http.post(OFFICIAL_ACCOUNT, { assertion: personalOa }, owner.token);
    expect(noOrg.status).toBe(422);
    expect(noOrg.body.error).toMatchObject({ rule: 'RN-7', code: 'official_account_without_enterprise' });
    const unknownField = await p.http.post(
      OFFICIAL_ACCOUNT,
      { assertion: personalOa, extra: 1 },
      owner.token,
    );
    expect(unknownField.status).toBe(400);

    const assertion = await officialAccountAssertion('Acme Cloud Ltd', licenceNumber());
    const ok = await p.http.post(OFFICIAL_ACCOUNT, { assertion }, owner.token);
    expect(ok.status).toBe(200);
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('enterprise');
    // RN-3: verified for one enterprise, the account takes no other.
    const second = await p.http.post(
      OFFICIAL_ACCOUNT,
      { assertion: await officialAccountAssertion('Other Co', licenceNumber()) },
      owner.token,
    );
    expect(second.status).toBe(422);
    expect(second.body.error).toMatchObject({ rule: 'RN-3', code: 'already_enterprise_verified' });
    // The same assertion a second time (a replay) is refused: it works once.
    const other = await signUpAndSignIn(p.http);
    const replay = await p.http.post(OFFICIAL_ACCOUNT, { assertion }, other.token);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({ code: 'identity_assertion_invalid', reason: 'replayed' });
  });

  it('RN-2: a 4th account of one enterprise is refused by the Official Account route too', async () => {
    const licence = licenceNumber();
    for (let i = 0; i < 3; i += 1) {
      const holder = await signUpAndSignIn(p.http);
      const r = await p.http.post(
        OFFICIAL_ACCOUNT,
        { assertion: await officialAccountAssertion('Acme Cloud Ltd', licence) },
        holder.token,
      );
      expect(r.status).toBe(200);
    }
    const fourth = await signUpAndSignIn(p.http);
    const r = await p.http.post(
      OFFICIAL_ACCOUNT,
      { assertion: await officialAccountAssertion('Acme Cloud Ltd', licence) },
      fourth.token,
    );
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ rule: 'RN-2', code: 'enterprise_account_limit' });
    expect((await p.http.get('/accounts/me', fourth.token)).body.realNameStatus).toBe('unverified');
    // The recharge route refuses it early too.
    const early = await p.http.post(
      RECHARGE,
      { enterpriseName: 'Acme Cloud Ltd', licenceNumber: licence },
      fourth.token,
    );
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ rule: 'RN-2', field: 'licenceNumber' });
  });

  it('MFA-3: a real-name submission (recharge, Official Account) without a recent authentication is refused', async () => {
    const a = await signUpAndSignIn(p.http);
    clock.advance(FIVE_MINUTES + 1000);
    const assertion = await officialAccountAssertion('Acme Cloud Ltd', licenceNumber());
    const recharge = await p.http.post(
      RECHARGE,
      { enterpriseName: 'Acme Cloud Ltd', licenceNumber: licenceNumber() },
      a.token,
    );
    expect(recharge.status).toBe(403);
    expect(recharge.body.error).toMatchObject({ code: 'step_up_required', rule: 'MFA-3' });
    const oa = await p.http.post(OFFICIAL_ACCOUNT, { assertion }, a.token);
    expect(oa.status).toBe(403);
    expect(oa.body.error).toMatchObject({ code: 'step_up_required', rule: 'MFA-3' });
    // Nothing was started or written.
    expect((await p.http.get(RECHARGE, a.token)).body).toEqual([]);
    expect((await p.http.get('/accounts/me', a.token)).body.realNameStatus).toBe('unverified');

    // After a step-up with the password, the same submission goes through.
    const stepUp = await p.http.post('/sessions/current/step-up', { password: a.password }, a.token);
    expect(stepUp.status).toBe(201);
    const ok = await p.http.post(OFFICIAL_ACCOUNT, { assertion }, a.token);
    expect(ok.status).toBe(200);
  });
});
