/**
 * Personal verification by face over real HTTP (issue 11 §2): submit → the face service's session
 * → the liveness step on its page → its result, a moment later, by a signed callback → the
 * workflow records it or says why not. A real worker, Temporal dev server and database.
 */
import { signBankWebhook } from '../../libs/integrations/src/bank/webhook-signature';
import { FACE_SIGNATURE_HEADER } from '../../libs/integrations/src/face/face-verifier.port';
import { PersonalVerification, RealNameRecord } from '../../libs/persistence/src/entities';
import { payoutAmount, awaitDepositStatus } from '../support/deposit-fixtures';
import {
  FACE_BASE,
  GOOD_CAPTURE,
  awaitPersonalStatus,
  faceAttempt,
  mainlandIdNumber,
  personalSubmission,
  signUpInternational,
  verifyPersonallyByFace,
} from '../support/face-fixtures';
import { bankAccountNumber, licenceNumber, signUpAndSignIn } from '../support/factories';
import { startPlatform, type Platform } from '../support/platform';

// Several whole attempts (session, liveness step, callback) per test.
jest.setTimeout(90_000);

describe('personal verification by face over HTTP', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform({ worker: true });
  }, 120_000);
  afterAll(async () => {
    await p.close();
  });

  it('RN-6: each failure says why (covered, unlike the ID photo, name or ID number wrong, not in frame); the user tries again and is verified', async () => {
    const owner = await signUpAndSignIn(p.http);
    const idNumber = mainlandIdNumber();
    const attempts: Array<[Record<string, unknown>, typeof GOOD_CAPTURE, string]> = [
      [personalSubmission({ idNumber }), { ...GOOD_CAPTURE, face: 'covered' }, 'face_covered'],
      [personalSubmission({ idNumber }), { ...GOOD_CAPTURE, likeness: 41 }, 'face_unlike_id_photo'],
      [personalSubmission({ idNumber: mainlandIdNumber(false) }), GOOD_CAPTURE, 'name_or_id_number_wrong'],
      [personalSubmission({ idNumber }), { ...GOOD_CAPTURE, framing: 'partial' }, 'face_not_in_frame'],
    ];
    for (const [submission, capture, reason] of attempts) {
      const failed = await faceAttempt(p.http, owner.token, submission, capture);
      expect(failed).toMatchObject({ status: 'failed', failureReason: reason, refusal: null });
      expect(failed.failureMessage).toEqual(expect.any(String));
      expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('unverified');
    }

    const verified = await faceAttempt(p.http, owner.token, personalSubmission({ idNumber }));
    expect(verified).toMatchObject({
      status: 'verified',
      failureReason: null,
      documentType: 'mainland_id_card',
    });
    // The ID number is answered masked, never whole.
    expect(verified.maskedIdNumber).toBe(`${idNumber[0]}${'*'.repeat(16)}${idNumber[17]}`);
    const list = await p.http.get(FACE_BASE, owner.token);
    expect(list.body.map((v: { status: string }) => v.status)).toEqual([
      'verified',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
    expect(JSON.stringify(list.body)).not.toContain(idNumber);
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('personal');

    // Stored sealed: neither the name nor the number is readable in the verification's row.
    const rows = await p.orm.em.fork().find(PersonalVerification, { account: owner.accountId });
    for (const r of rows) {
      expect(r.idNumberSealed).not.toContain(idNumber);
      expect(r.nameSealed).not.toContain('张三');
    }
    const record = await p.orm.em.fork().findOneOrFail(RealNameRecord, {
      account: owner.accountId,
      supersededAt: null,
    });
    expect(record).toMatchObject({ kind: 'personal', method: 'face', name: '张三', certificateNumber: null });
    expect(record.certificateSealed).not.toContain(idNumber);
  });

  it('RN-6: attempts per day are limited, and the refusal says from when the next may start', async () => {
    const owner = await signUpAndSignIn(p.http);
    for (let i = 0; i < 5; i += 1) {
      const failed = await faceAttempt(p.http, owner.token, personalSubmission(), {
        ...GOOD_CAPTURE,
        framing: 'partial',
      });
      expect(failed.status).toBe('failed');
    }
    const refused = await p.http.post(FACE_BASE, personalSubmission(), owner.token);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'face_attempt_limit', rule: 'RN-6', limit: 5 });
    const next = new Date(refused.body.error.nextAttemptAt as string);
    // The next Asia/Shanghai midnight: 16:00 UTC, within the coming day.
    expect(next.getUTCHours()).toBe(16);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await p.http.get(FACE_BASE, owner.token)).body).toHaveLength(5);
  });

  it('RN-6: a result callback whose signature does not hold is refused and reaches no workflow', async () => {
    const owner = await signUpAndSignIn(p.http);
    const started = await p.http.post(FACE_BASE, personalSubmission(), owner.token);
    expect(started.status).toBe(201);
    const waiting = await awaitPersonalStatus(p.http, owner.token, started.body.verificationId as string, [
      'awaiting_liveness',
    ]);
    const body = JSON.stringify({
      type: 'face.result',
      sessionId: waiting.session.sessionId,
      reference: started.body.verificationId,
      outcome: 'passed',
      decidedAt: new Date().toISOString(),
    });
    const forged = await p.http.request('POST', '/webhooks/face', {
      rawBody: body,
      headers: {
        'content-type': 'application/json',
        [FACE_SIGNATURE_HEADER]: signBankWebhook('not-the-face-service-secret', body, new Date()),
      },
    });
    expect(forged.status).toBe(401);
    const still = await p.http.get(`${FACE_BASE}/${started.body.verificationId as string}`, owner.token);
    expect(still.body.status).toBe('awaiting_liveness');
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('unverified');
  });

  it('RN-4: the China site refuses Hong Kong, Macau, Taiwan and foreign documents with a pointer to the international site, which accepts them', async () => {
    const cn = await signUpAndSignIn(p.http);
    for (const documentType of ['hong_kong_macau_permit', 'taiwan_permit', 'foreign_passport']) {
      const r = await p.http.post(
        FACE_BASE,
        personalSubmission({ documentType, idNumber: 'H12345678' }),
        cn.token,
      );
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({
        rule: 'RN-4',
        code: 'use_international_site',
        field: 'documentType',
        site: 'intl',
      });
    }
    expect((await p.http.get(FACE_BASE, cn.token)).body).toEqual([]);

    const intl = await signUpInternational(p.http);
    for (const documentType of ['hong_kong_macau_permit', 'foreign_passport']) {
      const r = await faceAttempt(
        p.http,
        intl.token,
        personalSubmission({ name: 'Chan Tai Man', documentType, idNumber: `H${Date.now() % 100_000_000}` }),
        documentType === 'foreign_passport' ? GOOD_CAPTURE : { ...GOOD_CAPTURE, face: 'covered' },
      );
      expect(r.status).toBe(documentType === 'foreign_passport' ? 'verified' : 'failed');
    }
    expect((await p.http.get('/accounts/me', intl.token)).body.realNameStatus).toBe('personal');
  });

  it('RN-5: an account personally verified through the API becomes enterprise-verified by the deposit route', async () => {
    const owner = await signUpAndSignIn(p.http);
    await verifyPersonallyByFace(p.http, owner);
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('personal');

    const number = bankAccountNumber(true);
    const submitted = await p.http.post(
      '/verifications/enterprise/deposit',
      {
        enterpriseName: 'Acme Cloud Ltd',
        licenceNumber: licenceNumber(),
        bankAccount: { holder: 'Acme Cloud Ltd', bankName: 'ICBC Beijing', accountNumber: number },
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
    expect((await p.http.get('/accounts/me', owner.token)).body.realNameStatus).toBe('enterprise');
    // The enterprise record superseded the personal one (RN-1: never deleted).
    const records = await p.orm.em
      .fork()
      .find(RealNameRecord, { account: owner.accountId }, { orderBy: { verifiedAt: 'asc' } });
    expect(records.map((r) => [r.kind, r.supersededAt === null])).toEqual([
      ['personal', false],
      ['enterprise', true],
    ]);
    // And it does not go back (RN-5 goes from personal to enterprise).
    const back = await p.http.post(FACE_BASE, personalSubmission(), owner.token);
    expect(back.status).toBe(422);
    expect(back.body.error).toMatchObject({ rule: 'RN-5', code: 'already_enterprise_verified' });
  });

  it('RN-1: the identity on an account changes at most once in 30 days; the refusal says from when; the same identity may verify again', async () => {
    const owner = await signUpAndSignIn(p.http);
    const idNumber = mainlandIdNumber();
    await verifyPersonallyByFace(p.http, owner, personalSubmission({ idNumber }));
    const change = await p.http.post(
      FACE_BASE,
      personalSubmission({ idNumber: mainlandIdNumber() }),
      owner.token,
    );
    expect(change.status).toBe(422);
    expect(change.body.error).toMatchObject({ rule: 'RN-1', code: 'real_name_change_too_soon' });
    const from = Date.parse(change.body.error.changeAllowedFrom as string);
    expect(from - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    expect(from - Date.now()).toBeLessThanOrEqual(30 * 24 * 3600 * 1000);
    // Re-verifying the same identity is no change: the new record supersedes the old (never deleted).
    await verifyPersonallyByFace(p.http, owner, personalSubmission({ idNumber }));
    const records = await p.orm.em.fork().find(RealNameRecord, { account: owner.accountId });
    expect(records).toHaveLength(2);
    expect(records.filter((r) => r.supersededAt === null)).toHaveLength(1);
  });

  it('RN-2: one personal identity verifies at most 3 accounts; completions that both passed submission cannot pass it', async () => {
    const idNumber = mainlandIdNumber();
    for (let i = 0; i < 2; i += 1) {
      await verifyPersonallyByFace(p.http, await signUpAndSignIn(p.http), personalSubmission({ idNumber }));
    }
    // Two more start while one slot is left: both pass the early check, one completes.
    const [a, b] = [await signUpAndSignIn(p.http), await signUpAndSignIn(p.http)];
    const results = await Promise.all(
      [a, b].map((o) => faceAttempt(p.http, o.token, personalSubmission({ idNumber }))),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['refused', 'verified']);
    const refused = results.find((r) => r.status === 'refused');
    expect(refused?.refusal).toEqual({ rule: 'RN-2', code: 'personal_account_limit' });

    // A fourth account is refused at submission, naming the field.
    const fourth = await signUpAndSignIn(p.http);
    const r = await p.http.post(FACE_BASE, personalSubmission({ idNumber }), fourth.token);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ rule: 'RN-2', code: 'personal_account_limit', field: 'idNumber' });
  });
});
