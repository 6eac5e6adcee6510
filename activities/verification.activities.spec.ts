import { ApplicationFailure } from '@temporalio/common';
import { openCertificate } from '../libs/persistence/src/real-name-records';
import { MockActivityEnvironment } from '@temporalio/testing';
import { BusinessCalendar } from '../libs/domain/src/business-days';
import type { DepositVerificationState } from '../libs/domain/src/deposit-verification';
import { ManualClock } from '../libs/domain/src/clock';
import { newId } from '../libs/domain/src/ids';
import { SandboxBank } from '../libs/integrations/src/bank/sandbox-bank';
import { openBankAccountNumber, sealBankAccountNumber } from '../libs/domain/src/secret-box';
import {
  Account,
  BankPayout,
  DepositRunSlot,
  DepositVerification,
  RealNameRecord,
  RealNameSlot,
  SandboxBankTransfer,
} from '../libs/persistence/src/entities';
import { realNameSlotKey } from '../libs/persistence/src/real-name-slots';
import { createTestDatabase, type TestDatabase } from '../test/support/databases';
import { bankAccountNumber, licenceNumber } from '../test/support/factories';
import { seedDepositVerification, TEST_DATA_BOX } from '../test/support/deposit-fixtures';
import {
  createVerificationActivities,
  payoutIdempotencyKey,
  type PayoutRequested,
} from './verification.activities';

