import { createTransport, type Transporter } from 'nodemailer';
import { NotifierUnavailableError, type Notification, type Notifier } from './notifier.port';

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
      throw new NotifierUnavailableError(
        `SMTP delivery failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
