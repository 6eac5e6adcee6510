import { createZodDto } from '../common/zod';
import { z } from 'zod';

export const resourceStatusSchema = z.enum(['running', 'stopped', 'released']);
export const resourcesQuerySchema = z.object({
  projectId: z.string().min(1).max(26).optional(),
  includeReleased: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const resourceResponseSchema = z.object({
  id: z.string(),
  type: z.string().describe('e.g. cloud_server, database, object_storage'),
  name: z.string(),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  status: resourceStatusSchema,
  inUse: z.boolean().describe('Every status but released'),
  createdAt: z.string(),
});
export type ResourceResponse = z.infer<typeof resourceResponseSchema>;
export class ResourceResponseDto extends createZodDto(resourceResponseSchema) {}

export class MoveResourceDto extends createZodDto(
  z.object({
    projectId: z.string().min(1).max(26).nullable().describe('The target project; null: no project'),
  }),
) {}

export class ResourceAccountTransferDto extends createZodDto(
  z.object({ targetAccountId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
) {}

export const complaintsQuerySchema = z.object({
  status: z.enum(['open', 'closed']).optional(),
  role: z.enum(['by', 'against']).optional(),
});
export const complaintResponseSchema = z.object({
  id: z.string(),
  role: z.enum(['by', 'against']).describe('Made by this account, or against it'),
  complainantAccountId: z.number().int().nullable(),
  respondentAccountId: z.number().int().nullable(),
  subject: z.string(),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type ComplaintResponse = z.infer<typeof complaintResponseSchema>;
export class ComplaintResponseDto extends createZodDto(complaintResponseSchema) {}

export const domainResponseSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
export type DomainResponse = z.infer<typeof domainResponseSchema>;
export class DomainResponseDto extends createZodDto(domainResponseSchema) {}
