import { z } from 'zod';
import { createZodDto } from '../common/zod';

const base64 = z
  .string()
  .max(4_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** A Temporal payload in the protobuf JSON form of the remote codec protocol. */
const payloadSchema = z
  .object({
    metadata: z
      .record(z.string().min(1).max(128), base64)
      .optional()
      .describe('Metadata values, base64 (e.g. `encoding`)'),
    data: base64.optional().describe('The payload bytes, base64'),
  })
  .strict();

export const codecBodySchema = z
  .object({ payloads: z.array(payloadSchema).max(1000).describe('At most 1000 payloads per call') })
  .strict();
export type CodecBody = z.infer<typeof codecBodySchema>;
export type JsonPayload = z.infer<typeof payloadSchema>;

export class CodecPayloadsDto extends createZodDto(codecBodySchema) {}

const codecSessionSchema = z.object({
  expiresAt: z.string().describe('When the cookie and its session end'),
});
export class CodecSessionDto extends createZodDto(codecSessionSchema) {}
export type CodecSession = z.infer<typeof codecSessionSchema>;
