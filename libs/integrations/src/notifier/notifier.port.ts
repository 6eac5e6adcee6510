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
  /**
   * When the message stops being of use: a verification code's expiry. A stand-in that keeps
   * what it "delivered" (the sandbox outbox) keeps such a message no longer than that.
   */
  expiresAt?: Date;
}

export interface Notifier {
  send(message: Notification): Promise<void>;
}

export const NOTIFIER = Symbol('Notifier');

/**
 * Delivery failed in a way that may pass: the SMTP server is down or refused the connection, a
 * timeout, or a temporary refusal (SMTP 4xx, e.g. 451 try again later). The caller may retry the
 * same destination later. `cause` holds the original error.
 */
export class NotifierUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotifierUnavailableError';
  }
}

/**
 * The destination was refused for good (SMTP 5xx, e.g. 550 no such user): retrying the same
 * address will not help; the person has to give another one. `cause` holds the original error.
 */
export class NotifierRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotifierRejectedError';
  }
}
