import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { amountFenSchema } from '../billing/billing.dto';

const projectId = z.string().min(1).max(26).nullable().optional();
const description = (d: string) => z.string().trim().min(1).max(200).default(d);

export class AdminLedgerDto extends createZodDto(
  z.object({
    amountFen: amountFenSchema,
    description: description('Sandbox ledger entry'),
    projectId,
    reference: z.string().trim().min(1).max(80).optional(),
  }),
) {}

export class AdminVoucherDto extends createZodDto(
  z.object({
    amountFen: amountFenSchema,
    description: description('Sandbox voucher'),
    expiresAt: z.string().datetime({ offset: true }).describe('ISO instant; judged against the API clock'),
  }),
) {}

export const orderStatus = z.enum(['unpaid', 'in_progress', 'complete']);
export class AdminOrderDto extends createZodDto(
  z.object({
    amountFen: amountFenSchema,
    description: description('Sandbox order'),
    projectId,
    status: orderStatus.default('unpaid'),
  }),
) {}
export class AdminOrderStatusDto extends createZodDto(z.object({ status: orderStatus })) {}

export class AdminOwedDto extends createZodDto(
  z.object({ amountFen: amountFenSchema, description: description('Sandbox amount owed'), projectId }),
) {}

const accountId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export class AdminComplaintDto extends createZodDto(
  z
    .object({
      complainantAccountId: accountId.nullable().optional(),
      respondentAccountId: accountId.nullable().optional(),
      subject: z.string().trim().min(1).max(200),
    })
    .refine((v) => v.complainantAccountId != null || v.respondentAccountId != null, {
      message: 'a complainant or a respondent account is required',
      path: ['complainantAccountId'],
    }),
) {}

export const resourceStatus = z.enum(['running', 'stopped', 'released']);
export class AdminResourceDto extends createZodDto(
  z.object({
    type: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be a lower-case type such as cloud_server')
      .default('cloud_server'),
    name: z.string().trim().min(1).max(128),
    projectId,
    status: resourceStatus.default('running'),
  }),
) {}
export class AdminResourceStatusDto extends createZodDto(z.object({ status: resourceStatus })) {}

export class AdminDomainDto extends createZodDto(
  z.object({
    name: z
      .string()
      .trim()
      .toLowerCase()
      .transform((s) => s.replace(/\.$/, ''))
      .pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a domain name')),
  }),
) {}

export class AdminIcpFilingDto extends createZodDto(
  z.object({ filingNumber: z.string().trim().min(4).max(64).describe('e.g. 京ICP备12345678号') }),
) {}

export const createdSchema = z.object({ id: z.string() }).passthrough();
export class CreatedDto extends createZodDto(createdSchema) {}
