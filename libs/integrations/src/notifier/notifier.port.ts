/**
 * Sends SMS and email to people (verification codes, security notices). Adapters:
 * `SandboxNotifier` (an outbox in the database that tests and /sandbox/outbox read) and
 * `SmtpNotifier` (email over SMTP through nodemailer, when SMTP_URL is configured).
 */
export type NotificationChannel = 'sms' | 'email';

export interface Notification {
  channel: NotificationChannel;
  /** Normalised phone number or lower-cased email address. */
  to: string;
  subject: string;
  text: string;
}

export interface Notifier {
  send(message: Notification): Promise<void>;
}

export const NOTIFIER = Symbol('Notifier');

/** Delivery failed in a way that may pass (SMTP down, timeouts): the caller may retry. */
export class NotifierUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifierUnavailableError';
  }
}
