import { z } from 'zod';
import { CANCELLATION_BLOCKER_CODES } from '../../../../libs/domain/src/cancellation';
import { createZodDto } from '../common/zod';

/** CAN-1: one unmet condition (libs/domain/src/cancellation.ts `CancellationBlocker`). */
export const cancellationBlockerSchema = z.object({
  code: z.enum(CANCELLATION_BLOCKER_CODES),
  message: z.string().describe('What stands in the way, for a person'),
  action: z.string().describe('What the owner does about it'),
  count: z
    .number()
    .int()
    .describe('How many things stand in the way; for amount_owed and cash_balance the amount in fen'),
  href: z.string().describe('The route that lists them, e.g. /orders or /sub-users'),
});
export class CancellationBlockerDto extends createZodDto(cancellationBlockerSchema) {}

export const cancellationEligibilitySchema = z.object({
  eligible: z.boolean().describe('True when nothing stands in the way (blockers is empty)'),
  blockers: z.array(cancellationBlockerSchema).describe('Every unmet condition at once (CAN-1)'),
});
export type CancellationEligibilityResponse = z.infer<typeof cancellationEligibilitySchema>;
export class CancellationEligibilityResponseDto extends createZodDto(cancellationEligibilitySchema) {}
