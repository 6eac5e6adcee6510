import { createHmac, hkdfSync, randomInt } from 'node:crypto';
import { type MikroORM } from '@mikro-orm/core';
import type { BusinessCalendar } from '../../../domain/src/business-days';
import type { Clock } from '../../../domain/src/clock';
import { newId } from '../../../domain/src/ids';
import { SecretBox } from '../../../domain/src/secret-box';
import { isUniqueViolation } from '../../../persistence/src/database';
import { SandboxBankIncomingTransfer, SandboxBankTransfer } from '../../../persistence/src/entities';
import {
  BankUnavailableError,
  type BankGateway,
  type IncomingTransferOrder,
  type PayoutAccepted,
  type PayoutLandedEvent,
  type PayoutRequest,
  type TransferReceivedEvent,
  type TransferTrace,
} from './bank-gateway.port';
import { deliverSignedWebhooks, SandboxDispatcher, type WebhookTarget } from '../webhook-delivery';
import { BANK_SIGNATURE_HEADER } from './webhook-signature';

export interface SandboxBankOptions {
  /** Payouts land after a random 1–3 business days (configurable)… */
  minBusinessDays: number;
  maxBusinessDays: number;
  /** …or after this many milliseconds, for local demos and end-to-end tests. */
  landingDelayMs?: number;
  /** Where webhooks go (the API's /webhooks/bank). */
  webhookUrl: string;
  webhookSecret: string;
  /** Simulated network latency of a call, in ms (min, max). */
  latencyMs?: [number, number];
  /** Fault injection, each a probability 0–1: the call fails before, or the answer is lost after, the bank acted. */
  faults?: { errorRate?: number; lostResponseRate?: number };
  random?: () => number;
}

/**
 * A bank that behaves like the real one: it takes time, can fail, and is idempotent by key.
 * State lives in its own table (`sandbox_bank_transfers`), so landings and webhook deliveries
 * survive restarts. A wrong account number (one that fails the Luhn check) never lands.
 */
/** Webhooks the sandbox bank sends at the same time. */
const WEBHOOK_CONCURRENCY = 8;

