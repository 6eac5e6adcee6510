/**
 * The whole path over real HTTP: sign-up → submit bank details → the sandbox bank lands the
 * payout and reports it by a signed webhook → the owner reads the amount from the bank
 * statement → enters it → enterprise-verified. A real worker, Temporal dev server and database.
 */
import { type DEPOSIT_STATUSES } from '../../libs/domain/src/deposit-verification';
import { newId } from '../../libs/domain/src/ids';
import {
  Account,
  DepositRunSlot,
  DepositVerification,
  RealNameRecord,
} from '../../libs/persistence/src/entities';
import { signBankWebhook, BANK_SIGNATURE_HEADER } from '../../libs/integrations/src/bank/webhook-signature';
import {
  bankAccountNumber,
  eventually,
  licenceNumber,
  signUpAndSignIn,
  type TestAccount,
} from '../support/factories';
import { awaitDepositStatus, payoutAmount } from '../support/deposit-fixtures';
import { verifyPersonallyByFace } from '../support/face-fixtures';
import { decodeKey32 } from '../../libs/config/src/config';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { certificateDigest } from '../../libs/domain/src/real-name';

/** The platform's data SecretBox (DATA_ENCRYPTION_KEY), as the API and the worker build it. */
const dataBox = (p: Platform) => new SecretBox(decodeKey32(p.config.dataEncryptionKey)!);
import { startPlatform, type Platform } from '../support/platform';

const BASE = '/verifications/enterprise/deposit';

/**
 * Bank details with a licence number of their own: RN-8's run limit counts open and failed runs
 * per licence number, and the tests here must not use up one licence's slots between them.
 */
function submission(accountNumber: string, overrides: Record<string, unknown> = {}) {
  return {
    enterpriseName: 'Acme Cloud Ltd',
    licenceNumber: licenceNumber(),
    bankAccount: { holder: 'Acme Cloud Ltd', bankName: 'ICBC Beijing', accountNumber },
    ...overrides,
  };
}

