import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const emailSchema = z.string().trim().toLowerCase().email().max(254);
export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), 'must contain letters and digits');

export class SignUpDto extends createZodDto(
  z.object({
    email: emailSchema,
    password: passwordSchema,
  }),
) {}

export const accountResponseSchema = z.object({
  accountId: z.number().int().describe('ACC-1: unique, immutable numeric account ID'),
  email: z.string().nullable().describe('Registration email; null for QQ/WeChat/Official Account sign-ups'),
  site: z.enum(['cn', 'intl']).describe('ACC-11: the site the account lives on'),
  accountType: z.enum(['personal', 'enterprise']),
  signUpMethod: z.enum(['email', 'qq', 'wechat', 'wechat_oa']),
  status: z.enum(['active', 'cancelled']),
  realNameStatus: z.enum(['unverified', 'personal', 'enterprise']).describe('RN-11'),
  enterprise: z.object({ name: z.string(), verifiedAt: z.string() }).nullable(),
  createdAt: z.string(),
});
export type AccountResponse = z.infer<typeof accountResponseSchema>;
export class AccountResponseDto extends createZodDto(accountResponseSchema) {}
