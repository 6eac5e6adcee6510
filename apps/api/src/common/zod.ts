import { ValidationError } from '../../../../libs/domain/src/errors';
import type { ZodTypeAny, z } from 'zod';

/** Parses a value that did not come through a DTO (query strings, params) into a 400 naming the field. */
export function parseOr400<T extends ZodTypeAny>(schema: T, value: unknown, fieldPrefix = ''): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data as z.infer<T>;
  const issue = r.error.issues[0];
  const field =
    [fieldPrefix, ...(issue?.path ?? [])].filter((p) => p !== '').join('.') || fieldPrefix || '(input)';
  throw new ValidationError(field, `${field}: ${issue?.message ?? 'invalid'}`);
}
