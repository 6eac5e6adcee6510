import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { codeSchema, emailSchema } from '../accounts/accounts.dto';

const proof = z
  .string()
  .min(10)
  .max(200)
  .optional()
  .describe('Needed when one is already set: the proof from verifying the code sent to the current one');
const phone = z
  .string()
  .trim()
  .min(5)
  .max(32)
  .describe('Mainland mobile (13800138000) or +<country><number>');

export class VerifyCurrentDto extends createZodDto(z.object({ code: codeSchema })) {}
export class NewPhoneCodeDto extends createZodDto(z.object({ phone, proof })) {}
export class BindPhoneDto extends createZodDto(z.object({ phone, code: codeSchema, proof })) {}
export class NewEmailCodeDto extends createZodDto(z.object({ email: emailSchema, proof })) {}
export class BindEmailDto extends createZodDto(z.object({ email: emailSchema, code: codeSchema, proof })) {}

export const changeProofSchema = z.object({
  proof: z.string().describe('Single use; valid for 10 minutes'),
  expiresAt: z.string(),
});
export type ChangeProofResponse = z.infer<typeof changeProofSchema>;
export class ChangeProofResponseDto extends createZodDto(changeProofSchema) {}

export const securitySettingsSchema = z.object({
  securityPhone: z.string().nullable().describe('Masked'),
  securityEmail: z.string().nullable().describe('Masked; receives verification codes only (CON-3)'),
});
export type SecuritySettingsResponse = z.infer<typeof securitySettingsSchema>;
export class SecuritySettingsResponseDto extends createZodDto(securitySettingsSchema) {}
