/**
 * Deposit verification is not a guessing game (issue 8, section 6), over real HTTP with a real
 * worker, Temporal dev server and database: the RN-8 run limit per account, licence number and
 * bank account; amount entries made idempotent by the Idempotency-Key header, also after the
 * verification closed; and a submission cut short after its row was written, finished by the
 * retry. Business time moves on an injected ManualClock.
 */
import { decodeKey32 } from '../../libs/config/src/config';
import { DAY_MS, MINUTE_MS } from '../../libs/domain/src/clock';
import { type DEPOSIT_STATUSES } from '../../libs/domain/src/deposit-verification';
import { newId } from '../../libs/domain/src/ids';
import { maskTail } from '../../libs/domain/src/masking';
import { SecretBox, sealBankAccountNumber } from '../../libs/domain/src/secret-box';
import {
  Account,
  BankPayout,
  DepositRunSlot,
  DepositVerification,
} from '../../libs/persistence/src/entities';
import { workflowIds } from '../../libs/temporal/src/contract';
import {
  bankAccountNumber,
  eventually,
  licenceNumber,
  signUpAndSignIn,
  type TestAccount,
} from '../support/factories';
import { awaitDepositStatus, payoutAmount, payoutAmounts } from '../support/deposit-fixtures';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

const BASE = '/verifications/enterprise/deposit';

