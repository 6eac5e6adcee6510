import { createZodDto } from '../common/zod';
import { z } from 'zod';

export const amountFenSchema = z
  .number()
  .int('must be a whole number of fen')
  .positive()
  .max(1_000_000_000_000)
  .describe('Integer fen (1 CNY = 100 fen)');

export class WithdrawalDto extends createZodDto(
  z.object({
    amountFen: amountFenSchema,
    description: z.string().trim().min(1).max(200).default('Withdrawal to the bank account on file'),
  }),
) {}

export const balanceResponseSchema = z.object({
  accountId: z.number().int(),
  balanceFen: z.number().int().describe('The sum of the ledger'),
  currency: z.literal('CNY'),
});
export type BalanceResponse = z.infer<typeof balanceResponseSchema>;
export class BalanceResponseDto extends createZodDto(balanceResponseSchema) {}

export const ledgerEntryResponseSchema = z.object({
  id: z.string(),
  kind: z.enum(['recharge', 'withdrawal', 'charge', 'refund']),
  amountFen: z.number().int().describe('Signed: negative for withdrawals and charges'),
  projectId: z.string().nullable(),
  description: z.string(),
  reference: z.string().nullable(),
  createdAt: z.string(),
});
export type LedgerEntryResponse = z.infer<typeof ledgerEntryResponseSchema>;
export class LedgerEntryResponseDto extends createZodDto(ledgerEntryResponseSchema) {}

export const withdrawalResponseSchema = z.object({
  entry: ledgerEntryResponseSchema,
  balanceFen: z.number().int(),
});
export type WithdrawalResponse = z.infer<typeof withdrawalResponseSchema>;
export class WithdrawalResponseDto extends createZodDto(withdrawalResponseSchema) {}

export const voucherStatusSchema = z.enum(['unused', 'used', 'expired']);
export const voucherResponseSchema = z.object({
  id: z.string(),
  description: z.string(),
  amountFen: z.number().int(),
  status: voucherStatusSchema,
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type VoucherResponse = z.infer<typeof voucherResponseSchema>;
export class VoucherResponseDto extends createZodDto(voucherResponseSchema) {}

export const orderStatusSchema = z.enum(['unpaid', 'in_progress', 'complete']);
export const orderResponseSchema = z.object({
  id: z.string(),
  projectId: z.string().nullable(),
  description: z.string(),
  amountFen: z.number().int(),
  status: orderStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderResponse = z.infer<typeof orderResponseSchema>;
export class OrderResponseDto extends createZodDto(orderResponseSchema) {}

export const owedAmountResponseSchema = z.object({
  id: z.string(),
  projectId: z.string().nullable(),
  description: z.string(),
  amountFen: z.number().int(),
  settledAt: z.string().nullable(),
  createdAt: z.string(),
});
export const amountsOwedResponseSchema = z.object({
  totalOwedFen: z.number().int().describe('Sum of the unsettled amounts'),
  items: z.array(owedAmountResponseSchema),
});
export type AmountsOwedResponse = z.infer<typeof amountsOwedResponseSchema>;
export class AmountsOwedResponseDto extends createZodDto(amountsOwedResponseSchema) {}

export const statusQuery = <T extends z.ZodTypeAny>(status: T) => z.object({ status: status.optional() });
export const ledgerQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const owedQuerySchema = z.object({
  includeSettled: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
