import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { createZodDto as createNestZodDto } from 'nestjs-zod';
import { z, ZodFirstPartyTypeKind, type ZodTypeAny } from 'zod';
import { ValidationError } from '../../../../libs/domain/src/errors';

/**
 * The input rules every request shares, in one place (issue 8):
 * - every string, in a body, a query or a path, is refused when it holds a control character
 *   (C0, DEL, C1: PostgreSQL refuses NUL, and none of them belongs in a name, code or ID) and
 *   is otherwise normalised to NFC, before its DTO schema sees it ({@link sanitizeInput});
 * - every object of a DTO schema is strict: a field the schema does not name is a 400 naming it
 *   ({@link createZodDto});
 * - the OpenAPI document is generated from the same zod schemas ({@link zodToOpenApi}).
 */

/** C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** The same rule as the OpenAPI document states it, on every string. */
export const NO_CONTROL_CHARACTERS_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';
/** What a trimmed string with a minimum length must hold: something other than white space. */
const NOT_BLANK_PATTERN = '\\S';

/**
 * Walks a request value: refuses a control character in any string (or object key) with a 400
 * naming the field, and returns a copy with every string in NFC.
 */
export function sanitizeInput(value: unknown, field: string): unknown {
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value)) {
      const name = field || '(body)';
      throw new ValidationError(name, `${name}: must not contain control characters`);
    }
    return value.normalize('NFC');
  }
  if (Array.isArray(value)) return value.map((v, i) => sanitizeInput(v, join(field, String(i))));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = sanitizeInput(k, join(field, k)) as string;
      out[key] = sanitizeInput(v, join(field, key));
    }
    return out;
  }
  return value;
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/**
 * A refinement for text from which a key is derived (a lower-cased name): the key, not only the
 * text, must fit the column (lower-casing can lengthen a string, e.g. `İ` becomes two units).
 */
export function lowerCaseFits(max: number): [(s: string) => boolean, { message: string }] {
  return [
    (s) => s.toLowerCase().length <= max,
    { message: `must be at most ${max} characters in lower case` },
  ];
}

/** Record IDs are ULIDs (libs/domain/src/ids.ts): 26 characters of Crockford base 32. */
export const ulidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an ID (26 characters, ULID)');

/** ACC-1: a numeric account ID as text (a path segment or a header), a safe integer. */
export const accountIdTextSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be an account ID')
  .refine((s) => Number.isSafeInteger(Number(s)), 'must be an account ID');

/**
 * The schema of a path parameter, by its name: every `…Id` is a record ID except `accountId`.
 * The pipe checks each path value against it and the OpenAPI document shows it.
 */
export function pathParamSchema(name: string): ZodTypeAny | undefined {
  if (name === 'accountId') return accountIdTextSchema;
  // Human tasks are named by their workflow (a UUID it chose deterministically).
  if (name === 'taskId') return z.string().uuid('must be a task ID (a UUID)');
  if (name === 'id' || name.endsWith('Id')) return ulidSchema;
  return undefined;
}

