import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../config/src/config';
import type { BusinessCalendar } from '../../../domain/src/business-days';
import type { Clock } from '../../../domain/src/clock';
import { SandboxBank, type SandboxBankOptions } from './sandbox-bank';

/** Builds the bank adapter chosen by BANK_ADAPTER. */
export function createBank(
  config: AppConfig,
  orm: MikroORM,
  clock: Clock,
  calendar: BusinessCalendar,
  overrides: Partial<SandboxBankOptions> = {},
): SandboxBank {
  switch (config.bank.adapter) {
    case 'sandbox':
      return new SandboxBank(orm, clock, calendar, {
        minBusinessDays: config.bank.sandbox.minBusinessDays,
        maxBusinessDays: config.bank.sandbox.maxBusinessDays,
        landingDelayMs: config.bank.sandbox.landingDelayMs,
        webhookUrl: `${config.api.publicUrl}/webhooks/bank`,
        webhookSecret: config.bank.webhookSecret,
        latencyMs: config.bank.sandbox.latencyMs,
        faults: {
          errorRate: config.bank.sandbox.errorRate,
          lostResponseRate: config.bank.sandbox.lostResponseRate,
        },
        ...overrides,
      });
  }
}
