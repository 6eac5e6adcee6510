import { z } from 'zod';
import {
  FACE_FAILURE_REASONS,
  IDENTITY_DOCUMENT_TYPES,
  PERSONAL_VERIFICATION_STATUSES,
} from '../../../../libs/domain/src/personal-verification';
import { createZodDto } from '../common/zod';

export const submitPersonalSchema = z
  .object({
    name: z.string().trim().min(2).max(100).describe("The person's name as on the ID document"),
    documentType: z
      .enum(IDENTITY_DOCUMENT_TYPES)
      .describe(
        'RN-4: the China site takes `mainland_id_card` only; Hong Kong, Macau, Taiwan and foreign documents verify on the international site',
      ),
    idNumber: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-Z]{5,20}$/, 'must be 5–20 letters and digits')
      .describe('The number of the ID document (a mainland ID card: 18 characters, the last a digit or X)'),
  })
  .superRefine((v, ctx) => {
    if (v.documentType === 'mainland_id_card' && !/^\d{17}[\dX]$/.test(v.idNumber)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['idNumber'],
        message: 'a mainland ID card number is 17 digits and a check digit or X',
      });
    }
  });
export class SubmitPersonalDto extends createZodDto(submitPersonalSchema) {}

export const personalVerificationResponseSchema = z.object({
  verificationId: z.string(),
  status: z.enum(PERSONAL_VERIFICATION_STATUSES),
  documentType: z.enum(IDENTITY_DOCUMENT_TYPES),
  maskedIdNumber: z.string().describe('First and last characters only'),
  session: z
    .object({ sessionId: z.string(), livenessUrl: z.string(), expiresAt: z.string() })
    .nullable()
    .describe('Where to do the liveness step, while the verification waits for it'),
  failureReason: z.enum(FACE_FAILURE_REASONS).nullable().describe('RN-6: why the face verification failed'),
  failureMessage: z.string().nullable(),
  refusal: z
    .object({ rule: z.string(), code: z.string() })
    .nullable()
    .describe('A rule that refused the record when the face passed (RN-1, RN-2, RN-5)'),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type PersonalVerificationResponse = z.infer<typeof personalVerificationResponseSchema>;
export class PersonalVerificationResponseDto extends createZodDto(personalVerificationResponseSchema) {}
