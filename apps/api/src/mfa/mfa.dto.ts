import { createZodDto } from '../common/zod';
import { z } from 'zod';

const code = z.string().regex(/^\d{6}$/, 'must be 6 digits');
const name = z.string().trim().min(1).max(64);
const serial = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{4,64}$/, 'must be 4–64 letters, digits or dashes');

export class CreateVirtualDeviceDto extends createZodDto(
  z.object({ name: name.default('Authenticator app') }),
) {}
export class ConfirmDeviceDto extends createZodDto(z.object({ code })) {}
export class BindHardwareDto extends createZodDto(
  z.object({ serial, code, name: name.default('Hardware token') }),
) {}
export class ProtectionDto extends createZodDto(
  z
    .object({ loginProtection: z.boolean().optional(), operationProtection: z.boolean().optional() })
    .refine((v) => v.loginProtection !== undefined || v.operationProtection !== undefined, {
      message: 'give loginProtection and/or operationProtection',
    }),
) {}
export class RegisterHardwareTokenDto extends createZodDto(
  z.object({
    serial,
    seed: z
      .string()
      .trim()
      .transform((s) => s.replace(/\s+/g, '').toUpperCase())
      .describe('Base32 TOTP seed from the vendor seed file'),
  }),
) {}

export const deviceSchema = z.object({
  id: z.string(),
  kind: z.enum(['virtual', 'hardware']),
  name: z.string(),
  serial: z.string().nullable(),
  status: z.enum(['pending', 'bound']).describe('pending until a first code is proven (MFA-4)'),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
});
export type DeviceResponse = z.infer<typeof deviceSchema>;
export class DeviceDto extends createZodDto(deviceSchema) {}

export const protectionSchema = z.object({
  loginProtection: z.boolean().describe('MFA-2'),
  operationProtection: z.boolean().describe('MFA-3'),
});
export class ProtectionResponseDto extends createZodDto(protectionSchema) {}

export const overviewSchema = protectionSchema.extend({ devices: z.array(deviceSchema) });
export type OverviewResponse = z.infer<typeof overviewSchema>;
export class OverviewDto extends createZodDto(overviewSchema) {}

export const newVirtualSchema = z.object({
  device: deviceSchema,
  secret: z.string().describe('Base32 secret, shown once'),
  otpauthUri: z.string().describe('otpauth:// URI to render as a QR code, shown once'),
});
export type NewVirtualResponse = z.infer<typeof newVirtualSchema>;
export class NewVirtualDto extends createZodDto(newVirtualSchema) {}

export const hardwareTokenSchema = z.object({
  serial: z.string(),
  registeredAt: z.string(),
  bound: z.boolean(),
});
export type HardwareTokenResponse = z.infer<typeof hardwareTokenSchema>;
export class HardwareTokenDto extends createZodDto(hardwareTokenSchema) {}
export class HardwareTokenListDto extends createZodDto(z.object({ items: z.array(hardwareTokenSchema) })) {}
