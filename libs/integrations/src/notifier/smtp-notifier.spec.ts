import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../config/src/config';
import { ManualClock } from '../../../domain/src/clock';
import { createNotifier } from './notifier.factory';
import { NotifierUnavailableError, type Notification, type Notifier } from './notifier.port';
import { SandboxNotifier } from './sandbox-notifier';
import { SmtpNotifier } from './smtp-notifier';

/** One message as the server received it: the SMTP envelope and the raw DATA (dot-unstuffed). */
interface ReceivedMessage {
  from: string;
  recipients: string[];
  data: string;
}

/**
 * A minimal plain-text SMTP server over TCP on 127.0.0.1 (no TLS, no AUTH, no PIPELINING). It
 * records what it accepts and can be told to refuse recipients or messages, or to stay silent.
 */
class FakeSmtpServer {
  readonly messages: ReceivedMessage[] = [];
  connections = 0;
  /** Reply to every RCPT TO instead of accepting it, e.g. '451 4.3.0 Try again later'. */
  rcptReply: string | null = null;
  /** Reply after the end of DATA instead of accepting the message. */
  dataReply: string | null = null;
  /** Accept connections but never send the 220 greeting. */
  silent = false;

  private readonly server: Server = createServer((socket) => this.handle(socket));
  private readonly sockets = new Set<Socket>();
  private port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Closes the listening port and every open connection: the server is down. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  /** An SMTP URL for this server, with short timeouts so failures surface quickly. */
  url(): string {
    return `smtp://127.0.0.1:${this.port}/?connectionTimeout=1000&greetingTimeout=500&socketTimeout=2000`;
  }

  private handle(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');

    let buffer = '';
    let inData = false;
    let from: string | null = null;
    let recipients: string[] = [];
    let dataLines: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const resetTransaction = () => {
      from = null;
      recipients = [];
      dataLines = [];
    };

    const onLine = (line: string): void => {
      if (inData) {
        if (line !== '.') {
          dataLines.push(line.startsWith('..') ? line.slice(1) : line);
          return;
        }
        inData = false;
        if (this.dataReply) reply(this.dataReply);
        else {
          this.messages.push({ from: from ?? '', recipients, data: dataLines.join('\r\n') + '\r\n' });
          reply('250 2.0.0 Queued');
        }
        resetTransaction();
        return;
      }
      const verb = line.split(' ', 1)[0].toUpperCase();
      switch (verb) {
        case 'EHLO':
        case 'HELO':
          resetTransaction();
          reply('250 fake-smtp');
          return;
        case 'MAIL': {
          const match = /^MAIL FROM:\s*<([^>]*)>/i.exec(line);
          if (!match) return void reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          resetTransaction();
          from = match[1];
          return void reply('250 2.1.0 OK');
        }
        case 'RCPT': {
          const match = /^RCPT TO:\s*<([^>]*)>/i.exec(line);
          if (from === null) return void reply('503 5.5.1 MAIL first');
          if (!match) return void reply('501 5.5.4 Syntax: RCPT TO:<address>');
          if (this.rcptReply) return void reply(this.rcptReply);
          recipients.push(match[1]);
          return void reply('250 2.1.5 OK');
        }
        case 'DATA':
          if (recipients.length === 0) return void reply('503 5.5.1 No valid recipients');
          inData = true;
          return void reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          resetTransaction();
          return void reply('250 2.0.0 OK');
        case 'NOOP':
          return void reply('250 2.0.0 OK');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          reply('502 5.5.2 Command not implemented');
      }
    };

    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        onLine(line);
      }
    });

    if (!this.silent) reply('220 fake-smtp ESMTP ready');
  }
}

/** Splits a raw message into unfolded headers (lower-case names) and the decoded text body. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, body: body.replace(/\r\n$/, '') };
}

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
    server = new FakeSmtpServer();
    await server.start();
    fallback = new RecordingNotifier();
  });

  afterEach(async () => {
    await server.stop();
  });

  it('sends an email over SMTP from the configured sender to the recipient, with the subject and text', async () => {
    const notifier = new SmtpNotifier(server.url(), FROM, fallback);

    await notifier.send(email);

    expect(server.messages).toHaveLength(1);
    const [received] = server.messages;
    expect(received.from).toBe('no-reply@account-center.test');
    expect(received.recipients).toEqual(['alice@example.test']);
    const { headers, body } = parseMessage(received.data);
    expect(headers.get('from')).toBe(FROM);
    expect(headers.get('to')).toBe('alice@example.test');
    expect(headers.get('subject')).toBe('Your verification code');
    expect(body).toBe('Your code is 482913. It expires in 10 minutes.');
    expect(fallback.sent).toEqual([]);
  });

  it('hands an SMS to the fallback notifier and does not touch the SMTP server', async () => {
    const notifier = new SmtpNotifier(server.url(), FROM, fallback);
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
    server.rcptReply = '451 4.3.0 Mailbox temporarily unavailable, try again later';
    const notifier = new SmtpNotifier(server.url(), FROM, fallback);

    const failure = notifier.send(email);

    await expect(failure).rejects.toBeInstanceOf(NotifierUnavailableError);
    await expect(failure).rejects.toThrow(/451/);
    expect(server.messages).toEqual([]);
  });

  it('reports a temporary refusal of the message after DATA (451) as a retryable NotifierUnavailableError', async () => {
    server.dataReply = '451 4.3.0 Local error in processing, try again later';
    const notifier = new SmtpNotifier(server.url(), FROM, fallback);

    const failure = notifier.send(email);

    await expect(failure).rejects.toBeInstanceOf(NotifierUnavailableError);
    await expect(failure).rejects.toThrow(/451/);
    expect(server.messages).toEqual([]);
  });

  it('reports an SMTP server that is down as a retryable NotifierUnavailableError', async () => {
    const notifier = new SmtpNotifier(server.url(), FROM, fallback);
    await server.stop();

    await expect(notifier.send(email)).rejects.toBeInstanceOf(NotifierUnavailableError);
  });

  it('reports an SMTP server that never greets as a retryable NotifierUnavailableError once the greeting times out', async () => {
    server.silent = true;
    const notifier = new SmtpNotifier(server.url(), FROM, fallback);

    await expect(notifier.send(email)).rejects.toBeInstanceOf(NotifierUnavailableError);
    expect(server.connections).toBe(1);
  });

  it('fails on a permanent refusal of the recipient (550) and keeps the reply code in the error message', async () => {
    // The port defines no separate permanent-failure error, so the 550 is only told apart by its
    // reply code in the message.
    server.rcptReply = '550 5.1.1 No such user here';
    const notifier = new SmtpNotifier(server.url(), FROM, fallback);

    await expect(notifier.send(email)).rejects.toThrow(/550 5\.1\.1 No such user here/);
    expect(server.messages).toEqual([]);
  });
});

describe('createNotifier', () => {
  const orm = {} as MikroORM;
  const clock = new ManualClock();
  const config = (smtpUrl: string | undefined): AppConfig =>
    ({ notifier: { smtpUrl, mailFrom: FROM, sandboxLatencyMs: [0, 0] } }) as AppConfig;

  it('returns the SMTP notifier when an SMTP URL is configured, sending from the configured address', async () => {
    const server = new FakeSmtpServer();
    await server.start();
    try {
      const notifier = createNotifier(config(server.url()), orm, clock);
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
