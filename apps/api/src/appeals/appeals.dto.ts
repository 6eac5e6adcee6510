import { z } from 'zod';
import { SITES } from '../../../../libs/persistence/src/entities';
import { REVIEW_KINDS } from '../../../../libs/domain/src/review';
import { createZodDto, createZodUnionDto, ulidSchema } from '../common/zod';
import { documentSummarySchema } from '../documents/documents.mapper';

const email = z.string().trim().toLowerCase().email('must be an email address').max(254);
const phone = z
  .string()
  .trim()
  .min(5)
  .max(24)
  .describe('A phone number; a bare mainland mobile number gets +86');

const person = z
  .object({
    realName: z.string().trim().min(1).max(100),
    idNumber: z
      .string()
      .trim()
      .regex(/^[0-9]{17}[0-9Xx]$/, 'must be an 18-character ID number'),
  })
  .describe('A person: the name and ID number of the real-name record');
const enterprise = z
  .object({
    companyName: z.string().trim().min(1).max(200),
    certificateNumber: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z]{8,64}$/, 'must be a licence (certificate) number'),
    applicantName: z.string().trim().min(1).max(100),
    applicantIdNumber: z
      .string()
      .trim()
      .regex(/^[0-9]{17}[0-9Xx]$/, 'must be an 18-character ID number'),
  })
  .describe("An enterprise: its name and certificate number, and the applicant's name and ID number");

const securityPhoneCase = z.object({
  kind: z.literal('security-phone-appeal').describe('CON-1(b): a new security phone'),
  newPhone: phone,
});
const registrationEmailCase = z.object({
  kind: z.literal('registration-email-appeal').describe('AS-2: a new registration email'),
  newEmail: email,
});
const mfaDeviceCase = z.object({
  kind: z.literal('mfa-device-appeal').describe('MFA-5: unbind a lost MFA device'),
  reachablePhone: phone,
  person: person.optional(),
  enterprise: enterprise.optional(),
});
const signInCase = z.object({
  kind: z.literal('sign-in-appeal').describe('LOG-1: cannot sign in; make a new email a login method'),
  newEmail: email,
  basicInfo: z
    .object({
      registeredIn: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
        .optional()
        .describe('The month the account was registered'),
      signUpMethod: z.enum(['email', 'qq', 'wechat', 'wechat_oa']).optional(),
      realName: z.string().trim().min(1).max(100).optional(),
      recentActivity: z
        .string()
        .trim()
        .min(1)
        .max(500)
        .optional()
        .describe('What the account was last used for'),
    })
    .describe("The account's basic information, as the owner remembers it"),
});
const payoutCase = z.object({
  kind: z.literal('payout-appeal').describe('RN-8: the deposit payout did not arrive'),
  verificationId: ulidSchema,
});

/** An owner (signed in) opens an appeal of these kinds. */
export const ownerAppealSchema = z.discriminatedUnion('kind', [
  registrationEmailCase,
  payoutCase,
  securityPhoneCase,
  mfaDeviceCase,
]);
export class OwnerAppealDto extends createZodUnionDto(ownerAppealSchema) {}

const accountName = z
  .string()
  .trim()
  .min(1)
  .max(254)
  .describe('The account: its 16-digit account ID or its login email');
const contact = z
  .string()
  .trim()
  .min(5)
  .max(254)
  .describe('A phone or email the applicant can receive codes on now; the case is followed there');
const captcha = z
  .object({ challengeId: z.string().min(1).max(64), answer: z.string().min(1).max(32) })
  .optional()
  .describe('Needed after 3 wrong codes in a day (CON-2)');
const sessionless = {
  site: z.enum(SITES).default('cn'),
  account: accountName,
  contact,
  code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
  captcha,
};

/** People who cannot sign in (LOG-1, MFA-5, CON-1b) apply with a code to a reachable contact. */
export const sessionlessAppealSchema = z.discriminatedUnion('kind', [
  signInCase.extend(sessionless),
  mfaDeviceCase.extend(sessionless),
  securityPhoneCase.extend(sessionless),
]);
export class SessionlessAppealDto extends createZodUnionDto(sessionlessAppealSchema) {}

export class AppealCodeDto extends createZodDto(
  z.object({ site: z.enum(SITES).default('cn'), account: accountName, contact }),
) {}

export const appealCodeSentSchema = z.object({
  expiresAt: z.string(),
  resendAfterSeconds: z.number().int(),
});
export class AppealCodeSentDto extends createZodDto(appealCodeSentSchema) {}

export class AnswerDto extends createZodDto(
  z
    .object({
      note: z.string().trim().min(1).max(2000).optional(),
      documentIds: z
        .array(ulidSchema)
        .max(8)
        .default([])
        .describe('Documents uploaded to the case for this answer'),
    })
    .refine((a) => a.note !== undefined || a.documentIds.length > 0, {
      message: 'an answer needs a note or documents',
      path: ['note'],
    }),
) {}

export const appealSchema = z.object({
  caseId: z.string(),
  kind: z.enum(REVIEW_KINDS),
  status: z
    .string()
    .describe(
      'draft, in_review, information_requested, awaiting_second_approval, applying, approved, rejected, withdrawn, abandoned',
    ),
  requiredDocuments: z
    .array(z.string())
    .describe('Labels of the documents the case needs before it can be submitted'),
  documents: z.array(documentSummarySchema),
  informationRequest: z
    .object({ message: z.string(), answerBy: z.string().nullable() })
    .nullable()
    .describe('What the reviewer asked for, while the case waits for the applicant'),
  reasonCode: z.string().nullable(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  caseToken: z
    .string()
    .optional()
    .describe(
      'Only when the case is created without a session: send it as X-Case-Token to follow and answer the case',
    ),
});
export type AppealResponse = z.infer<typeof appealSchema>;
export class AppealResponseDto extends createZodDto(appealSchema) {}

export const CASE_TOKEN_HEADER = 'X-Case-Token';
