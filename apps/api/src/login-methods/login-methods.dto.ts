import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { IDENTITY_PROVIDERS } from '../../../../libs/integrations/src/identity/identity-provider.port';
import { codeSchema, siteSchema } from '../accounts/accounts.dto';

export const signInOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('session'),
    token: z.string().describe('Opaque bearer token; send as `Authorization: Bearer <token>`'),
    accountId: z.number().int(),
    expiresAt: z.string(),
  }),
  z.object({
    kind: z.literal('mfa_required'),
    challengeId: z.string().describe('MFA-2: complete sign-in with a code from the MFA device'),
    expiresAt: z.string(),
  }),
]);
export type SignInOutcomeResponse = z.infer<typeof signInOutcomeSchema>;

const assertion = z
  .string()
  .min(10)
  .max(4096)
  .describe(
    "The signed assertion the provider's OAuth callback handed over (sandbox: GET /sandbox/identity/authorize)",
  );

export class ThirdPartySignInDto extends createZodDto(
  z.object({
    site: siteSchema,
    provider: z.enum(IDENTITY_PROVIDERS),
    assertion,
  }),
) {}

export const accountChoiceSchema = z.object({
  kind: z.literal('choose_account'),
  selectionTicket: z
    .string()
    .describe('Single use; send back with the chosen option to POST /sessions/third-party/choice'),
  expiresAt: z.string(),
  accounts: z.array(
    z.object({
      option: z.number().int().describe('What to send back as `option`'),
      accountId: z.string().describe('Masked account ID'),
      label: z.string().describe('Masked registration email or display name'),
      signUpMethod: z.enum(['email', 'qq', 'wechat', 'wechat_oa']),
    }),
  ),
});

export const thirdPartySignInResponseSchema = z.union([signInOutcomeSchema, accountChoiceSchema]);
export type ThirdPartySignInResponse = z.infer<typeof thirdPartySignInResponseSchema>;

/** For the OpenAPI document: the three answers as one object, the fields present depending on `kind`. */
const signInOutcomeDoc = z.object({
  kind: z.enum(['session', 'mfa_required']),
  token: z.string().optional().describe('kind=session: the bearer token'),
  accountId: z.number().int().optional().describe('kind=session'),
  challengeId: z.string().optional().describe('kind=mfa_required (MFA-2)'),
  expiresAt: z.string(),
});
export class SignInOutcomeDto extends createZodDto(signInOutcomeDoc) {}
export class ThirdPartySignInResponseDto extends createZodDto(
  signInOutcomeDoc.extend({
    kind: z.enum(['session', 'mfa_required', 'choose_account']),
    selectionTicket: z.string().optional().describe('kind=choose_account (ACC-7)'),
    accounts: accountChoiceSchema.shape.accounts.optional().describe('kind=choose_account: masked'),
  }),
) {}

export class AccountChoiceDto extends createZodDto(
  z.object({
    selectionTicket: z.string().min(10).max(200),
    option: z.number().int().min(1).max(1000),
  }),
) {}

export const loginMethodSchema = z.object({
  id: z.string(),
  kind: z.enum(['email', 'qq', 'wechat', 'wechat_oa']),
  role: z.enum(['registration', 'associated']).describe('AS-2: only associated methods can be unbound'),
  identifier: z.string().describe('The email, or the provider display name'),
  createdAt: z.string(),
});
export type LoginMethodResponse = z.infer<typeof loginMethodSchema>;
export class LoginMethodResponseDto extends createZodDto(loginMethodSchema) {}

/** Checked as an email by the service, after AS-1 has had its say on sub-user login names. */
const candidateEmail = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(254)
  .describe('The email to associate (a sub-user login name `username@accountId` is refused by AS-1)');
export class LoginEmailCodeDto extends createZodDto(z.object({ email: candidateEmail })) {}
export class AssociateEmailDto extends createZodDto(z.object({ email: candidateEmail, code: codeSchema })) {}
export class AssociateThirdPartyDto extends createZodDto(
  z.object({
    provider: z.enum(['qq', 'wechat']),
    assertion,
  }),
) {}
