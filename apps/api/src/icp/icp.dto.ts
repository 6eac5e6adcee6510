import { createZodDto } from '../common/zod';
import { z } from 'zod';

export class StartIcpTransferDto extends createZodDto(
  z.object({
    targetAccountId: z.coerce
      .number()
      .int()
      .positive()
      .max(Number.MAX_SAFE_INTEGER)
      .describe('The account that will hold the filing once it accepts'),
  }),
) {}

export const transfersQuerySchema = z.object({
  direction: z.enum(['incoming', 'outgoing']).optional(),
  status: z.enum(['pending', 'accepted', 'declined', 'cancelled']).optional(),
});

export const icpTransferResponseSchema = z.object({
  id: z.string(),
  filingId: z.string(),
  filingNumber: z.string(),
  fromAccountId: z.number().int(),
  toAccountId: z.number().int(),
  direction: z.enum(['incoming', 'outgoing']).describe('Seen from the acting account'),
  status: z.enum(['pending', 'accepted', 'declined', 'cancelled']),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type IcpTransferResponse = z.infer<typeof icpTransferResponseSchema>;
export class IcpTransferResponseDto extends createZodDto(icpTransferResponseSchema) {}

export const icpFilingResponseSchema = z.object({
  id: z.string(),
  filingNumber: z.string(),
  pendingTransferId: z.string().nullable().describe('ACC-15: a transfer waiting for the target account'),
  createdAt: z.string(),
});
export type IcpFilingResponse = z.infer<typeof icpFilingResponseSchema>;
export class IcpFilingResponseDto extends createZodDto(icpFilingResponseSchema) {}
