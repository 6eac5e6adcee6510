import { createZodDto, lowerCaseFits } from '../common/zod';
import { z } from 'zod';

export class CreateProjectDto extends createZodDto(
  z.object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      // Its lower-case form is the unique key (a column of 64 characters too).
      .refine(...lowerCaseFits(64))
      .describe('Unique within the account (case-insensitive)'),
    description: z.string().trim().max(500).default(''),
  }),
) {}

export const listProjectsQuerySchema = z.object({
  includeDisabled: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const projectResponseSchema = z.object({
  id: z.string(),
  accountId: z.number().int(),
  name: z.string(),
  description: z.string(),
  status: z.enum(['active', 'disabled']),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ProjectResponse = z.infer<typeof projectResponseSchema>;
export class ProjectResponseDto extends createZodDto(projectResponseSchema) {}

export const billingRecordSchema = z.object({
  type: z.enum(['ledger_entry', 'order']),
  id: z.string(),
  kind: z.string().describe('Ledger entry kind (charge, refund, …) or order status'),
  amountFen: z.number().int(),
  description: z.string(),
  createdAt: z.string(),
});
export const projectBillingResponseSchema = z.object({
  projectId: z.string(),
  projectStatus: z.enum(['active', 'disabled']),
  records: z.array(billingRecordSchema),
});
export type ProjectBillingResponse = z.infer<typeof projectBillingResponseSchema>;
export class ProjectBillingResponseDto extends createZodDto(projectBillingResponseSchema) {}
