import type { Clock } from '../../domain/src/clock';
import { signBankWebhook } from './bank/webhook-signature';

/** What a sandbox service keeps per webhook it owes (columns of its own table). */
export interface WebhookDelivery {
  webhookAttempts: number;
  webhookDeliveredAt?: Date | null;
  nextWebhookAt?: Date | null;
  lastWebhookError?: string | null;
}

export interface WebhookTarget {
  url: string;
  /** HMAC key of the signature (the scheme of libs/integrations/src/bank/webhook-signature.ts). */
  secret: string;
  signatureHeader: string;
  clock: Clock;
  fetchImpl: typeof fetch;
  /** Webhooks in flight at once: one slow receiver does not hold up the rest of the batch. */
  concurrency: number;
}

/**
 * Delivers one signed webhook per item, as the real services do: a POST of the event's JSON with
 * its HMAC signature header, 10 s at most each, `concurrency` in flight. A delivery is marked on
 * its item; a refusal or a failure schedules a retry with exponential backoff (1 s doubling, at
 * most 5 minutes) and keeps the reason. The caller flushes. Returns how many were delivered.
 */
export async function deliverSignedWebhooks<T extends WebhookDelivery>(
  items: readonly T[],
  eventOf: (item: T) => unknown,
  target: WebhookTarget,
): Promise<number> {
  let delivered = 0;
  let next = 0;
  const deliverOne = async (item: T): Promise<void> => {
    const body = JSON.stringify(eventOf(item));
    item.webhookAttempts += 1;
    try {
      const res = await target.fetchImpl(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [target.signatureHeader]: signBankWebhook(target.secret, body, target.clock.now()),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) {
        item.webhookDeliveredAt = target.clock.now();
        item.lastWebhookError = null;
        delivered += 1;
      } else {
        scheduleRetry(item, `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`, target.clock);
      }
    } catch (err) {
      scheduleRetry(item, err instanceof Error ? err.message : String(err), target.clock);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(target.concurrency, items.length) }, async () => {
      while (next < items.length) await deliverOne(items[next++]);
    }),
  );
  return delivered;
}

function scheduleRetry(item: WebhookDelivery, error: string, clock: Clock): void {
  const backoffMs = Math.min(2 ** Math.min(item.webhookAttempts, 12) * 1000, 5 * 60_000);
  item.nextWebhookAt = new Date(clock.now().getTime() + backoffMs);
  item.lastWebhookError = error.slice(0, 500);
}

/**
 * Polls a sandbox service so its due work (landings, results, webhooks) happens on its own, as it
 * would at the real provider; one run at a time, the next run skipped while one is in flight.
 */
export class SandboxDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly service: { deliverDue(): Promise<number> },
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.service
        .deliverDue()
        .then(() => undefined, this.onError)
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
