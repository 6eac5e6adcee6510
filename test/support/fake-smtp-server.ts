/**
 * A minimal plain-text SMTP server over TCP on 127.0.0.1 (no TLS, no AUTH, no PIPELINING) for
 * tests: unit specs of the SMTP notifier and integration tests that start the API with SMTP_URL
 * pointing at it. It records what it accepts and can be told to refuse recipients or messages, or
 * to stay silent (never send the 220 greeting).
 *
 *   const smtp = await FakeSmtpServer.start();
 *   // ... SMTP_URL: smtp.url ...
 *   const message = await smtp.waitForMessage('alice@example.test');
 *   decodeMessage(message).body;
 *   await smtp.stop();
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** One message as the server received it: the SMTP envelope and the raw DATA (dot-unstuffed). */
export interface ReceivedMessage {
  /** MAIL FROM address, without the angle brackets. */
  from: string;
  /** Every accepted RCPT TO address, in order, without the angle brackets. */
  recipients: string[];
  /** Headers and body as sent, lines ending in CRLF. */
  data: string;
}

/** A received message split into headers and the decoded text body. */
export interface DecodedMessage {
  /** Unfolded headers by lower-case name (the last one wins when a name repeats), values as sent. */
  headers: Map<string, string>;
  /** The Subject header with RFC 2047 encoded words decoded; undefined when there is none. */
  subject: string | undefined;
  /** The body with its Content-Transfer-Encoding (7bit, quoted-printable, base64) undone. */
  body: string;
}

/** Timeouts in the URL, so a refusing, silent or stopped server fails a send within seconds. */
const URL_TIMEOUTS = 'connectionTimeout=1000&greetingTimeout=500&socketTimeout=2000';

interface MessageWaiter {
  to: string;
  resolve(message: ReceivedMessage): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class FakeSmtpServer {
  /** Every message accepted so far, in order of arrival. */
  readonly messages: ReceivedMessage[] = [];

  private rcptReply: string | null = null;
  private dataReply: string | null = null;
  private silent = false;
  private connectionCount = 0;
  private port = 0;
  private readonly server: Server = createServer((socket) => this.handle(socket));
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<MessageWaiter>();
  /** Messages already handed out by waitForMessage, so the next call waits for a newer one. */
  private readonly delivered = new Set<ReceivedMessage>();

  private constructor() {}

  /** Starts a server listening on 127.0.0.1 on a free port. */
  static async start(): Promise<FakeSmtpServer> {
    const smtp = new FakeSmtpServer();
    await new Promise<void>((resolve, reject) => {
      smtp.server.once('error', reject);
      smtp.server.listen(0, '127.0.0.1', () => {
        smtp.server.off('error', reject);
        resolve();
      });
    });
    smtp.port = (smtp.server.address() as AddressInfo).port;
    return smtp;
  }

  /** The SMTP URL of this server (a value for SMTP_URL), with short timeouts. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}/?${URL_TIMEOUTS}`;
  }

  /** TCP connections accepted so far. */
  get connections(): number {
    return this.connectionCount;
  }

  /**
   * Answers every later RCPT TO with this reply instead of accepting the recipient, e.g.
   * '550 5.1.1 No such user here' or '451 4.3.0 Try again later'; null accepts recipients again.
   */
  refuseRecipients(reply: string | null): void {
    this.rcptReply = reply;
  }

  /** Answers the end of every later DATA with this reply instead of accepting the message; null accepts again. */
  refuseData(reply: string | null): void {
    this.dataReply = reply;
  }

  /** Accepts later connections but never sends them the 220 greeting (false: greet again). */
  neverGreet(silent = true): void {
    this.silent = silent;
  }

  /**
   * Resolves with the oldest accepted message to `to` (compared case-insensitively) that no earlier
   * call has returned, waiting for one to arrive if need be; rejects after `timeoutMs`, or when the
   * server stops first.
   */
  waitForMessage(to: string, timeoutMs = 5000): Promise<ReceivedMessage> {
    const wanted = to.toLowerCase();
    const ready = this.messages.find((m) => !this.delivered.has(m) && addressedTo(m, wanted));
    if (ready) {
      this.delivered.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise<ReceivedMessage>((resolve, reject) => {
      const waiter: MessageWaiter = {
        to: wanted,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.messages.flatMap((m) => m.recipients).join(', ') || 'none';
          reject(new Error(`no message to ${to} within ${timeoutMs} ms (recipients so far: ${seen})`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Closes the listening port and every open connection: the server is down. Safe to call twice. */
  async stop(): Promise<void> {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`the fake SMTP server stopped before a message to ${waiter.to} arrived`));
    }
    this.waiters.clear();
    for (const socket of this.sockets) socket.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private accept(message: ReceivedMessage): void {
    this.messages.push(message);
    for (const waiter of this.waiters) {
      if (!addressedTo(message, waiter.to)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      this.delivered.add(message);
      waiter.resolve(message);
      return;
    }
  }

  private handle(socket: Socket): void {
    this.connectionCount += 1;
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
          this.accept({ from: from ?? '', recipients, data: dataLines.join('\r\n') + '\r\n' });
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

/** Splits a received message (or its raw DATA) into unfolded headers, the subject and the decoded body. */
export function decodeMessage(message: ReceivedMessage | string): DecodedMessage {
  const raw = typeof message === 'string' ? message : message.data;
  const split = raw.indexOf('\r\n\r\n');
  const head = (split >= 0 ? raw.slice(0, split) : raw).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = split >= 0 ? raw.slice(split + 4) : '';
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') {
    body = decodeQuotedPrintable(body.replace(/=\r\n/g, ''));
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  const subject = headers.get('subject');
  return {
    headers,
    subject: subject === undefined ? undefined : decodeEncodedWords(subject),
    body: body.replace(/\r\n$/, ''),
  };
}

function addressedTo(message: ReceivedMessage, lowerCaseAddress: string): boolean {
  return message.recipients.some((r) => r.toLowerCase() === lowerCaseAddress);
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) in a header value. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
