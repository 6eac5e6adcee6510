import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../config/src/config';
import type { Clock } from '../../../domain/src/clock';
import type { Notifier } from './notifier.port';
import { SandboxNotifier } from './sandbox-notifier';
import { SmtpNotifier } from './smtp-notifier';

/** Email over SMTP when SMTP_URL is set; everything else into the sandbox outbox. */
export function createNotifier(config: AppConfig, orm: MikroORM, clock: Clock): Notifier {
  const sandbox = new SandboxNotifier(orm, clock, { latencyMs: config.notifier.sandboxLatencyMs });
  if (config.notifier.smtpUrl)
    return new SmtpNotifier(config.notifier.smtpUrl, config.notifier.mailFrom, sandbox);
  return sandbox;
}