describe('enterprise deposit verification over HTTP', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform({ worker: true });
  }, 120_000);
  afterAll(async () => {
    await p.close();
  });

  const awaitStatus = (owner: TestAccount, id: string, status: (typeof DEPOSIT_STATUSES)[number]) =>
    awaitDepositStatus(p.http, owner.token, id, status);
  const statementAmount = (accountNumber: string) =>
    payoutAmount(p.http, accountNumber, { exactlyOne: true });

  it('RN-7/RN-8/RN-11: from sign-up to enterprise-verified, with one wrong entry on the way', async () => {
    const owner = await signUpAndSignIn(p.http);
    const number = bankAccountNumber(true);
    const created = await p.http.post(BASE, submission(number), owner.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'payout_pending', attemptsLeft: 2, deadline: null });
    expect(created.body.bankAccount.maskedAccountNumber).toBe(`********${number.slice(-4)}`);
    const id = created.body.verificationId as string;
    // The full number is stored only sealed, under the account's data key (`a1.`, CAN-5); the
    // payout still finds it.
    const row = await p.orm.em
      .fork()
      .findOneOrFail(DepositVerification, { id }, { populate: ['bankAccountNumber'] });
    expect(row.bankAccountNumber).toMatch(/^a1\./);
    expect(row.bankAccountNumber).not.toContain(number);

    const awaiting = await awaitStatus(owner, id, 'awaiting_amount');
    expect(Date.parse(awaiting.deadline) - Date.parse(awaiting.landedAt)).toBe(7 * 24 * 3600 * 1000);
    expect(JSON.stringify(awaiting)).not.toMatch(/amountFen/);

    const amount = await statementAmount(number);
    const wrong = await p.http.post(
      `${BASE}/${id}/amount`,
      { amountFen: amount === 99 ? 1 : amount + 1 },
      owner.token,
    );
    expect(wrong.status).toBe(200);
    expect(wrong.body).toMatchObject({ outcome: 'wrong_amount', attemptsLeft: 1 });
    expect(JSON.stringify(wrong.body)).not.toMatch(/amountFen/);

    const right = await p.http.post(`${BASE}/${id}/amount`, { amountFen: amount }, owner.token);
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ outcome: 'verified', attemptsLeft: 0 });

    // RN-11: visible in account info at once.
    const me = await p.http.get('/accounts/me', owner.token);
    expect(me.body).toMatchObject({ realNameStatus: 'enterprise', enterprise: { name: 'Acme Cloud Ltd' } });

    const done = await awaitStatus(owner, id, 'verified');
    expect(done.closedAt).not.toBeNull();
    const list = await p.http.get(BASE, owner.token);
    expect(list.body.map((v: { verificationId: string }) => v.verificationId)).toEqual([id]);
  });

  it('RN-8: a second submit while one is open returns the open one, never a second payout', async () => {
    const owner = await signUpAndSignIn(p.http);
    const number = bankAccountNumber(true);
    const first = await p.http.post(BASE, submission(number), owner.token);
    const [again, concurrent] = await Promise.all([
      p.http.post(BASE, submission(bankAccountNumber(true)), owner.token),
      p.http.post(BASE, submission(bankAccountNumber(true)), owner.token),
    ]);
    expect(first.status).toBe(201);
    for (const r of [again, concurrent]) {
      expect(r.status).toBe(200);
      expect(r.body.verificationId).toBe(first.body.verificationId);
    }
    await awaitStatus(owner, first.body.verificationId, 'awaiting_amount');
    expect((await p.http.get(BASE, owner.token)).body).toHaveLength(1);
    await statementAmount(number); // exactly one transfer
  });

  /** A landed verification and the two wrong entries that fail it; returns what the owner saw. */
  async function failWithTwoWrongAmounts(owner: TestAccount, number: string) {
    const id = (await p.http.post(BASE, submission(number), owner.token)).body.verificationId as string;
    await awaitStatus(owner, id, 'awaiting_amount');
    const amount = await statementAmount(number);
    const [w1, w2] = [1, 2, 3].filter((a) => a !== amount);
    const outcomes: string[] = [];
    for (const amountFen of [w1, w2]) {
      outcomes.push((await p.http.post(`${BASE}/${id}/amount`, { amountFen }, owner.token)).body.outcome);
    }
    return { id, amount, outcomes };
  }

  it('RN-8: two wrong amounts fail it; submitting the bank details again starts a new verification', async () => {
    const owner = await signUpAndSignIn(p.http);
    const number = bankAccountNumber(true);
    const { id: first, amount, outcomes } = await failWithTwoWrongAmounts(owner, number);
    expect(outcomes).toEqual(['wrong_amount', 'failed']);
    await awaitStatus(owner, first, 'failed');
    const late = await p.http.post(`${BASE}/${first}/amount`, { amountFen: amount }, owner.token);
    expect(late.status).toBe(409);

    const second = await p.http.post(BASE, submission(number), owner.token);
    expect(second.status).toBe(201);
    expect(second.body.verificationId).not.toBe(first);
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('unverified');
  });

  it('RN-8: submitting again the moment the second wrong amount fails it starts a new verification', async () => {
    const owner = await signUpAndSignIn(p.http);
    const { id: first, outcomes } = await failWithTwoWrongAmounts(owner, bankAccountNumber(true));
    expect(outcomes).toEqual(['wrong_amount', 'failed']);

    // No waiting: the failed run may still be recording its end when the next submission arrives.
    const again = await p.http.post(BASE, submission(bankAccountNumber(true)), owner.token);
    expect(again.status).toBe(201);
    expect(again.body.verificationId).not.toBe(first);
    expect((await p.http.get(`${BASE}/${first}`, owner.token)).body.status).toBe('failed');
  });

  it('RN-8: a malformed amount is a 400 naming amountFen and spends no attempt', async () => {
    const owner = await signUpAndSignIn(p.http);
    const id = (await p.http.post(BASE, submission(bankAccountNumber(true)), owner.token)).body
      .verificationId as string;
    await awaitStatus(owner, id, 'awaiting_amount');
    for (const amountFen of [0, -1, 12.5, 100, '37']) {
      const r = await p.http.post(`${BASE}/${id}/amount`, { amountFen }, owner.token);
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('amountFen');
    }
    expect((await p.http.get(`${BASE}/${id}`, owner.token)).body.attemptsLeft).toBe(2);
  });

  it('RN-8: a wrong account number never lands; the owner withdraws and starts again with the right one', async () => {
    const owner = await signUpAndSignIn(p.http);
    const wrongNumber = bankAccountNumber(false);
    const first = (await p.http.post(BASE, submission(wrongNumber), owner.token)).body
      .verificationId as string;
    await eventually(async () => {
      const r = await p.http.get(`${BASE}/${first}`, owner.token);
      return r.body.payoutRequestedAt ? r.body : undefined;
    });
    const pending = await p.http.get(`${BASE}/${first}`, owner.token);
    expect(pending.body.status).toBe('payout_pending');
    expect(pending.body.appealAvailableFrom).not.toBeNull();
    expect((await p.http.get(`/sandbox/bank/statement?accountNumber=${wrongNumber}`)).body).toEqual([]);

    const withdrawn = await p.http.post(`${BASE}/${first}/withdraw`, undefined, owner.token);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');

    const second = await p.http.post(BASE, submission(bankAccountNumber(true)), owner.token);
    expect(second.status).toBe(201);
    await awaitStatus(owner, second.body.verificationId, 'awaiting_amount');
    const notAgain = await p.http.post(
      `${BASE}/${second.body.verificationId}/withdraw`,
      undefined,
      owner.token,
    );
    expect(notAgain.status).toBe(409);
    expect(notAgain.body.error.code).toBe('not_withdrawable');
  });

  it('RN-3: an account already enterprise-verified cannot start another enterprise verification', async () => {
    const owner = await signUpAndSignIn(p.http);
    await p.orm.em.fork().nativeUpdate(Account, { id: owner.accountId }, { realNameStatus: 'enterprise' });
    const r = await p.http.post(BASE, submission(bankAccountNumber(true)), owner.token);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ rule: 'RN-3', code: 'already_enterprise_verified' });
    expect((await p.http.get(BASE, owner.token)).body).toEqual([]);
  });

  it('RN-5: a personally verified account may change to enterprise verification', async () => {
    const owner = await signUpAndSignIn(p.http);
    // Personally verified through the API, by face (RN-6), as its owner would.
    await verifyPersonallyByFace(p.http, owner);
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('personal');
    const number = bankAccountNumber(true);
    const r = await p.http.post(BASE, submission(number), owner.token);
    expect(r.status).toBe(201);
    await awaitStatus(owner, r.body.verificationId as string, 'awaiting_amount');
    const right = await p.http.post(
      `${BASE}/${r.body.verificationId as string}/amount`,
      { amountFen: await statementAmount(number) },
      owner.token,
    );
    expect(right.body.outcome).toBe('verified');
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('enterprise');
  });

  it('RN-2: an enterprise that already verifies 3 accounts is refused for a 4th, naming the field', async () => {
    const licenceNumber = `9111${Date.now().toString().slice(-10)}X`.padEnd(18, '0').slice(0, 18);
    const em = p.orm.em.fork();
    for (let i = 0; i < 3; i += 1) {
      const holder = await signUpAndSignIn(p.http);
      em.create(RealNameRecord, {
        id: newId(),
        account: em.getReference(Account, holder.accountId),
        kind: 'enterprise',
        name: 'Acme Cloud Ltd',
        certificateNumber: licenceNumber,
        method: 'deposit',
        verifiedAt: new Date(),
      });
    }
    await em.flush();
    const fourth = await signUpAndSignIn(p.http);
    const r = await p.http.post(BASE, submission(bankAccountNumber(true), { licenceNumber }), fourth.token);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({
      rule: 'RN-2',
      code: 'enterprise_account_limit',
      field: 'licenceNumber',
    });
    // Another enterprise is still welcome.
    const other = await p.http.post(BASE, submission(bankAccountNumber(true)), fourth.token);
    expect(other.status).toBe(201);
  });

  it("RN-2: two verifications that both passed submission cannot both complete past the enterprise's limit", async () => {
    const licence = licenceNumber();
    const verify = async (owner: TestAccount, number: string, id: string) => {
      await awaitStatus(owner, id, 'awaiting_amount');
      return { owner, id, amount: await statementAmount(number) };
    };
    const submitFor = async () => {
      const owner = await signUpAndSignIn(p.http);
      const number = bankAccountNumber(true);
      const r = await p.http.post(BASE, submission(number, { licenceNumber: licence }), owner.token);
      expect(r.status).toBe(201);
      return verify(owner, number, r.body.verificationId as string);
    };
    // The enterprise verifies one account; its run ends and frees its RN-8 run slot.
    const first = await submitFor();
    const done = await p.http.post(
      `${BASE}/${first.id}/amount`,
      { amountFen: first.amount },
      first.owner.token,
    );
    expect(done.body.outcome).toBe('verified');
    await eventually(
      async () =>
        (await p.orm.em.fork().count(DepositRunSlot, { scope: `licence:${licence}` })) === 0
          ? true
          : undefined,
      20_000,
      'the first run to free its run slot',
    );

    // Three more accounts all pass submission (one slot held of three), then all enter the right
    // amount at once: two complete, the third is refused at completion.
    const racers = await Promise.all([submitFor(), submitFor(), submitFor()]);
    const entries = await Promise.all(
      racers.map((r) => p.http.post(`${BASE}/${r.id}/amount`, { amountFen: r.amount }, r.owner.token)),
    );
    const verified = entries.filter((e) => e.status === 200 && e.body.outcome === 'verified');
    const refused = entries.filter((e) => e.status === 422);
    expect(verified).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0].body.error).toMatchObject({
      rule: 'RN-2',
      code: 'enterprise_account_limit',
      field: 'licenceNumber',
    });
    const loser = racers[entries.findIndex((e) => e.status === 422)];
    expect((await p.http.get('/accounts/me', loser.owner.token)).body.realNameStatus).toBe('unverified');
    // The refused run ends at once, cleanly, and says why (patch refusedAtCompletion).
    const ended = await awaitStatus(loser.owner, loser.id, 'refused');
    expect(ended.refusal).toEqual({ rule: 'RN-2', code: 'enterprise_account_limit' });
    expect(ended.closedAt).not.toBeNull();
    expect(
      await p.orm.em.fork().count(RealNameRecord, {
        // Found by its keyed digest: the number itself is stored sealed (issue 11 §1).
        certificateDigest: certificateDigest(dataBox(p), 'enterprise', licence),
        supersededAt: null,
      }),
    ).toBe(3);

    // A later submission is refused early, naming the field.
    const late = await signUpAndSignIn(p.http);
    const r = await p.http.post(
      BASE,
      submission(bankAccountNumber(true), { licenceNumber: licence }),
      late.token,
    );
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ rule: 'RN-2', code: 'enterprise_account_limit' });
  }, 120_000);

  it('another account sees nothing: 404 on read, amount and withdraw; an empty list', async () => {
    const owner = await signUpAndSignIn(p.http);
    const stranger = await signUpAndSignIn(p.http);
    const id = (await p.http.post(BASE, submission(bankAccountNumber(true)), owner.token)).body
      .verificationId as string;
    expect((await p.http.get(`${BASE}/${id}`, stranger.token)).status).toBe(404);
    expect((await p.http.post(`${BASE}/${id}/amount`, { amountFen: 5 }, stranger.token)).status).toBe(404);
    expect((await p.http.post(`${BASE}/${id}/withdraw`, undefined, stranger.token)).status).toBe(404);
    expect((await p.http.get(BASE, stranger.token)).body).toEqual([]);
    expect((await p.http.get(`${BASE}/${id}`)).status).toBe(401);
  });

  it('refuses bad bank details with a 400 naming the field, and starts nothing', async () => {
    const owner = await signUpAndSignIn(p.http);
    const bad = await p.http.post(BASE, submission('12-34'), owner.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('bankAccount.accountNumber');
    const noName = await p.http.post(
      BASE,
      { ...submission(bankAccountNumber(true)), enterpriseName: '' },
      owner.token,
    );
    expect(noName.body.error.field).toBe('enterpriseName');
    expect((await p.http.get(BASE, owner.token)).body).toEqual([]);
  });

  it('refuses webhooks without a valid signature (401) and ignores replays of old ones', async () => {
    const body = JSON.stringify({
      type: 'payout.landed',
      reference: 'X',
      idempotencyKey: 'deposit-payout:nope',
      landedAt: new Date().toISOString(),
    });
    const unsigned = await p.http.request('POST', '/webhooks/bank', { rawBody: body });
    expect(unsigned.status).toBe(401);
    const forged = await p.http.request('POST', '/webhooks/bank', {
      rawBody: body,
      headers: { [BANK_SIGNATURE_HEADER]: signBankWebhook('not-the-secret-at-all', body, new Date()) },
    });
    expect(forged.status).toBe(401);
    const stale = await p.http.request('POST', '/webhooks/bank', {
      rawBody: body,
      headers: {
        [BANK_SIGNATURE_HEADER]: signBankWebhook(
          p.config.bank.webhookSecret,
          body,
          new Date(Date.now() - 3600_000),
        ),
      },
    });
    expect(stale.status).toBe(401);
    const unknown = await p.http.request('POST', '/webhooks/bank', {
      rawBody: body,
      headers: { [BANK_SIGNATURE_HEADER]: signBankWebhook(p.config.bank.webhookSecret, body, new Date()) },
    });
    expect(unknown.status).toBe(404);
  });
});
