import { z } from 'zod';
import { ValidationError } from '../../../../libs/domain/src/errors';
import { sanitizeInput, strictDeep, zodToOpenApi } from './zod';

describe('shared input rules', () => {
  it('refuses control characters by field path and normalises text to NFC', () => {
    expect(sanitizeInput({ a: { b: ['ok', 'Cafe\u0301'] } }, '')).toEqual({ a: { b: ['ok', 'Caf\u00e9'] } });
    expect(() => sanitizeInput({ a: { b: ['ok', 'x\u0000'] } }, '')).toThrow(ValidationError);
    const caught = (() => {
      try {
        sanitizeInput({ a: { b: ['ok', 'x\u0000'] } }, '');
        return undefined;
      } catch (err) {
        return err as ValidationError;
      }
    })();
    expect(caught?.field).toBe('a.b.1');
    expect(() => sanitizeInput('\u009b', 'q')).toThrow('q: must not contain control characters');
  });

  it('makes every object strict, except where a schema says otherwise', () => {
    const schema = strictDeep(
      z.object({
        inner: z.object({ a: z.string() }).optional(),
        list: z.array(z.object({ b: z.number() })).default([]),
        open: z.object({ c: z.string() }).passthrough(),
      }),
    );
    expect(schema.safeParse({ x: 1, open: { c: '' } }).success).toBe(false);
    expect(schema.safeParse({ inner: { a: '', y: 1 }, open: { c: '' } }).success).toBe(false);
    expect(schema.safeParse({ list: [{ b: 1, z: 1 }], open: { c: '' } }).success).toBe(false);
    expect(schema.safeParse({ open: { c: '', extra: 1 } }).success).toBe(true);
  });

  it('documents what it enforces', () => {
    const doc = zodToOpenApi(
      strictDeep(
        z.object({
          n: z.number().int().min(1).max(99),
          s: z
            .string()
            .trim()
            .min(1)
            .max(10)
            .regex(/^[a-z]+$/),
          e: z.enum(['a', 'b']).nullable(),
          d: z.coerce.number().int().default(20),
        }),
      ),
    );
    expect(doc).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['n', 's', 'e'],
      properties: {
        n: { type: 'integer', minimum: 1, maximum: 99 },
        s: {
          type: 'string',
          minLength: 1,
          maxLength: 10,
          allOf: [{ pattern: '\\S' }, { pattern: '^[a-z]+$' }],
        },
        e: { type: 'string', enum: ['a', 'b', null], nullable: true },
        d: { type: 'integer', default: 20 },
      },
    });
  });
});
