/** The outside bank, as the platform sees it. Adapters: `SandboxBank` (BANK_ADAPTER=sandbox). */
export interface PayoutRequest {
  /** Same key, same payout: the bank never pays a key twice. */
  idempotencyKey: string;
  accountNumber: string;
  accountHolder: string;
  bankName: string;
  amountFen: number;
}

export interface PayoutAccepted {
  reference: string;
  acceptedAt: Date;
}

/** The bank's trace of a transfer (RN-8 payout appeal): where it is, never the account number. */
export interface TransferTrace {
  reference: string;
  /** `in_transit`, `landed`, `returned` (the receiving bank refused it: wrong account), or `unknown`. */
  status: 'in_transit' | 'landed' | 'returned' | 'unknown';
  acceptedAt: string | null;
  landedAt: string | null;
  /** The bank's own words for the status, for the reviewer. */
  detail: string;
}

export interface BankGateway {
  sendPayout(req: PayoutRequest): Promise<PayoutAccepted>;
  /** Looks a transfer up by its reference. */
  traceTransfer(reference: string): Promise<TransferTrace>;
}

export const BANK_GATEWAY = Symbol('BankGateway');

/** A bank failure that may pass (timeouts, 5xx): the activity retries it. */
export class BankUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankUnavailableError';
  }
}

/** The event the bank's webhook reports when a payout reaches the account. */
export interface PayoutLandedEvent {
  type: 'payout.landed';
  reference: string;
  idempotencyKey: string;
  landedAt: string;
}

/**
 * RN-9: money paid INTO one of the platform's collection accounts (a recharge), as the bank's
 * webhook reports it once it has arrived: through which channel, from which account and holder.
 */
export interface TransferReceivedEvent {
  type: 'transfer.received';
  reference: string;
  /** The platform's collection account the money was paid into. */
  beneficiaryAccount: string;
  /** The channel the payer used, as the bank names it. */
  channel: string;
  payerAccountNumber: string;
  payerAccountHolder: string;
  amountFen: number;
  arrivedAt: string;
}

/** A transfer into a collection account, as a payer orders it at their bank (sandbox: the payer's side). */
export interface IncomingTransferOrder {
  /** Same key, same transfer. */
  idempotencyKey: string;
  /** The channel the payer used, as the bank names it. */
  channel: string;
  payerAccountNumber: string;
  payerAccountHolder: string;
  beneficiaryAccount: string;
  amountFen: number;
}
