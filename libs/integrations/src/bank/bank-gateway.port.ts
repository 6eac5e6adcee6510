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

export interface BankGateway {
  sendPayout(req: PayoutRequest): Promise<PayoutAccepted>;
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
