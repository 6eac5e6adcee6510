import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class SignInDto extends createZodDto(
  z.object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(128),
  }),
) {}

export const sessionResponseSchema = z.object({
  token: z.string().describe('Opaque bearer token; send as `Authorization: Bearer <token>`'),
  accountId: z.number().int(),
  expiresAt: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
export class SessionResponseDto extends createZodDto(sessionResponseSchema) {}
