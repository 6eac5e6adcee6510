import { createZodDto } from '../common/zod';
import { z } from 'zod';

export const emailSchema = z.string().trim().toLowerCase().email().max(254);
export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  // A pattern rather than a refinement, so that the OpenAPI document carries the rule.
  .regex(/[A-Za-z][\s\S]*[0-9]|[0-9][\s\S]*[A-Za-z]/, 'must contain letters and digits');

export const siteSchema = z
  .enum(['cn', 'intl'])
  .default('cn')
  .describe('ACC-11: China site (cn) or international site (intl); accounts never cross sites');
export const accountTypeSchema = z
  .enum(['personal', 'enterprise'])
  .default('personal')
  .describe('Chosen at sign-up (ACC-2)');
export const codeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be the 6-digit code');

export class SignUpDto extends createZodDto(
  z.object({
    site: siteSchema,
    email: emailSchema,
    code: codeSchema.describe('The code sent by POST /sign-up/email/codes (ACC-2)'),
    password: passwordSchema,
    accountType: accountTypeSchema,
  }),
) {}

/** LOG-2: advice the account information and the sign-in answer carry. */
export const adviceSchema = z.object({
  rule: z.literal('LOG-2'),
  code: z.literal('add_second_login_method'),
  message: z.string(),
  href: z.string().describe('The route that does what the advice says'),
});

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
  advice: z.array(adviceSchema).describe('What the owner should do next (LOG-2: a second login method)'),
});
export type AccountResponse = z.infer<typeof accountResponseSchema>;
export class AccountResponseDto extends createZodDto(accountResponseSchema) {}