describe('verification activities (real PostgreSQL database, sandbox bank)', () => {
  let db: TestDatabase;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z'); // a Monday, 10:00 in Shanghai
  const calendar = new BusinessCalendar();
  const env = new MockActivityEnvironment();

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  /** The activities over the test database, a sandbox bank and the test data key. */
  function activitiesWith(bank = bankWith({}), drawAmountFen?: () => number) {
    return createVerificationActivities({
      orm: db.orm,
      bank,
      clock,
      calendar,
      dataBox: TEST_DATA_BOX,
      drawAmountFen,
    });
  }

  function bankWith(faults: { errorRate?: number; lostResponseRate?: number }) {
    return new SandboxBank(db.orm, clock, calendar, {
      minBusinessDays: 1,
      maxBusinessDays: 3,
      webhookUrl: 'http://127.0.0.1:9/unused',
      webhookSecret: 'activity-test-secret-000',
      faults,
    });
  }

  it('RN-8: a retried payout pays once, with the same amount, even when the first answer was lost', async () => {
    const { input } = await seedDepositVerification(db.orm);
    let draws = 0;
    const drawAmountFen = () => {
      draws += 1;
      return 10 + draws; // a different amount on every draw: a second draw would show
    };
    const lossy = activitiesWith(bankWith({ lostResponseRate: 1 }), drawAmountFen);
    await expect(
      env.run(lossy.requestDepositPayout, { verificationId: input.verificationId }),
    ).rejects.toThrow(/response lost/);

    const healthy = activitiesWith(bankWith({}), drawAmountFen);
    const first = await env.run(healthy.requestDepositPayout, { verificationId: input.verificationId });
    const second = await env.run(healthy.requestDepositPayout, { verificationId: input.verificationId });
    expect(second).toEqual(first);

    const em = db.orm.em.fork();
    const transfers = await em.find(SandboxBankTransfer, {
      idempotencyKey: payoutIdempotencyKey(input.verificationId),
    });
    expect(transfers).toHaveLength(1);
    expect(transfers[0].amountFen).toBe(11);
    expect(draws).toBe(1);
    const payout = await em.findOneOrFail(
      BankPayout,
      { verificationId: input.verificationId },
      { populate: ['amountFen'] },
    );
    expect(payout.amountFen).toBe(11);
    expect(payout.bankReference).toBe(transfers[0].reference);
  });

  it('RN-8: pays the account whose number is sealed at rest, and a row from before sealing alike', async () => {
    const acts = activitiesWith();
    for (const plainAccountNumber of [false, true]) {
      const number = bankAccountNumber(true);
      const { input } = await seedDepositVerification(db.orm, { accountNumber: number, plainAccountNumber });
      const stored = await db.orm.em
        .fork()
        .findOneOrFail(
          DepositVerification,
          { id: input.verificationId },
          { populate: ['bankAccountNumber'] },
        );
      expect(stored.bankAccountNumber.includes(number)).toBe(plainAccountNumber);
      await env.run(acts.requestDepositPayout, { verificationId: input.verificationId });
      const bank = bankWith({});
      const transfers = await bank.transfersTo(number);
      expect(transfers).toHaveLength(1);
      expect(bank.openAccount(transfers[0]).accountNumber).toBe(number);
      // The sandbox bank keeps neither the number nor the holder in plaintext.
      const row = await db.orm.em
        .getConnection()
        .execute<unknown[]>('select * from sandbox_bank_transfers where reference = ?', [
          transfers[0].reference,
        ]);
      expect(JSON.stringify(row)).not.toContain(number);
    }
  });

  it('a sealed account number moved onto another verification does not open', () => {
    const sealed = sealBankAccountNumber(TEST_DATA_BOX, 'verification-a', '6222020200001235');
    expect(openBankAccountNumber(TEST_DATA_BOX, 'verification-a', sealed)).toBe('6222020200001235');
    expect(() => openBankAccountNumber(TEST_DATA_BOX, 'verification-b', sealed)).toThrow();
  });

  it('RN-8: concurrent payout attempts for one verification still pay once', async () => {
    const { input } = await seedDepositVerification(db.orm);
    const acts = activitiesWith();
    const results = (await Promise.all(
      [1, 2, 3].map(() =>
        new MockActivityEnvironment().run(acts.requestDepositPayout, {
          verificationId: input.verificationId,
        }),
      ),
    )) as PayoutRequested[];
    expect(new Set(results.map((r) => r.payoutRequestedAt)).size).toBe(1);
    expect(
      await db.orm.em
        .fork()
        .count(SandboxBankTransfer, { idempotencyKey: payoutIdempotencyKey(input.verificationId) }),
    ).toBe(1);
  });

  it('RN-8: the payout amount is 1–99 fen and the appeal opens 3 business days after the request', async () => {
    const { input } = await seedDepositVerification(db.orm);
    const acts = activitiesWith();
    const r: PayoutRequested = await env.run(acts.requestDepositPayout, {
      verificationId: input.verificationId,
    });
    const payout = await db.orm.em
      .fork()
      .findOneOrFail(BankPayout, { verificationId: input.verificationId }, { populate: ['amountFen'] });
    expect(payout.amountFen).toBeGreaterThanOrEqual(1);
    expect(payout.amountFen).toBeLessThanOrEqual(99);
    // Monday + 3 business days = Thursday, same time.
    expect(r.appealAvailableFrom).toBe('2026-03-05T02:00:00.000Z');
  });

  it('RN-8: checking an amount answers true only for the payout amount', async () => {
    const { input } = await seedDepositVerification(db.orm);
    const acts = activitiesWith(bankWith({}), () => 37);
    await env.run(acts.requestDepositPayout, { verificationId: input.verificationId });
    expect(
      await env.run(acts.checkDepositAmount, { verificationId: input.verificationId, amountFen: 37 }),
    ).toBe(true);
    expect(
      await env.run(acts.checkDepositAmount, { verificationId: input.verificationId, amountFen: 38 }),
    ).toBe(false);
  });

  it('RN-1/RN-5/RN-11: a personally verified account becomes enterprise-verified; the personal record is superseded, never deleted, idempotently', async () => {
    const { input, account } = await seedDepositVerification(db.orm, { enterpriseName: 'Beta Tech Co' });
    const em = db.orm.em.fork();
    await em.nativeUpdate(Account, { id: account.id }, { realNameStatus: 'personal' });
    em.create(RealNameRecord, {
      id: newId(),
      account: em.getReference(Account, account.id),
      kind: 'personal',
      name: 'Zhang San',
      certificateNumber: '110101199003077777',
      method: 'face',
      verifiedAt: clock.now(),
    });
    await em.flush();

    const acts = activitiesWith();
    await env.run(acts.markEnterpriseVerified, { verificationId: input.verificationId });
    await env.run(acts.markEnterpriseVerified, { verificationId: input.verificationId });

    const records = await db.orm.em
      .fork()
      .find(RealNameRecord, { account: account.id }, { orderBy: { verifiedAt: 'asc', id: 'asc' } });
    expect(records).toHaveLength(2);
    expect(records.find((r) => r.kind === 'personal')!.supersededAt).toBeInstanceOf(Date);
    expect(records.find((r) => r.kind === 'enterprise')).toMatchObject({
      name: 'Beta Tech Co',
      supersededAt: null,
      sourceId: input.verificationId,
    });
    const reloaded = await db.orm.em.fork().findOneOrFail(Account, { id: account.id });
    expect(reloaded.realNameStatus).toBe('enterprise');
  });

  const slotHeld = async (kind: 'personal' | 'enterprise', certificateNumber: string) =>
    (
      await db.orm.em.fork().findOne(RealNameSlot, {
        key: realNameSlotKey({ site: 'cn', kind, certificateNumber, box: TEST_DATA_BOX }),
      })
    )?.held;

  /** Another deposit verification of the same account, for another enterprise. */
  async function secondVerification(accountId: number, licence: string): Promise<string> {
    const em = db.orm.em.fork();
    const first = await em.findOneOrFail(DepositVerification, { account: accountId });
    const id = newId();
    em.create(DepositVerification, {
      id,
      account: em.getReference(Account, accountId),
      enterpriseName: 'Gamma Data Ltd',
      licenceNumber: licence,
      bankAccountHolder: 'Gamma Data Ltd',
      bankName: first.bankName,
      bankAccountNumber: first.bankAccountNumber,
      maskedAccountNumber: first.maskedAccountNumber,
      workflowId: `${first.workflowId}:second`,
    });
    await em.flush();
    return id;
  }

  it("RN-2/RN-5: the enterprise record takes the licence's slot and frees the personal identity's, in one transaction", async () => {
    const licence = licenceNumber();
    const idNumber = `1101011990${String(Date.now()).slice(-8)}`;
    const { input, account } = await seedDepositVerification(db.orm, { licenceNumber: licence });
    const em = db.orm.em.fork();
    em.create(RealNameRecord, {
      id: newId(),
      account: em.getReference(Account, account.id),
      kind: 'personal',
      name: 'Li Si',
      certificateNumber: idNumber,
      method: 'face',
      verifiedAt: clock.now(),
    });
    await em.flush();
    await env.run(activitiesWith().markEnterpriseVerified, { verificationId: input.verificationId });
    expect(await slotHeld('enterprise', licence)).toBe(1);
    expect(await slotHeld('personal', idNumber)).toBe(0);
  });

  it("RN-2: a completion past the enterprise's limit is refused (non-retryable) and the account stays as it was", async () => {
    const licence = licenceNumber();
    const acts = activitiesWith();
    const seeded = await Promise.all(
      [0, 1, 2, 3].map(() => seedDepositVerification(db.orm, { licenceNumber: licence })),
    );
    const outcomes = await Promise.allSettled(
      seeded.map((s) => env.run(acts.markEnterpriseVerified, { verificationId: s.input.verificationId })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(refused.reason).toBeInstanceOf(ApplicationFailure);
    expect(refused.reason).toMatchObject({ type: 'RuleViolationError', nonRetryable: true });
    expect((refused.reason as ApplicationFailure).details?.[0]).toMatchObject({
      rule: 'RN-2',
      code: 'enterprise_account_limit',
    });
    const loser = seeded[outcomes.indexOf(refused)];
    const reloaded = await db.orm.em.fork().findOneOrFail(Account, { id: loser.account.id });
    expect(reloaded.realNameStatus).toBe('unverified');
    expect(await db.orm.em.fork().count(RealNameRecord, { account: loser.account.id })).toBe(0);
    expect(await slotHeld('enterprise', licence)).toBe(3);
  });

  it('RN-1: another identity within 30 days is refused with the date it may change; after, it supersedes and frees the old slot', async () => {
    const start = clock.now();
    try {
      const [first, second] = [licenceNumber(), licenceNumber()];
      const { input, account } = await seedDepositVerification(db.orm, { licenceNumber: first });
      const acts = activitiesWith();
      await env.run(acts.markEnterpriseVerified, { verificationId: input.verificationId });
      const next = await secondVerification(account.id, second);

      clock.advance(29 * 24 * 3600 * 1000);
      const err = await env
        .run(acts.markEnterpriseVerified, { verificationId: next })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ type: 'RuleViolationError', nonRetryable: true });
      expect((err as ApplicationFailure).details?.[0]).toMatchObject({
        rule: 'RN-1',
        code: 'real_name_change_too_soon',
        changeAllowedFrom: new Date(start.getTime() + 30 * 24 * 3600 * 1000).toISOString(),
      });
      expect(await slotHeld('enterprise', second)).toBeUndefined(); // refused before any slot was touched

      clock.advance(24 * 3600 * 1000);
      await env.run(acts.markEnterpriseVerified, { verificationId: next });
      const records = await db.orm.em.fork().find(RealNameRecord, { account: account.id });
      expect(
        records.filter((r) => r.supersededAt === null).map((r) => openCertificate(TEST_DATA_BOX, r)),
      ).toEqual([second]);
      expect(records).toHaveLength(2);
      expect(await slotHeld('enterprise', first)).toBe(0);
      expect(await slotHeld('enterprise', second)).toBe(1);
    } finally {
      clock.set(start);
    }
  });

  it('RN-8: a run that failed or expired keeps its run-limit slots for 30 days after it ended; any other end frees them', async () => {
    const acts = activitiesWith();
    const closedAt = '2026-03-10T04:00:00.000Z';
    const ends = ['failed', 'expired', 'verified', 'withdrawn', 'payout_not_received'] as const;
    const ids: string[] = [];
    for (const status of ends) {
      const { input } = await seedDepositVerification(db.orm);
      ids.push(input.verificationId);
      const em = db.orm.em.fork();
      for (const scope of [`account:${input.accountId}`, `licence:${input.verificationId}`]) {
        em.create(DepositRunSlot, {
          scope,
          slot: 1,
          verificationId: input.verificationId,
          outcome: 'open',
          claimedAt: clock.now(),
          countsUntil: new Date('2026-05-01T00:00:00.000Z'),
        });
      }
      await em.flush();
      const state: DepositVerificationState = {
        verificationId: input.verificationId,
        accountId: input.accountId,
        status,
        attemptsLeft: 0,
        deadline: null,
        payoutRequestedAt: null,
        landedAt: null,
        appealAvailableFrom: null,
        maskedAccountNumber: input.maskedAccountNumber,
        closedAt,
      };
      // An open state settles nothing; the end settles once, however often it is recorded.
      const open: DepositVerificationState = { ...state, status: 'awaiting_amount', closedAt: null };
      await env.run(acts.recordDepositState, { state: open });
      expect(await db.orm.em.fork().count(DepositRunSlot, { verificationId: input.verificationId })).toBe(2);
      await env.run(acts.recordDepositState, { state });
      await env.run(acts.recordDepositState, { state });
    }
    const slots = await db.orm.em.fork().find(DepositRunSlot, { verificationId: { $in: ids } });
    expect(slots.map((x) => x.verificationId).sort()).toEqual([ids[0], ids[0], ids[1], ids[1]].sort());
    for (const slot of slots) {
      expect(slot).toMatchObject({ outcome: 'failed', countsUntil: new Date('2026-04-09T04:00:00.000Z') });
    }
  });

  it('turns a missing verification into a non-retryable failure typed by the domain error', async () => {
    const acts = activitiesWith();
    await expect(env.run(acts.requestDepositPayout, { verificationId: newId() })).rejects.toMatchObject({
      type: 'NotFoundError',
      nonRetryable: true,
    });
  });
});