describe('deposit verification: run limit, idempotent entries, interrupted submissions', () => {
  let p: Platform;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    p = await startPlatform({ worker: true, clock });
  }, 120_000);
  afterAll(async () => {
    await p.close();
  });

  function submission(opts: { licence?: string; accountNumber?: string } = {}) {
    return {
      enterpriseName: 'Acme Cloud Ltd',
      licenceNumber: opts.licence ?? licenceNumber(),
      bankAccount: {
        holder: 'Acme Cloud Ltd',
        bankName: 'ICBC Beijing',
        accountNumber: opts.accountNumber ?? bankAccountNumber(true),
      },
    };
  }

  const awaitStatus = (owner: TestAccount, id: string, status: (typeof DEPOSIT_STATUSES)[number]) =>
    awaitDepositStatus(p.http, owner.token, id, status);
  const statementAmount = (accountNumber: string) => payoutAmount(p.http, accountNumber);

  async function signIn(owner: TestAccount): Promise<string> {
    const session = await p.http.post('/sessions', { email: owner.email, password: owner.password });
    expect(session.status).toBe(201);
    return session.body.token as string;
  }

  const enter = (owner: TestAccount, id: string, amountFen: number, key?: string) =>
    p.http.request('POST', `${BASE}/${id}/amount`, {
      body: { amountFen },
      token: owner.token,
      headers: key === undefined ? {} : { 'Idempotency-Key': key },
    });

  /** Submits, waits for the payout to land, and fails the run with two wrong amounts. */
  async function failRun(owner: TestAccount, body = submission()): Promise<{ id: string; closedAt: string }> {
    const created = await p.http.post(BASE, body, owner.token);
    expect(created.status).toBe(201);
    const id = created.body.verificationId as string;
    await awaitStatus(owner, id, 'awaiting_amount');
    // Wrong for sure: no payout this account ever received (several runs may pay one account,
    // and with the test's fixed clock the statement cannot tell which came last).
    const received = await payoutAmounts(p.http, body.bankAccount.accountNumber);
    const [w1, w2] = [1, 2, 3, 4, 5].filter((a) => !received.includes(a));
    expect((await enter(owner, id, w1)).body.outcome).toBe('wrong_amount');
    expect((await enter(owner, id, w2)).body.outcome).toBe('failed');
    const failed = await eventually(async () => {
      const row = await p.orm.em.fork().findOne(DepositVerification, { id });
      return row?.closedAt ? row : undefined;
    });
    return { id, closedAt: failed.closedAt!.toISOString() };
  }

  it('RN-8: after 3 failed runs the account is refused a 4th for 30 days, told the limit and the next allowed time', async () => {
    const owner = await signUpAndSignIn(p.http);
    const first = await failRun(owner);
    await failRun(owner);
    await failRun(owner);

    const refused = await p.http.post(BASE, submission(), owner.token);
    expect(refused.status).toBe(429);
    const nextAttemptAt = new Date(Date.parse(first.closedAt) + 30 * DAY_MS).toISOString();
    expect(refused.body.error).toMatchObject({
      code: 'deposit_failed_run_limit',
      rule: 'RN-8',
      scope: 'account',
      limit: 3,
      windowDays: 30,
      openVerifications: 0,
      nextAttemptAt,
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(29 * 24 * 3600);
    expect((await p.http.get(BASE, owner.token)).body).toHaveLength(3);

    // A month on, the session has long expired: sign in again at each moment.
    clock.set(new Date(Date.parse(nextAttemptAt) - MINUTE_MS));
    expect((await p.http.post(BASE, submission(), await signIn(owner))).status).toBe(429);
    clock.set(nextAttemptAt);
    const again = await p.http.post(BASE, submission(), await signIn(owner));
    expect(again.status).toBe(201);
    clock.set(new Date());
  });

  it('RN-8: 3 failed runs of one licence number, or of one bank account, stop every other account too', async () => {
    const licence = licenceNumber();
    const number = bankAccountNumber(true);
    for (let i = 0; i < 3; i += 1) {
      await failRun(await signUpAndSignIn(p.http), submission({ licence, accountNumber: number }));
    }
    const newcomer = await signUpAndSignIn(p.http);
    const byLicence = await p.http.post(BASE, submission({ licence }), newcomer.token);
    expect(byLicence.status).toBe(429);
    expect(byLicence.body.error).toMatchObject({
      code: 'deposit_failed_run_limit',
      rule: 'RN-8',
      scope: 'licenceNumber',
      field: 'licenceNumber',
      limit: 3,
    });
    // The account number is recognised however it is written.
    const spaced = number.replace(/(\d{4})(?=\d)/g, '$1 ');
    const byBank = await p.http.post(BASE, submission({ accountNumber: spaced }), newcomer.token);
    expect(byBank.status).toBe(429);
    expect(byBank.body.error).toMatchObject({ scope: 'bankAccount', field: 'bankAccount.accountNumber' });
    // Refusals leave nothing behind, and other details are still welcome.
    expect((await p.http.get(BASE, newcomer.token)).body).toEqual([]);
    expect((await p.http.post(BASE, submission(), newcomer.token)).status).toBe(201);
  });

  it('RN-8: simultaneous submissions for one licence number never hold more than 3 runs; a verified run frees its slot', async () => {
    const licence = licenceNumber();
    const owners = await Promise.all(Array.from({ length: 8 }, () => signUpAndSignIn(p.http)));
    const bodies = owners.map(() => submission({ licence }));
    const answers = await Promise.all(owners.map((o, i) => p.http.post(BASE, bodies[i], o.token)));
    const started = answers.flatMap((r, i) => (r.status === 201 ? [i] : []));
    expect(started).toHaveLength(3);
    for (const r of answers.filter((a) => a.status !== 201)) {
      expect(r.status).toBe(429);
      expect(r.body.error).toMatchObject({ scope: 'licenceNumber', openVerifications: 3 });
    }
    expect(await p.orm.em.fork().count(DepositRunSlot, { scope: `licence:${licence}` })).toBe(3);

    const i = started[0];
    const id = answers[i].body.verificationId as string;
    await awaitStatus(owners[i], id, 'awaiting_amount');
    const right = await enter(owners[i], id, await statementAmount(bodies[i].bankAccount.accountNumber));
    expect(right.body.outcome).toBe('verified');
    // The slot is given back when the run records its end, a moment after the answer.
    await eventually(async () =>
      (await p.orm.em.fork().findOneOrFail(DepositVerification, { id })).closedAt ? true : undefined,
    );
    const late = owners.find((_, j) => !started.includes(j))!;
    expect((await p.http.post(BASE, submission({ licence }), late.token)).status).toBe(201);
  });

  it('RN-8: entries with one Idempotency-Key are one entry: a double click and retries spend one attempt', async () => {
    const owner = await signUpAndSignIn(p.http);
    const body = submission();
    const id = (await p.http.post(BASE, body, owner.token)).body.verificationId as string;
    await awaitStatus(owner, id, 'awaiting_amount');
    const amount = await statementAmount(body.bankAccount.accountNumber);
    const wrong = amount === 99 ? 1 : amount + 1;

    const clicks = await Promise.all([enter(owner, id, wrong, 'k-1'), enter(owner, id, wrong, 'k-1')]);
    for (const c of clicks) {
      expect(c.status).toBe(200);
      expect(c.body).toMatchObject({ outcome: 'wrong_amount', attemptsLeft: 1 });
    }
    const retried = await enter(owner, id, wrong, 'k-1');
    expect(retried.body).toMatchObject({ outcome: 'wrong_amount', attemptsLeft: 1 });
    expect((await p.http.get(`${BASE}/${id}`, owner.token)).body.attemptsLeft).toBe(1);

    const right = await enter(owner, id, amount, 'k-2');
    expect(right.body).toMatchObject({ outcome: 'verified', attemptsLeft: 0 });
    await awaitStatus(owner, id, 'verified');
    const row = await p.orm.em.fork().findOneOrFail(DepositVerification, { id });
    await p.temporal.workflow.getHandle(row.workflowId, row.runId!).result();

    // After the run closed: the same keys are answered with their own outcomes…
    const rightAgain = await enter(owner, id, amount, 'k-2');
    expect(rightAgain.status).toBe(200);
    expect(rightAgain.body).toMatchObject({
      outcome: 'verified',
      attemptsLeft: 0,
      verification: { status: 'verified' },
    });
    expect((await enter(owner, id, wrong, 'k-1')).body).toMatchObject({
      outcome: 'wrong_amount',
      attemptsLeft: 1,
    });
    // …and a new entry is refused: the verification is over.
    const fresh = await enter(owner, id, amount, 'k-3');
    expect(fresh.status).toBe(409);
    expect(fresh.body.error.code).toBe('verification_closed');
  });

  it('RN-8: an entry whose amount cannot be checked is a 503 that spends nothing; the same key then enters it', async () => {
    const owner = await signUpAndSignIn(p.http);
    const body = submission();
    const id = (await p.http.post(BASE, body, owner.token)).body.verificationId as string;
    await awaitStatus(owner, id, 'awaiting_amount');
    const amount = await statementAmount(body.bankAccount.accountNumber);
    // The payout's row goes out of sight: the check activity fails (a missing row is not retried).
    const hidden = newId();
    await p.orm.em.fork().nativeUpdate(BankPayout, { verificationId: id }, { verificationId: hidden });

    const unavailable = await enter(owner, id, amount, 'k-1');
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error.code).toBe('entry_unavailable');
    expect(unavailable.headers.get('retry-after')).not.toBeNull();
    expect((await p.http.get(`${BASE}/${id}`, owner.token)).body.attemptsLeft).toBe(2);

    await p.orm.em.fork().nativeUpdate(BankPayout, { verificationId: hidden }, { verificationId: id });
    const [retry, doubleClick] = await Promise.all([
      enter(owner, id, amount, 'k-1'),
      enter(owner, id, amount, 'k-1'),
    ]);
    for (const r of [retry, doubleClick]) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ outcome: 'verified', attemptsLeft: 1 });
    }
  });

  it('RN-8: a malformed Idempotency-Key is a 400 naming the header and spends nothing', async () => {
    const owner = await signUpAndSignIn(p.http);
    const id = (await p.http.post(BASE, submission(), owner.token)).body.verificationId as string;
    await awaitStatus(owner, id, 'awaiting_amount');
    for (const key of ['x'.repeat(129), 'has space', 'tab\tin']) {
      const r = await enter(owner, id, 5, key);
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('Idempotency-Key');
    }
    expect((await p.http.get(`${BASE}/${id}`, owner.token)).body.attemptsLeft).toBe(2);
  });

  it('RN-8: a submission whose run ID was never saved (the API died after the start) gets it on the retry', async () => {
    const owner = await signUpAndSignIn(p.http);
    const body = submission();
    const first = await p.http.post(BASE, body, owner.token);
    expect(first.status).toBe(201);
    const id = first.body.verificationId as string;
    const em = p.orm.em.fork();
    const runId = (await em.findOneOrFail(DepositVerification, { id })).runId;
    expect(runId).toEqual(expect.any(String));
    await em.nativeUpdate(DepositVerification, { id }, { runId: null });

    const retry = await p.http.post(BASE, body, owner.token);
    expect(retry.status).toBe(200);
    expect(retry.body.verificationId).toBe(id);
    expect((await p.orm.em.fork().findOneOrFail(DepositVerification, { id })).runId).toBe(runId);

    // An entry on such a row reaches its own run too.
    await p.orm.em.fork().nativeUpdate(DepositVerification, { id }, { runId: null });
    await awaitStatus(owner, id, 'awaiting_amount');
    const amount = await statementAmount(body.bankAccount.accountNumber);
    expect((await enter(owner, id, amount, 'once')).body.outcome).toBe('verified');
    expect((await p.orm.em.fork().findOneOrFail(DepositVerification, { id })).runId).toBe(runId);
  });

  /** A verification row as a submission writes it, left without a run (its API process died). */
  async function writeUnstarted(
    owner: TestAccount,
    body: ReturnType<typeof submission>,
    createdAt = clock.now(),
  ) {
    const box = new SecretBox(decodeKey32(p.config.dataEncryptionKey)!);
    const id = newId();
    const em = p.orm.em.fork();
    em.create(DepositVerification, {
      id,
      account: em.getReference(Account, owner.accountId),
      enterpriseName: body.enterpriseName,
      licenceNumber: body.licenceNumber,
      bankAccountHolder: body.bankAccount.holder,
      bankName: body.bankAccount.bankName,
      bankAccountNumber: sealBankAccountNumber(box, id, body.bankAccount.accountNumber),
      maskedAccountNumber: maskTail(body.bankAccount.accountNumber),
      workflowId: workflowIds.depositVerification(owner.accountId),
      createdAt,
      updatedAt: createdAt,
    });
    await em.flush();
    return id;
  }

  it('RN-8: a submission written but never started (the API died before the start) is started by its retry', async () => {
    const owner = await signUpAndSignIn(p.http);
    const body = submission();
    const id = await writeUnstarted(owner, body);

    const retry = await p.http.post(BASE, body, owner.token);
    expect(retry.status).toBe(201);
    expect(retry.body.verificationId).toBe(id);
    expect((await p.orm.em.fork().findOneOrFail(DepositVerification, { id })).runId).toEqual(
      expect.any(String),
    );
    await awaitStatus(owner, id, 'awaiting_amount');
    expect((await p.http.get(BASE, owner.token)).body).toHaveLength(1);
    const st = await p.http.get(`/sandbox/bank/statement?accountNumber=${body.bankAccount.accountNumber}`);
    expect(st.body).toHaveLength(1);
  });

  it('RN-8: other details replace a never-started submission once it is abandoned, not while it may be starting', async () => {
    const owner = await signUpAndSignIn(p.http);
    const young = await writeUnstarted(owner, submission());
    const other = submission();
    const busy = await p.http.post(BASE, other, owner.token);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('verification_in_progress');

    await p.orm.em
      .fork()
      .nativeUpdate(
        DepositVerification,
        { id: young },
        { createdAt: new Date(clock.now().getTime() - 2 * MINUTE_MS) },
      );
    const fresh = await p.http.post(BASE, other, owner.token);
    expect(fresh.status).toBe(201);
    expect(fresh.body.verificationId).not.toBe(young);
    expect(await p.orm.em.fork().count(DepositVerification, { id: young })).toBe(0);
    expect((await p.http.get(BASE, owner.token)).body).toHaveLength(1);
  });

  it('documents the Idempotency-Key header of an amount entry in the OpenAPI document', async () => {
    const doc = await p.http.get('/docs/openapi.json');
    const op = doc.body.paths[`${BASE}/{id}/amount`].post;
    expect(op.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          in: 'header',
          name: 'Idempotency-Key',
          required: false,
          schema: expect.objectContaining({ type: 'string', maxLength: 128 }),
        }),
      ]),
    );
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '409', '503']));
    expect(Object.keys(doc.body.paths[BASE].post.responses)).toContain('429');
  });
});
