import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { RECHARGE_CHANNELS, RECHARGE_STATUSES } from '../../../../libs/domain/src/recharge-verification';

const text = (max: number) => z.string().trim().min(1).max(max);

/** Business licence number / unified social credit code, as the deposit route takes it. */
export const licenceNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{15,18}$/, 'must be a business licence number (15–18 letters and digits)')
  .describe(
    'Business licence number / unified social credit code; one starting 12 is a public institution (RN-10)',
  );

// ---- RN-7: the methods ----

export const methodsResponseSchema = z.object({
  methods: z.array(
    z.object({
      method: z.enum(['official_account', 'deposit', 'recharge']),
      duration: z.string().describe('How long it takes (RN-7)'),
      publicInstitutions: z.boolean().describe('Open to public institutions (RN-10)'),
      path: z.string().describe('The route that starts it'),
    }),
  ),
  rechargeChannels: z
    .array(z.enum(RECHARGE_CHANNELS))
    .describe('RN-9: the channels a recharge may come through'),
  rechargeWindowDays: z.number().int(),
  rechargeConfirmBusinessDays: z.number().int(),
});
export type MethodsResponse = z.infer<typeof methodsResponseSchema>;
export class MethodsResponseDto extends createZodDto(methodsResponseSchema) {}

// ---- Official Account ----

export class OfficialAccountDto extends createZodDto(
  z.object({
    assertion: z
      .string()
      .min(1)
      .max(4096)
      .describe("The Official Account's signed assertion from its OAuth callback (single use)"),
  }),
) {}

export const officialAccountResponseSchema = z.object({
  realNameStatus: z.literal('enterprise'),
  method: z.literal('official_account'),
  enterprise: z.object({ name: z.string(), verifiedAt: z.string() }),
});
export type OfficialAccountResponse = z.infer<typeof officialAccountResponseSchema>;
export class OfficialAccountResponseDto extends createZodDto(officialAccountResponseSchema) {}

// ---- RN-9: recharge ----

export const submitRechargeSchema = z.object({
  enterpriseName: text(200).describe('Registered enterprise name; the paying account must be in this name'),
  licenceNumber: licenceNumberSchema,
});
export class SubmitRechargeDto extends createZodDto(submitRechargeSchema) {}

export const rechargeVerificationResponseSchema = z.object({
  verificationId: z.string(),
  status: z.enum(RECHARGE_STATUSES),
  amountFen: z.number().int().describe('The sum to pay, in fen (under 1 CNY, RN-9)'),
  payTo: z.object({
    accountName: z.string(),
    bankName: z.string(),
    accountNumber: z.string().describe("The account's own collection account"),
  }),
  channels: z.array(z.enum(RECHARGE_CHANNELS)).describe('RN-9: accepted channels'),
  deadline: z.string().describe('The payment must arrive by then (7 days, RN-9)'),
  enterpriseName: z.string(),
  unmatchedPayments: z
    .number()
    .int()
    .describe('Payments that did not match (wrong sum, another name…): credited to the balance all the same'),
  paidAt: z.string().nullable(),
  confirmBy: z.string().nullable().describe('Arrival + 1 business day (RN-7)'),
  refusal: z
    .object({ rule: z.string(), code: z.string() })
    .nullable()
    .describe('Status `refused`: the rule that refused the account when the payment matched'),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type RechargeVerificationResponse = z.infer<typeof rechargeVerificationResponseSchema>;
export class RechargeVerificationResponseDto extends createZodDto(rechargeVerificationResponseSchema) {}
