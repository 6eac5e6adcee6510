import type { ArgumentMetadata } from '@nestjs/common';
import { ZodValidationPipe } from 'nestjs-zod';
import { ValidationError } from '../../../../libs/domain/src/errors';
import { pathParamSchema, sanitizeInput } from './zod';

/**
 * The one global pipe: every body, query and path value is first checked for control
 * characters and normalised to NFC ({@link sanitizeInput}), then validated by its DTO's (strict)
 * zod schema as nestjs-zod does. Registered once, as the APP_PIPE of the API module.
 */
export class InputPipe extends ZodValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const field = metadata.type === 'body' ? '' : (metadata.data ?? '');
      value = sanitizeInput(value, field);
    }
    if (metadata.type === 'param' && metadata.data && typeof value === 'string') {
      const schema = pathParamSchema(metadata.data);
      const name = metadata.data;
      const checked = schema?.safeParse(value);
      if (checked && !checked.success)
        throw new ValidationError(name, `${name}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
    }
    return super.transform(value, metadata);
  }
}
