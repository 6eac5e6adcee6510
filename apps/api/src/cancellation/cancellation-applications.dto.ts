import { z } from 'zod';
import {
  CANCELLATION_BLOCKER_CODES,
  CANCELLATION_STATUSES,
  RISK_FLAGS,
} from '../../../../libs/domain/src/cancellation';
import { createZodDto } from '../common/zod';

export class ApplyCancellationDto extends createZodDto(
  z.object({
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be 6 digits')
      .describe('The code sent to the security phone by POST /accounts/me/cancellation/codes (CAN-8)'),
  }),
) {}

export const blockerSchema = z.object({
  code: z.enum(CANCELLATION_BLOCKER_CODES),
  message: z.string(),
  action: z.string().describe('What to do about it'),
  count: z.number().int(),
  href: z.string().describe('The route that lists what stands in the way'),
});

export const cancellationApplicationSchema = z.object({
  applicationId: z.string(),
  status: z.enum(CANCELLATION_STATUSES),
  blockers: z.array(blockerSchema).describe('CAN-1 / CAN-7: the conditions that stopped it'),
  riskFlags: z.array(z.enum(RISK_FLAGS)).describe('Why a reviewer looks at it (docs/rules-decisions.md)'),
  reasonCode: z.string().nullable().describe("A rejection's reason code"),
  coolingOffEndsAt: z.string().nullable(),
  coolingOffSecondsLeft: z
    .number()
    .int()
    .nullable()
    .describe('While cooling off: how long the owner may still withdraw'),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type CancellationApplicationResponse = z.infer<typeof cancellationApplicationSchema>;
export class CancellationApplicationDto extends createZodDto(cancellationApplicationSchema) {}
