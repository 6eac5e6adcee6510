import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { adviceSchema } from '../accounts/accounts.dto';
import { SITES } from '../../../../libs/persistence/src/entities/account.entity';

export class SignInDto extends createZodDto(
  z.object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(128),
    /** ACC-11: the site the account lives on. */
    site: z.enum(SITES).default('cn'),
    /** CON-2: required after the 3rd wrong password of the day (see `captcha_required`). */
    captcha: z
      .object({ challengeId: z.string().min(1).max(64), answer: z.string().min(1).max(32) })
      .optional(),
  }),
) {}

export const sessionResponseSchema = z.object({
  kind: z.literal('session'),
  token: z.string().describe('Opaque bearer token; send as `Authorization: Bearer <token>`'),
  accountId: z.number().int(),
  expiresAt: z.string(),
  advice: z.array(adviceSchema).describe('LOG-2: advice to bind a second login method'),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
export class SessionResponseDto extends createZodDto(sessionResponseSchema) {}

export const mfaChallengeResponseSchema = z.object({
  kind: z.literal('mfa_required'),
  challengeId: z.string().describe('Send with a code from a bound MFA device to POST /sessions/mfa'),
  expiresAt: z.string(),
});
export class MfaChallengeResponseDto extends createZodDto(mfaChallengeResponseSchema) {}

export class MfaSignInDto extends createZodDto(
  z.object({
    challengeId: z.string().min(1).max(64),
    code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
  }),
) {}

/** Exactly one of `code` and `password`. */
export const stepUpSchema = z
  .object({
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be 6 digits')
      .optional()
      .describe('A code of a bound MFA device'),
    password: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('The account password (does not count while operation protection is on)'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.code === undefined) === (v.password === undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [v.code === undefined ? 'password' : 'code'],
        message: 'give either `code` or `password`, not both and not neither',
      });
    }
  });
export class StepUpDto extends createZodDto(stepUpSchema) {}

export const stepUpResponseSchema = z.object({
  expiresAt: z.string().describe('Sensitive operations in this session pass until then (MFA-3)'),
  factor: z.enum(['password', 'mfa', 'identity']).describe('What was proven'),
});
export class StepUpResponseDto extends createZodDto(stepUpResponseSchema) {}

export const sessionInfoSchema = z.object({
  id: z.string(),
  current: z.boolean().describe('The session this request was made with'),
  createdAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export class SessionListDto extends createZodDto(z.object({ items: z.array(sessionInfoSchema) })) {}

export const revokedResponseSchema = z.object({ revoked: z.number().int() });
export class RevokedResponseDto extends createZodDto(revokedResponseSchema) {}

export const captchaChallengeSchema = z.object({
  challengeId: z.string(),
  expiresAt: z.string(),
  prompt: z.string(),
});
export class CaptchaChallengeDto extends createZodDto(captchaChallengeSchema) {}
