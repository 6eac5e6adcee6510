import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../config/src/config';
import type { Clock } from '../../../domain/src/clock';
import { SandboxCaptcha } from './sandbox-captcha';

/** Builds the captcha adapter chosen by CAPTCHA_ADAPTER. */
export function createCaptcha(config: AppConfig, orm: MikroORM, clock: Clock): SandboxCaptcha {
  switch (config.captcha.adapter) {
    case 'sandbox':
      return new SandboxCaptcha(orm, clock, { ttlSeconds: config.captcha.ttlSeconds });
  }
}
