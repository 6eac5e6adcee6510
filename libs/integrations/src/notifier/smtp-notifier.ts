import { createTransport, type Transporter } from 'nodemailer';
import {
  NotifierRejectedError,
  NotifierUnavailableError,
  type Notification,
  type Notifier,
} from './notifier.port';

/**
 * Email over SMTP (nodemailer); SMS has no real gateway yet and goes to the fallback notifier
 * (the sandbox outbox).
 */
export class SmtpNotifier implements Notifier {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly smsFallback: Notifier,
  ) {
    this.transport = createTransport(smtpUrl);
  }

  async send(message: Notification): Promise<void> {
    if (message.channel === 'sms') return this.smsFallback.send(message);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    } catch (err) {
      throw toNotifierError(err);
    }
  }
}

/**
 * A permanent refusal of the recipient (a 5xx reply to RCPT TO, e.g. 550 no such user) is the
 * address's fault and becomes NotifierRejectedError. Everything else is the mail system's
 * problem, not the owner's — 4xx replies, connection failures, timeouts, and also 5xx replies
 * to other commands (530 authentication required, 554 after DATA) — and becomes
 * NotifierUnavailableError, which operators see in the log. The message carries nodemailer's
 * (the reply or the socket error), never the SMTP URL.
 */
function toNotifierError(err: unknown): NotifierRejectedError | NotifierUnavailableError {
  const detail = err instanceof Error ? err.message : String(err);
  const { responseCode, command } = (err ?? {}) as { responseCode?: unknown; command?: unknown };
  if (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode <= 599 &&
    command === 'RCPT TO'
  ) {
    return new NotifierRejectedError(`SMTP delivery refused: ${detail}`, { cause: err });
  }
  return new NotifierUnavailableError(`SMTP delivery failed: ${detail}`, { cause: err });
}
