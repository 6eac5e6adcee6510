import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { siteSchema } from '../accounts/accounts.dto';

export class FindAccountDto extends createZodDto(
  z.object({
    site: siteSchema,
    by: z.enum(['phone', 'account_id', 'domain', 'icp_filing']),
    value: z.string().trim().min(1).max(253),
  }),
) {}

/**
 * Issue 11 §1 (RN-2): by real-name information — a person's name and ID number, or an
 * enterprise's name and licence number. Both must match the account's current record.
 */
export class FindAccountByRealNameDto extends createZodDto(
  z.object({
    site: siteSchema,
    kind: z
      .enum(['personal', 'enterprise'])
      .describe('A person (ID number) or an enterprise (licence number)'),
    name: z.string().trim().min(1).max(200).describe("The person's or the enterprise's name"),
    certificateNumber: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-Z]{5,20}$/, 'must be 5–20 letters and digits')
      .describe('The ID number (personal) or the business licence number (enterprise)'),
  }),
) {}

export const findAccountResponseSchema = z.object({
  matches: z
    .array(
      z.object({
        accountId: z.string().describe('Masked account ID'),
        loginMethods: z.array(
          z.object({
            kind: z.enum(['email', 'qq', 'wechat', 'wechat_oa']),
            identifier: z.string().describe('Masked email or display name'),
          }),
        ),
      }),
    )
    .describe('Empty when nothing matched: the answer has the same shape either way'),
});
export type FindAccountResponse = z.infer<typeof findAccountResponseSchema>;
export class FindAccountResponseDto extends createZodDto(findAccountResponseSchema) {}
