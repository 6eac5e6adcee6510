import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BusinessCalendar } from '../../../domain/src/business-days';
import { ManualClock } from '../../../domain/src/clock';
import { newId } from '../../../domain/src/ids';
import { SandboxBankTransfer } from '../../../persistence/src/entities';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases';
import { SandboxBank } from './sandbox-bank';
import { BANK_SIGNATURE_HEADER, verifyBankWebhook } from './webhook-signature';

const SECRET = 'webhook-spec-secret-0000';

/**
 * The sandbox bank's webhooks against a real HTTP receiver that answers nothing until eight
 * requests are open at once: a bank delivering one by one would never get an answer.
 */
describe('sandbox bank webhooks (real PostgreSQL, real HTTP receiver)', () => {
  let db: TestDatabase;
  let server: Server;
  let url: string;
  const clock = new ManualClock('2026-03-02T02:00:00.000Z');
  const held: ServerResponse[] = [];
  const received: Array<{ body: string; signature: string | undefined }> = [];
  let maxOpen = 0;
  let open = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        received.push({ body, signature: req.headers[BANK_SIGNATURE_HEADER] as string | undefined });
        held.push(res);
        if (held.length >= 8) {
          for (const r of held.splice(0)) {
            open -= 1;
            r.writeHead(200).end('{}');
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/bank`;
  });
  afterAll(async () => {
    for (const r of held.splice(0)) r.writeHead(503).end();
    await new Promise<void>((r) => server.close(() => r()));
    await db.dispose();
  });

  it('RN-8: delivers a batch of landed payouts several at a time, each signed, each once', async () => {
    const bank = new SandboxBank(db.orm, clock, new BusinessCalendar(), {
      minBusinessDays: 1,
      maxBusinessDays: 1,
      landingDelayMs: 0,
      webhookUrl: url,
      webhookSecret: SECRET,
    });
    const references: string[] = [];
    for (let i = 0; i < 16; i += 1) {
      const accepted = await bank.sendPayout({
        idempotencyKey: `spec-${newId()}`,
        accountNumber: '6222020200001235',
        accountHolder: 'Acme Ltd',
        bankName: 'Sandbox Bank',
        amountFen: 1 + i,
      });
      references.push(accepted.reference);
    }
    expect(await bank.deliverDue()).toBe(16);
    expect(maxOpen).toBe(8);

    const rows = await db.orm.em.fork().find(SandboxBankTransfer, { reference: { $in: references } });
    expect(rows.map((r) => r.webhookAttempts)).toEqual(Array(16).fill(1));
    expect(rows.every((r) => r.webhookDeliveredAt !== null)).toBe(true);
    // Each landed payout was reported once, signed with the shared secret.
    expect(received).toHaveLength(16);
    for (const r of received)
      expect(verifyBankWebhook(SECRET, r.body, r.signature, clock.now())).toEqual({ ok: true });
    expect(received.map((r) => (JSON.parse(r.body) as { reference: string }).reference).sort()).toEqual(
      [...references].sort(),
    );
    // Nothing is due any more: a second round sends nothing.
    expect(await bank.deliverDue()).toBe(0);
    expect(received).toHaveLength(16);
  });
});
