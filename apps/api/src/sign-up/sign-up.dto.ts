import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { IDENTITY_PROVIDERS } from '../../../../libs/integrations/src/identity/identity-provider.port';
import { accountResponseSchema, accountTypeSchema, emailSchema, siteSchema } from '../accounts/accounts.dto';
import { signInOutcomeSchema } from '../login-methods/login-methods.dto';

export class SignUpCodeRequestDto extends createZodDto(
  z.object({
    site: siteSchema,
    email: emailSchema,
  }),
) {}

export const codeSentSchema = z.object({
  expiresAt: z.string().describe('The code expires at this instant (10 minutes)'),
  resendAfterSeconds: z.number().int().describe('No new code to this destination before this many seconds'),
});
export type CodeSentResponse = z.infer<typeof codeSentSchema>;
export class CodeSentResponseDto extends createZodDto(codeSentSchema) {}

export const assertionSchema = z
  .string()
  .min(10)
  .max(4096)
  .describe(
    "The signed assertion the provider's OAuth callback handed over (sandbox: GET /sandbox/identity/authorize)",
  );

export class ThirdPartySignUpDto extends createZodDto(
  z.object({
    site: siteSchema,
    provider: z.enum(IDENTITY_PROVIDERS),
    assertion: assertionSchema,
    accountType: accountTypeSchema,
  }),
) {}

export const recommendationSchema = z.object({
  rule: z.literal('ACC-2'),
  recommendedMethods: z.array(z.enum(['email', 'wechat_oa'])),
  message: z.string(),
});

export const thirdPartySignUpResponseSchema = z.object({
  account: accountResponseSchema,
  signIn: signInOutcomeSchema.describe('ACC-4: the new account is signed in at once'),
  recommendation: recommendationSchema
    .nullable()
    .describe('ACC-2: present for an enterprise sign-up with QQ or WeChat'),
});
export type ThirdPartySignUpResponse = z.infer<typeof thirdPartySignUpResponseSchema>;
export class ThirdPartySignUpResponseDto extends createZodDto(
  thirdPartySignUpResponseSchema.extend({
    signIn: z.object({
      kind: z.enum(['session', 'mfa_required']),
      token: z.string().optional(),
      accountId: z.number().int().optional(),
      challengeId: z.string().optional(),
      expiresAt: z.string(),
    }),
  }),
) {}
