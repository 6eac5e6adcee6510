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