export class SandboxBank implements BankGateway {
  private readonly random: () => number;
  /** The bank's own keys for what it keeps at rest, derived from its secret. */
  private readonly box: SecretBox;
  private readonly lookupKey: Buffer;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly calendar: BusinessCalendar,
    private readonly options: SandboxBankOptions,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.random = options.random ?? Math.random;
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', options.webhookSecret, 'account-center-sandbox-bank', info, 32));
    this.box = new SecretBox(derive('at-rest'));
    this.lookupKey = derive('account-lookup');
  }

  /** The keyed hash the bank finds an account's transfers by. */
  private accountHash(accountNumber: string): string {
    return createHmac('sha256', this.lookupKey).update(accountNumber).digest('hex');
  }

  async sendPayout(req: PayoutRequest): Promise<PayoutAccepted> {
    await this.latency();
    if (this.random() < (this.options.faults?.errorRate ?? 0)) {
      throw new BankUnavailableError('sandbox bank: service temporarily unavailable');
    }
    const em = this.orm.em.fork();
    let transfer = await em.findOne(SandboxBankTransfer, { idempotencyKey: req.idempotencyKey });
    if (!transfer) {
      const now = this.clock.now();
      const reference = `SBX${newId()}`;
      transfer = em.create(SandboxBankTransfer, {
        reference,
        idempotencyKey: req.idempotencyKey,
        accountNumberHash: this.accountHash(req.accountNumber),
        accountNumberSealed: this.box.seal(req.accountNumber, `${reference}:account-number`),
        accountHolderSealed: this.box.seal(req.accountHolder, `${reference}:account-holder`),
        amountFen: req.amountFen,
        status: accountExists(req.accountNumber) ? 'in_transit' : 'undeliverable',
        createdAt: now,
        landsAt: accountExists(req.accountNumber) ? this.landingTime(now) : null,
      });
      try {
        await em.flush();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        em.clear();
        transfer = await em.findOneOrFail(SandboxBankTransfer, { idempotencyKey: req.idempotencyKey });
      }
    }
    if (this.random() < (this.options.faults?.lostResponseRate ?? 0)) {
      throw new BankUnavailableError('sandbox bank: response lost after the payout was accepted');
    }
    return { reference: transfer.reference, acceptedAt: transfer.createdAt };
  }

  /** RN-8 appeal: the transfer's trace, as a bank's payment-tracking service answers it. */
  async traceTransfer(reference: string): Promise<TransferTrace> {
    await this.latency();
    if (this.random() < (this.options.faults?.errorRate ?? 0)) {
      throw new BankUnavailableError('sandbox bank: service temporarily unavailable');
    }
    const t = await this.orm.em.fork().findOne(SandboxBankTransfer, { reference });
    if (!t) {
      return {
        reference,
        status: 'unknown',
        acceptedAt: null,
        landedAt: null,
        detail: 'No transfer with this reference',
      };
    }
    const acceptedAt = t.createdAt.toISOString();
    switch (t.status) {
      case 'landed':
        return {
          reference,
          status: 'landed',
          acceptedAt,
          landedAt: t.landedAt?.toISOString() ?? null,
          detail: 'Credited to the beneficiary account',
        };
      case 'in_transit':
        return {
          reference,
          status: 'in_transit',
          acceptedAt,
          landedAt: null,
          detail: 'Sent; not yet credited',
        };
      case 'undeliverable':
        return {
          reference,
          status: 'returned',
          acceptedAt,
          landedAt: null,
          detail: 'Returned by the receiving bank: no such beneficiary account',
        };
    }
  }

  /** Lands every transfer that is due and delivers pending webhooks. Returns how many were delivered. */
  async deliverDue(): Promise<number> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    await em.nativeUpdate(
      SandboxBankTransfer,
      { status: 'in_transit', landsAt: { $lte: now } },
      { status: 'landed', landedAt: now, nextWebhookAt: now },
    );
    const due = await em.find(
      SandboxBankTransfer,
      { status: 'landed', webhookDeliveredAt: null, nextWebhookAt: { $lte: now } },
      { orderBy: { landsAt: 'asc' }, limit: 50 },
    );
    // Like a real bank's notifier, several webhooks are in flight at once.
    const delivered = await deliverSignedWebhooks(
      due,
      (t): PayoutLandedEvent => ({
        type: 'payout.landed',
        reference: t.reference,
        idempotencyKey: t.idempotencyKey,
        landedAt: (t.landsAt ?? now).toISOString(),
      }),
      this.webhookTarget(),
    );
    await em.flush();
    return delivered + (await this.deliverIncomingDue());
  }

  /**
   * RN-9: a payer orders a transfer into one of the platform's collection accounts (what the
   * enterprise does in its own online banking or at a counter). Idempotent by key. It arrives
   * after the channel's usual delay (see `arrivalTime`); the bank then reports it to the platform
   * by a signed `transfer.received` webhook. An account number the bank does not know is refused.
   */
  async receiveTransfer(order: IncomingTransferOrder): Promise<{ reference: string; arrivesAt: Date }> {
    await this.latency();
    if (!accountExists(order.payerAccountNumber)) {
      throw new UnknownPayerAccountError('sandbox bank: no such payer account');
    }
    const em = this.orm.em.fork();
    let t = await em.findOne(SandboxBankIncomingTransfer, { idempotencyKey: order.idempotencyKey });
    if (!t) {
      const now = this.clock.now();
      const reference = `SBI${newId()}`;
      t = em.create(SandboxBankIncomingTransfer, {
        reference,
        idempotencyKey: order.idempotencyKey,
        beneficiaryAccount: order.beneficiaryAccount,
        channel: order.channel,
        payerAccountSealed: this.box.seal(order.payerAccountNumber, `${reference}:payer-account`),
        payerHolderSealed: this.box.seal(order.payerAccountHolder, `${reference}:payer-holder`),
        amountFen: order.amountFen,
        status: 'in_transit',
        createdAt: now,
        arrivesAt: this.arrivalTime(now, order.channel),
      });
      try {
        await em.flush();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        em.clear();
        t = await em.findOneOrFail(SandboxBankIncomingTransfer, { idempotencyKey: order.idempotencyKey });
      }
    }
    return { reference: t.reference, arrivesAt: t.arrivesAt };
  }

  /** Lands the incoming transfers that are due and reports them by webhook. */
  private async deliverIncomingDue(): Promise<number> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    await em.nativeUpdate(
      SandboxBankIncomingTransfer,
      { status: 'in_transit', arrivesAt: { $lte: now } },
      { status: 'arrived', arrivedAt: now, nextWebhookAt: now },
    );
    const due = await em.find(
      SandboxBankIncomingTransfer,
      { status: 'arrived', webhookDeliveredAt: null, nextWebhookAt: { $lte: now } },
      { orderBy: { arrivesAt: 'asc' }, limit: 50 },
    );
    const delivered = await deliverSignedWebhooks(
      due,
      (t): TransferReceivedEvent => ({
        type: 'transfer.received',
        reference: t.reference,
        beneficiaryAccount: t.beneficiaryAccount,
        channel: t.channel,
        payerAccountNumber: this.box.open(t.payerAccountSealed, `${t.reference}:payer-account`),
        payerAccountHolder: this.box.open(t.payerHolderSealed, `${t.reference}:payer-holder`),
        amountFen: t.amountFen,
        arrivedAt: t.arrivesAt.toISOString(),
      }),
      this.webhookTarget(),
    );
    await em.flush();
    return delivered;
  }

  /** What the account holder sees in online banking: landed transfers into that account. */
  async statement(accountNumber: string): Promise<SandboxBankTransfer[]> {
    return (await this.transfersTo(accountNumber)).filter((t) => t.status === 'landed');
  }

  /** Every transfer to an account, newest first (what the bank's own back office would find). */
  async transfersTo(accountNumber: string): Promise<SandboxBankTransfer[]> {
    return this.orm.em
      .fork()
      .find(
        SandboxBankTransfer,
        { accountNumberHash: this.accountHash(accountNumber) },
        { orderBy: { landedAt: 'desc', createdAt: 'desc' } },
      );
  }

  /** The account number and holder of a transfer, as the bank opens them (tests, support). */
  openAccount(t: SandboxBankTransfer): { accountNumber: string; accountHolder: string } {
    return {
      accountNumber: this.box.open(t.accountNumberSealed, `${t.reference}:account-number`),
      accountHolder: this.box.open(t.accountHolderSealed, `${t.reference}:account-holder`),
    };
  }

  private webhookTarget(): WebhookTarget {
    return {
      url: this.options.webhookUrl,
      secret: this.options.webhookSecret,
      signatureHeader: BANK_SIGNATURE_HEADER,
      clock: this.clock,
      fetchImpl: this.fetchImpl,
      concurrency: WEBHOOK_CONCURRENCY,
    };
  }

  private landingTime(now: Date): Date {
    if (this.options.landingDelayMs !== undefined)
      return new Date(now.getTime() + this.options.landingDelayMs);
    const days =
      this.options.minBusinessDays +
      randomInt(0, this.options.maxBusinessDays - this.options.minBusinessDays + 1);
    return this.calendar.addBusinessDays(now, days);
  }

  /**
   * When an incoming transfer reaches the collection account, as the channels usually take:
   * online and mobile banking and a same-city cash deposit at once, a wire or another city's
   * counter transfer the next business day, a cheque after 2 business days (the clearing).
   */
  private arrivalTime(now: Date, channel: string): Date {
    if (this.options.landingDelayMs !== undefined)
      return new Date(now.getTime() + this.options.landingDelayMs);
    switch (channel) {
      case 'online_banking':
      case 'mobile_banking':
      case 'beijing_same_city_counter_cash':
        return now;
      case 'wire_transfer':
      case 'intercity_counter_transfer':
        return this.calendar.addBusinessDays(now, 1);
      case 'cheque':
        return this.calendar.addBusinessDays(now, 2);
      default:
        return this.calendar.addBusinessDays(now, 1);
    }
  }

  private async latency(): Promise<void> {
    const [min, max] = this.options.latencyMs ?? [0, 0];
    if (max <= 0) return;
    await new Promise((r) => setTimeout(r, min + this.random() * (max - min)));
  }
}

/** The payer's bank does not know the account a transfer is ordered from. */
export class UnknownPayerAccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownPayerAccountError';
  }
}

/** The sandbox's notion of an existing account: digits that pass the Luhn check. */
export function accountExists(accountNumber: string): boolean {
  if (!/^\d{8,30}$/.test(accountNumber)) return false;
  let sum = 0;
  let double = false;
  for (let i = accountNumber.length - 1; i >= 0; i -= 1) {
    let d = Number(accountNumber[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Polls the sandbox bank service so its due work happens on its own (one run at a time). */
export { SandboxDispatcher as SandboxBankDispatcher };
