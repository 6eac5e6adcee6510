import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../config/src/config';
import { ManualClock } from '../../../domain/src/clock';
import { createNotifier } from './notifier.factory';
import { FakeSmtpServer, decodeMessage } from '../../../../test/support/fake-smtp-server';
import {
  NotifierRejectedError,
  NotifierUnavailableError,
  type Notification,
  type Notifier,
} from './notifier.port';
import { SandboxNotifier } from './sandbox-notifier';
import { SmtpNotifier } from './smtp-notifier';

class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async send(message: Notification): Promise<void> {
    this.sent.push(message);
  }
}

const FROM = 'Account Center <no-reply@account-center.test>';
const email: Notification = {
  channel: 'email',
  to: 'alice@example.test',
  subject: 'Your verification code',
  text: 'Your code is 482913. It expires in 10 minutes.',
};

describe('SmtpNotifier', () => {
  let server: FakeSmtpServer;
  let fallback: RecordingNotifier;

  beforeEach(async () => {
    server = await FakeSmtpServer.start();
    fallback = new RecordingNotifier();
  });

  afterEach(async () => {
    await server.stop();
  });

  it('sends an email over SMTP from the configured sender to the recipient, with the subject and text', async () => {
    const notifier = new SmtpNotifier(server.url, FROM, fallback);

    await notifier.send(email);

    expect(server.messages).toHaveLength(1);
    const [received] = server.messages;
    expect(received.from).toBe('no-reply@account-center.test');
    expect(received.recipients).toEqual(['alice@example.test']);
    const { headers, subject, body } = decodeMessage(received);
    expect(headers.get('from')).toBe(FROM);
    expect(headers.get('to')).toBe('alice@example.test');
    expect(subject).toBe('Your verification code');
    expect(body).toBe('Your code is 482913. It expires in 10 minutes.');
    expect(fallback.sent).toEqual([]);
  });

  it('hands an SMS to the fallback notifier and does not touch the SMTP server', async () => {
    const notifier = new SmtpNotifier(server.url, FROM, fallback);
    const sms: Notification = {
      channel: 'sms',
      to: '+8613800138000',
      subject: 'Verification code',
      text: 'Your code is 482913.',
    };

    await notifier.send(sms);

    expect(fallback.sent).toEqual([sms]);
    expect(server.connections).toBe(0);
    expect(server.messages).toEqual([]);
  });

  it('reports a temporary refusal of the recipient (451) as a retryable NotifierUnavailableError', async () => {
    server.refuseRecipients('451 4.3.0 Mailbox temporarily unavailable, try again later');
    const notifier = new SmtpNotifier(server.url, FROM, fallback);

    const failure = notifier.send(email);

    await expect(failure).rejects.toBeInstanceOf(NotifierUnavailableError);
    await expect(failure).rejects.toThrow(/451/);
    expect(server.messages).toEqual([]);
  });

  it('reports a temporary refusal of the message after DATA (451) as a retryable NotifierUnavailableError', async () => {
    server.refuseData('451 4.3.0 Local error in processing, try again later');
    const notifier = new SmtpNotifier(server.url, FROM, fallback);

    const failure = notifier.send(email);

    await expect(failure).rejects.toBeInstanceOf(NotifierUnavailableError);
    await expect(failure).rejects.toThrow(/451/);
    expect(server.messages).toEqual([]);
  });

  it('reports an SMTP server that is down as a retryable NotifierUnavailableError', async () => {
    const notifier = new SmtpNotifier(server.url, FROM, fallback);
    await server.stop();

    await expect(notifier.send(email)).rejects.toBeInstanceOf(NotifierUnavailableError);
  });

  it('reports an SMTP server that never greets as a retryable NotifierUnavailableError once the greeting times out', async () => {
    server.neverGreet();
    const notifier = new SmtpNotifier(server.url, FROM, fallback);

    await expect(notifier.send(email)).rejects.toBeInstanceOf(NotifierUnavailableError);
    expect(server.connections).toBe(1);
  });

  it('reports a permanent refusal of the recipient (550) as a NotifierRejectedError keeping the reply', async () => {
    server.refuseRecipients('550 5.1.1 No such user here');
    const notifier = new SmtpNotifier(server.url, FROM, fallback);

    const failure = notifier.send(email);

    await expect(failure).rejects.toBeInstanceOf(NotifierRejectedError);
    await expect(failure).rejects.toThrow(/550 5\.1\.1 No such user here/);
    await expect(failure).rejects.toMatchObject({
      name: 'NotifierRejectedError',
      cause: expect.objectContaining({ responseCode: 550 }),
    });
    await expect(failure).rejects.not.toThrow('smtp://');
    expect(server.messages).toEqual([]);
  });

  it('reports a refusal of the message after DATA (554) as NotifierUnavailableError: the address is not at fault', async () => {
    server.refuseData('554 5.7.1 Message rejected as spam');
    const notifier = new SmtpNotifier(server.url, FROM, fallback);

    const failure = notifier.send(email);

    await expect(failure).rejects.toBeInstanceOf(NotifierUnavailableError);
    await expect(failure).rejects.toThrow(/554/);
    expect(server.messages).toEqual([]);
  });
});

describe('createNotifier', () => {
  const orm = {} as MikroORM;
  const clock = new ManualClock();
  const config = (smtpUrl: string | undefined): AppConfig =>
    ({ notifier: { smtpUrl, mailFrom: FROM, sandboxLatencyMs: [0, 0] } }) as AppConfig;

  it('returns the SMTP notifier when an SMTP URL is configured, sending from the configured address', async () => {
    const server = await FakeSmtpServer.start();
    try {
      const notifier = createNotifier(config(server.url), orm, clock);
      expect(notifier).toBeInstanceOf(SmtpNotifier);

      await notifier.send(email);

      expect(server.messages.map((m) => [m.from, m.recipients])).toEqual([
        ['no-reply@account-center.test', ['alice@example.test']],
      ]);
    } finally {
      await server.stop();
    }
  });

  it('returns the sandbox notifier when no SMTP URL is configured', () => {
    expect(createNotifier(config(undefined), orm, clock)).toBeInstanceOf(SandboxNotifier);
  });
});
