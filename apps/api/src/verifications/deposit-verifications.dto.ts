import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { DEPOSIT_STATUSES } from '../../../../libs/domain/src/deposit-verification';

const text = (max: number) => z.string().trim().min(1).max(max);

export const submitDepositSchema = z.object({
  enterpriseName: text(200).describe('Registered enterprise name'),
  licenceNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-Z]{15,18}$/, 'must be a business licence number (15–18 letters and digits)')
    .describe('Business licence number / unified social credit code'),
  bankAccount: z.object({
    holder: text(200).describe('Account holder; normally the enterprise name'),
    bankName: text(200),
    accountNumber: z
      .string()
      .max(64)
      .regex(/^[0-9 -]+$/, 'must be 8–30 digits (spaces and dashes are ignored)')
      .transform((s) => s.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^\d{8,30}$/, 'must be 8–30 digits')),
  }),
});
export class SubmitDepositDto extends createZodDto(submitDepositSchema) {}

/** The header that makes an amount entry idempotent (see the controller's OpenAPI description). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** 1–128 visible ASCII characters: a UUID, a ULID, or any opaque token the client keeps. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,128}$/;
export const idempotencyKeySchema = z
  .string()
  .regex(
    IDEMPOTENCY_KEY_PATTERN,
    'must be 1–128 visible ASCII characters (e.g. a UUID), the same on every retry',
  );

export class SubmitAmountDto extends createZodDto(
  z.object({
    amountFen: z
      .number({ invalid_type_error: 'must be a number of fen (1 CNY = 100 fen)' })
      .int('must be a whole number of fen')
      .min(1, 'must be 1–99 fen (RN-8)')
      .max(99, 'must be 1–99 fen (RN-8)')
      .describe('The amount seen on the bank statement, in fen (e.g. 0.37 CNY → 37)'),
  }),
) {}

export const depositVerificationResponseSchema = z.object({
  verificationId: z.string(),
  status: z.enum(DEPOSIT_STATUSES),
  attemptsLeft: z.number().int(),
  deadline: z.string().nullable().describe('Set once the payout lands: 7 days later (RN-8)'),
  payoutRequestedAt: z.string().nullable(),
  landedAt: z.string().nullable(),
  appealAvailableFrom: z.string().nullable().describe('After 3 business days without a payout (RN-8)'),
  enterpriseName: z.string(),
  bankAccount: z.object({ holder: z.string(), bankName: z.string(), maskedAccountNumber: z.string() }),
  refusal: z
    .object({ rule: z.string(), code: z.string() })
    .nullable()
    .describe('Status `refused`: the rule that refused the account when the right amount came (e.g. RN-2)'),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type DepositVerificationResponse = z.infer<typeof depositVerificationResponseSchema>;
export class DepositVerificationResponseDto extends createZodDto(depositVerificationResponseSchema) {}

export const amountEntryResponseSchema = z.object({
  outcome: z.enum(['verified', 'wrong_amount', 'failed']),
  attemptsLeft: z.number().int(),
  verification: depositVerificationResponseSchema,
});
export class AmountEntryResponseDto extends createZodDto(amountEntryResponseSchema) {}
