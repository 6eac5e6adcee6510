import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { PERMISSIONS } from '../../../../libs/domain/src/permissions';
import { passwordSchema } from '../accounts/accounts.dto';
import { deviceSchema } from '../mfa/mfa.dto';

export const permissionsSchema = z
  .array(z.enum(PERMISSIONS))
  .max(PERMISSIONS.length * 2)
  .transform((list) => [...new Set(list)])
  .describe(`Named permissions: ${PERMISSIONS.join(', ')}`);

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'must be 3–64 characters: letters, digits, dot, dash, underscore');

export const accountIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export class CreateSubUserDto extends createZodDto(
  z.object({
    username: usernameSchema,
    password: passwordSchema,
    displayName: z.string().trim().min(1).max(100).optional(),
    permissions: permissionsSchema.default([]),
  }),
) {}

export class SetPermissionsDto extends createZodDto(z.object({ permissions: permissionsSchema })) {}

export class SubUserSignInDto extends createZodDto(
  z.object({
    accountId: accountIdSchema.describe('The root account ID'),
    username: z.string().trim().toLowerCase().min(1).max(64),
    password: z.string().min(1).max(128),
    /** CON-2: required after the 3rd wrong password of the day (see `captcha_required`). */
    captcha: z
      .object({ challengeId: z.string().min(1).max(64), answer: z.string().min(1).max(32) })
      .optional(),
  }),
) {}

export const subUserResponseSchema = z.object({
  id: z.string(),
  accountId: z.number().int().describe('The root account'),
  username: z.string(),
  loginName: z.string().describe('`username@accountId`: what the sub-user signs in with'),
  displayName: z.string().nullable(),
  permissions: z.array(z.string()),
  createdAt: z.string(),
});
export type SubUserResponse = z.infer<typeof subUserResponseSchema>;
export class SubUserResponseDto extends createZodDto(subUserResponseSchema) {}

export const subUserSessionResponseSchema = z.object({
  kind: z.literal('session'),
  token: z.string().describe('Opaque bearer token; send as `Authorization: Bearer <token>`'),
  accountId: z.number().int(),
  subUserId: z.string(),
  expiresAt: z.string(),
});
export type SubUserSessionResponse = z.infer<typeof subUserSessionResponseSchema>;
export class SubUserSessionResponseDto extends createZodDto(subUserSessionResponseSchema) {}

export const subUserMfaSchema = z.object({
  loginProtection: z
    .boolean()
    .describe('MFA-2: on while a device is bound; every sign-in of the sub-user then needs a code'),
  device: deviceSchema.nullable().describe('The sub-user’s own device, pending or bound'),
});
export type SubUserMfaResponse = z.infer<typeof subUserMfaSchema>;
export class SubUserMfaDto extends createZodDto(subUserMfaSchema) {}

export const loginHistoryQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export class InviteCollaboratorDto extends createZodDto(
  z.object({
    accountId: accountIdSchema.describe('The existing account invited to collaborate'),
    permissions: permissionsSchema.default([]),
  }),
) {}

export const collaboratorResponseSchema = z.object({
  id: z.string(),
  rootAccountId: z.number().int(),
  memberAccountId: z.number().int(),
  status: z.enum(['invited', 'active']),
  permissions: z.array(z.string()),
  invitedAt: z.string(),
  acceptedAt: z.string().nullable(),
});
export type CollaboratorResponse = z.infer<typeof collaboratorResponseSchema>;
export class CollaboratorResponseDto extends createZodDto(collaboratorResponseSchema) {}

export class CreateMessageReceiverDto extends createZodDto(
  z
    .object({
      name: z.string().trim().min(1).max(100),
      email: z.string().trim().toLowerCase().email().max(254).optional(),
      phone: z
        .string()
        .trim()
        .regex(/^\+?\d{5,20}$/, 'must be digits with an optional leading +')
        .optional(),
    })
    .refine((v) => v.email !== undefined || v.phone !== undefined, {
      message: 'an email or a phone is required',
      path: ['email'],
    }),
) {}

export const messageReceiverResponseSchema = z.object({
  id: z.string(),
  accountId: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.string(),
});
export type MessageReceiverResponse = z.infer<typeof messageReceiverResponseSchema>;
export class MessageReceiverResponseDto extends createZodDto(messageReceiverResponseSchema) {}