/** Parses a value that did not come through a DTO (query strings, params) into a 400 naming the field. */
export function parseOr400<T extends ZodTypeAny>(schema: T, value: unknown, fieldPrefix = ''): z.infer<T> {
  const r = schema.safeParse(sanitizeInput(value, fieldPrefix));
  if (r.success) return r.data as z.infer<T>;
  const issue = r.error.issues[0];
  const field =
    [fieldPrefix, ...(issue?.path ?? [])].filter((p) => p !== '').join('.') || fieldPrefix || '(input)';
  throw new ValidationError(field, `${field}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Every object in `schema` made strict (unknown keys refused), unless it says otherwise
 * (`.passthrough()`, `.catchall()`).
 */
export function strictDeep<T extends ZodTypeAny>(schema: T): T {
  return strictify(schema) as T;
}

function strictify(s: ZodTypeAny): ZodTypeAny {
  const def = s._def as { typeName: ZodFirstPartyTypeKind } & Record<string, unknown>;
  const Ctor = s.constructor as new (d: unknown) => ZodTypeAny;
  switch (def.typeName) {
    case ZodFirstPartyTypeKind.ZodObject: {
      const o = s as z.AnyZodObject;
      const entries = Object.entries(o.shape as Record<string, ZodTypeAny>);
      const shape = Object.fromEntries(entries.map(([k, v]) => [k, strictify(v)]));
      const strip = def['unknownKeys'] === 'strip' && def['catchall'] instanceof z.ZodNever;
      return new Ctor({ ...def, shape: () => shape, unknownKeys: strip ? 'strict' : def['unknownKeys'] });
    }
    case ZodFirstPartyTypeKind.ZodOptional:
    case ZodFirstPartyTypeKind.ZodNullable:
    case ZodFirstPartyTypeKind.ZodDefault:
    case ZodFirstPartyTypeKind.ZodCatch:
    case ZodFirstPartyTypeKind.ZodReadonly:
      return new Ctor({ ...def, innerType: strictify(def['innerType'] as ZodTypeAny) });
    case ZodFirstPartyTypeKind.ZodEffects:
      return new Ctor({ ...def, schema: strictify(def['schema'] as ZodTypeAny) });
    case ZodFirstPartyTypeKind.ZodArray:
      return new Ctor({ ...def, type: strictify(def['type'] as ZodTypeAny) });
    case ZodFirstPartyTypeKind.ZodUnion:
      return new Ctor({ ...def, options: (def['options'] as ZodTypeAny[]).map(strictify) });
    case ZodFirstPartyTypeKind.ZodDiscriminatedUnion: {
      const du = s as z.ZodDiscriminatedUnion<string, z.AnyZodObject[]>;
      return z.discriminatedUnion(
        du.discriminator,
        du.options.map((option) => strictify(option)) as unknown as [z.AnyZodObject, ...z.AnyZodObject[]],
      );
    }
    case ZodFirstPartyTypeKind.ZodPipeline:
      return new Ctor({
        ...def,
        in: strictify(def['in'] as ZodTypeAny),
        out: strictify(def['out'] as ZodTypeAny),
      });
    default:
      return s;
  }
}

/** Class name → schema of every DTO the OpenAPI document names (filled as Swagger reads them). */
const DTO_SCHEMAS = new Map<string, ZodTypeAny>();

/**
 * The project's `createZodDto`: nestjs-zod's, with every object strict ({@link strictDeep}), and
 * registered so that the OpenAPI document describes it from the zod schema in full
 * ({@link dtoSchemasForDocument}). ESLint forbids the nestjs-zod one elsewhere.
 */
export function createZodDto<T extends ZodTypeAny>(schema: T) {
  const strict = strictDeep(schema);
  const Base = createNestZodDto(strict);
  const base = Base as unknown as { _OPENAPI_METADATA_FACTORY(): unknown };
  const factory = base._OPENAPI_METADATA_FACTORY.bind(base);
  Object.defineProperty(Base, '_OPENAPI_METADATA_FACTORY', {
    value: function (this: { name: string }) {
      DTO_SCHEMAS.set(this.name, strict);
      return factory();
    },
  });
  return Base;
}

/**
 * A DTO class for a body that is a union (one shape per `kind`): TypeScript cannot extend a class
 * whose instances are a union, so the class stands for "validated by the schema" and the handler
 * reads the body through {@link unionBody}.
 */
export function createZodUnionDto<T extends ZodTypeAny>(
  schema: T,
): (new () => { readonly __body?: z.infer<T> }) & {
  schema: T;
} {
  return createZodDto(schema);
}

/** The validated body of a {@link createZodUnionDto} class. */
export function unionBody<T>(dto: { readonly __body?: T }): T {
  return dto as unknown as T;
}

export function dtoSchemasForDocument(): ReadonlyMap<string, ZodTypeAny> {
  return DTO_SCHEMAS;
}

/** Documents each key of a query schema as a query parameter, from the schema itself. */
export function ApiQueryFrom(schema: z.AnyZodObject): MethodDecorator {
  return applyDecorators(
    ...Object.entries(schema.shape as Record<string, ZodTypeAny>).map(([name, field]) => {
      const { description, ...rest } = zodToOpenApi(field);
      return ApiQuery({
        name,
        required: !field.isOptional(),
        description: typeof description === 'string' ? description : undefined,
        schema: rest,
      });
    }),
  );
}

export type OpenApiSchema = Record<string, unknown>;

/**
 * A zod (v3) schema as an OpenAPI 3.0 schema, with what the server enforces: integer types and
 * bounds, lengths, patterns, enums, nullability, defaults, and `additionalProperties: false` on
 * strict objects. Refinements and transforms are described by their input schema.
 */
export function zodToOpenApi(schema: ZodTypeAny): OpenApiSchema {
  const out: OpenApiSchema = {};
  const def = schema._def as { typeName: ZodFirstPartyTypeKind } & Record<string, unknown>;
  switch (def.typeName) {
    case ZodFirstPartyTypeKind.ZodString: {
      out['type'] = 'string';
      const patterns: string[] = [NO_CONTROL_CHARACTERS_PATTERN];
      const checks = (schema as z.ZodString)._def.checks;
      const trimmed = checks.some((c) => c.kind === 'trim');
      for (const check of checks) {
        switch (check.kind) {
          case 'min':
            out['minLength'] = check.value;
            if (trimmed && check.value > 0) patterns.push(NOT_BLANK_PATTERN);
            break;
          case 'max':
            out['maxLength'] = check.value;
            break;
          case 'length':
            out['minLength'] = check.value;
            out['maxLength'] = check.value;
            break;
          case 'email':
            out['format'] = 'email';
            break;
          case 'url':
            out['format'] = 'uri';
            break;
          case 'uuid':
            out['format'] = 'uuid';
            break;
          case 'datetime':
            out['format'] = 'date-time';
            break;
          case 'regex':
            patterns.push(check.regex.source);
            break;
          default:
            break;
        }
      }
      // A pattern of the schema's own says more than the control-character rule (and excludes them).
      const own = patterns.length > 1 ? patterns.slice(1) : patterns;
      if (own.length === 1) out['pattern'] = own[0];
      else out['allOf'] = own.map((pattern) => ({ pattern }));
      break;
    }
    case ZodFirstPartyTypeKind.ZodNumber: {
      out['type'] = 'number';
      for (const check of (schema as z.ZodNumber)._def.checks) {
        if (check.kind === 'int') out['type'] = 'integer';
        else if (check.kind === 'min') {
          out['minimum'] = check.value;
          if (!check.inclusive) out['exclusiveMinimum'] = true;
        } else if (check.kind === 'max') {
          out['maximum'] = check.value;
          if (!check.inclusive) out['exclusiveMaximum'] = true;
        } else if (check.kind === 'multipleOf') out['multipleOf'] = check.value;
      }
      break;
    }
    case ZodFirstPartyTypeKind.ZodBigInt:
      out['type'] = 'integer';
      break;
    case ZodFirstPartyTypeKind.ZodBoolean:
      out['type'] = 'boolean';
      break;
    case ZodFirstPartyTypeKind.ZodDate:
      out['type'] = 'string';
      out['format'] = 'date-time';
      break;
    case ZodFirstPartyTypeKind.ZodLiteral: {
      const value = def['value'];
      out['type'] = typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value;
      out['enum'] = [value];
      break;
    }
    case ZodFirstPartyTypeKind.ZodEnum:
      out['type'] = 'string';
      out['enum'] = [...(def['values'] as string[])];
      break;
    case ZodFirstPartyTypeKind.ZodNativeEnum: {
      const values = Object.values(def['values'] as Record<string, string | number>);
      out['type'] = values.every((v) => typeof v === 'number') ? 'number' : 'string';
      out['enum'] = values;
      break;
    }
    case ZodFirstPartyTypeKind.ZodArray: {
      const a = def as unknown as z.ZodArrayDef;
      out['type'] = 'array';
      out['items'] = zodToOpenApi(a.type);
      if (a.minLength) out['minItems'] = a.minLength.value;
      if (a.maxLength) out['maxItems'] = a.maxLength.value;
      if (a.exactLength) {
        out['minItems'] = a.exactLength.value;
        out['maxItems'] = a.exactLength.value;
      }
      break;
    }
    case ZodFirstPartyTypeKind.ZodObject: {
      const o = schema as z.AnyZodObject;
      out['type'] = 'object';
      const properties: Record<string, OpenApiSchema> = {};
      const required: string[] = [];
      for (const [key, field] of Object.entries(o.shape as Record<string, ZodTypeAny>)) {
        properties[key] = zodToOpenApi(field);
        if (!field.isOptional()) required.push(key);
      }
      out['properties'] = properties;
      if (required.length > 0) out['required'] = required;
      const catchall = o._def.catchall as ZodTypeAny;
      if (!(catchall instanceof z.ZodNever)) out['additionalProperties'] = zodToOpenApi(catchall);
      else if (o._def.unknownKeys === 'strict') out['additionalProperties'] = false;
      break;
    }
    case ZodFirstPartyTypeKind.ZodRecord:
      out['type'] = 'object';
      out['additionalProperties'] = zodToOpenApi(def['valueType'] as ZodTypeAny);
      break;
    case ZodFirstPartyTypeKind.ZodUnion:
    case ZodFirstPartyTypeKind.ZodDiscriminatedUnion: {
      const options = (schema as z.ZodUnion<[ZodTypeAny, ...ZodTypeAny[]]>).options as readonly ZodTypeAny[];
      out['oneOf'] = options.map((option) => zodToOpenApi(option));
      break;
    }
    case ZodFirstPartyTypeKind.ZodIntersection:
      out['allOf'] = [zodToOpenApi(def['left'] as ZodTypeAny), zodToOpenApi(def['right'] as ZodTypeAny)];
      break;
    case ZodFirstPartyTypeKind.ZodOptional:
      Object.assign(out, zodToOpenApi(def['innerType'] as ZodTypeAny));
      break;
    case ZodFirstPartyTypeKind.ZodNullable:
      Object.assign(out, zodToOpenApi(def['innerType'] as ZodTypeAny));
      if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
      out['nullable'] = true;
      break;
    case ZodFirstPartyTypeKind.ZodDefault:
      Object.assign(out, zodToOpenApi(def['innerType'] as ZodTypeAny));
      out['default'] = (def['defaultValue'] as () => unknown)();
      break;
    case ZodFirstPartyTypeKind.ZodCatch:
    case ZodFirstPartyTypeKind.ZodReadonly:
      Object.assign(out, zodToOpenApi(def['innerType'] as ZodTypeAny));
      break;
    case ZodFirstPartyTypeKind.ZodBranded:
      Object.assign(out, zodToOpenApi(def['type'] as ZodTypeAny));
      break;
    case ZodFirstPartyTypeKind.ZodEffects:
      Object.assign(out, zodToOpenApi(def['schema'] as ZodTypeAny));
      break;
    case ZodFirstPartyTypeKind.ZodPipeline:
      Object.assign(out, zodToOpenApi(def['in'] as ZodTypeAny));
      break;
    case ZodFirstPartyTypeKind.ZodLazy:
      Object.assign(out, zodToOpenApi((def['getter'] as () => ZodTypeAny)()));
      break;
    default:
      break;
  }
  if (schema.description) out['description'] = schema.description;
  return out;
}
