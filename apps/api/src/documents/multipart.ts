import {
  applyDecorators,
  createParamDecorator,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import {
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_LABEL_PATTERN,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENT_SIZE_TEXT,
  MAX_DOCUMENTS_PER_CASE,
  documentTooLarge,
  tooManyDocumentsInRequest,
} from '../../../../libs/domain/src/documents';
import {
  DomainError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import type { DocumentUpload } from './documents.service';

/** The multipart field that carries the files (repeated, one part per file). */
export const FILES_FIELD = 'files';
/** The multipart field that carries one label per file, in the files' order (repeated, or comma-separated). */
export const LABELS_FIELD = 'labels';

export interface DocumentUploadOptions {
  /** Text fields besides `labels` the route takes (they stay in `@Body()`); default 8. */
  extraFields?: number;
  /** Longest text field value in bytes; default 4096. */
  maxFieldBytes?: number;
}

const UPLOADED = Symbol('uploadedDocuments');

interface UploadRequest extends Request {
  /** Set by multer's `any()`: every file of the request. */
  files?: unknown;
  [UPLOADED]?: DocumentUpload[];
}

/**
 * Reads a `multipart/form-data` request into memory with multer, within the document limits,
 * before the handler runs: at most 8 files of at most 10 MB each in the field `files`, their
 * labels in `labels`, a few short text fields. A file over 10 MB stops the upload as soon as its
 * 10 MB + 1st byte arrives (multer counts the extra byte itself), with a 413 naming the file.
 * Every multer or parser failure becomes a 4xx naming the file, field and limit; the content
 * types and the per-case count are the service's to judge. Runs after the guards, so nothing is
 * read for a caller who may not upload.
 */
export class DocumentUploadInterceptor implements NestInterceptor {
  private readonly parse: ReturnType<multer.Multer['any']>;

  constructor(options: DocumentUploadOptions = {}) {
    const fields = MAX_DOCUMENTS_PER_CASE + (options.extraFields ?? 8);
    this.parse = multer({
      storage: multer.memoryStorage(),
      limits: {
        fileSize: MAX_DOCUMENT_BYTES,
        files: MAX_DOCUMENTS_PER_CASE,
        fields,
        parts: MAX_DOCUMENTS_PER_CASE + fields,
        fieldNameSize: 100,
        fieldSize: options.maxFieldBytes ?? 4096,
        headerPairs: 20,
      },
      fileFilter: (_req, file, accept) => {
        if (file.fieldname !== FILES_FIELD) {
          accept(
            new ValidationError(
              file.fieldname,
              `${file.fieldname}: files go in the field "${FILES_FIELD}"`,
              'unexpected_file_field',
            ),
          );
          return;
        }
        accept(null, true);
      },
    }).any();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<UploadRequest>();
    const res = http.getResponse<Response>();
    if (!req.is('multipart/form-data')) {
      throw new UnsupportedMediaTypeError(
        'unsupported_media_type',
        `Send the documents as multipart/form-data (fields "${FILES_FIELD}" and "${LABELS_FIELD}")`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      this.parse(req, res, (err?: unknown) => (err === undefined ? resolve() : reject(multipartError(err))));
    });
    const files = (req.files ?? []) as multer.File[];
    const body = (req.body ?? {}) as Record<string, unknown>;
    const labels = labelsOf(body[LABELS_FIELD]);
    delete body[LABELS_FIELD];
    if (files.length === 0) {
      throw new ValidationError(
        FILES_FIELD,
        `${FILES_FIELD}: send at least one document`,
        'documents_missing',
      );
    }
    if (labels.length !== files.length) {
      throw new ValidationError(
        LABELS_FIELD,
        `${LABELS_FIELD}: give one label per file, in the same order (${files.length} file(s), ${labels.length} label(s))`,
        'document_labels_mismatch',
      );
    }
    req[UPLOADED] = files.map((f, i) => ({
      label: labels[i],
      originalName: f.originalname,
      bytes: f.buffer,
    }));
    return next.handle();
  }
}

function labelsOf(value: unknown): string[] {
  if (value === undefined) return [];
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((p): p is string => typeof p === 'string')) {
    throw new ValidationError(
      LABELS_FIELD,
      `${LABELS_FIELD}: each label is text`,
      'document_labels_mismatch',
    );
  }
  return parts.flatMap((p) => p.split(',')).map((l) => l.trim());
}

/** A multer or busboy failure as the 4xx the client should see, naming the file or field. */
export function multipartError(err: unknown): Error {
  if (err instanceof DomainError) return err;
  if (err instanceof multer.MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return documentTooLarge(err.filename);
      case 'LIMIT_FILE_COUNT':
        return tooManyDocumentsInRequest();
      case 'LIMIT_PART_COUNT':
      case 'LIMIT_FIELD_COUNT':
        return new PayloadTooLargeError('payload_too_large', 'The form has too many fields', {
          field: '(body)',
        });
      case 'LIMIT_FIELD_VALUE':
        return new PayloadTooLargeError(
          'payload_too_large',
          `${err.field ?? 'A field'}: the value is too long`,
          {
            field: err.field ?? '(body)',
          },
        );
      case 'LIMIT_UNEXPECTED_FILE':
        return new ValidationError(
          err.field ?? FILES_FIELD,
          `files go in the field "${FILES_FIELD}"`,
          'unexpected_file_field',
        );
      case 'LIMIT_FIELD_KEY':
      case 'MISSING_FIELD_NAME':
      case 'LIMIT_FIELD_NESTING':
      case 'LIMIT_FIELD_ARRAY_INDEX':
      case 'INVALID_FIELD_NAME':
      case 'STREAM_DESTROYED':
        return new ValidationError(
          err.field ?? '(body)',
          `The form could not be read: ${err.message}`,
          'malformed_body',
        );
    }
  }
  // busboy: a missing boundary, a truncated body, a malformed part header; or the client left.
  const message = err instanceof Error ? err.message : 'unreadable body';
  return new ValidationError('(body)', `The multipart body could not be read: ${message}`, 'malformed_body');
}

/**
 * The files of the upload, paired with their labels, as `DocumentsService.upload` takes them.
 * Needs `@AcceptDocuments()` on the route.
 */
export const UploadedDocuments = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): DocumentUpload[] => {
    const uploaded = ctx.switchToHttp().getRequest<UploadRequest>()[UPLOADED];
    if (!uploaded) throw new Error('@UploadedDocuments() needs @AcceptDocuments() on the route');
    return uploaded;
  },
);

/**
 * The OpenAPI request body of a document upload: `files` (binary, 1–8) and `labels` (one per
 * file, same order), plus the route's own text fields.
 */
export function documentsMultipartSchema(extraProperties: Record<string, SchemaObject> = {}): SchemaObject {
  return {
    type: 'object',
    required: [FILES_FIELD, LABELS_FIELD],
    properties: {
      [FILES_FIELD]: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_DOCUMENTS_PER_CASE,
        items: { type: 'string', format: 'binary' },
        description:
          `${DOCUMENT_CONTENT_TYPES.join(', ')}, recognised by their bytes (not their name or declared type); ` +
          `at most ${MAX_DOCUMENT_SIZE_TEXT} each and ${MAX_DOCUMENTS_PER_CASE} per case`,
      },
      [LABELS_FIELD]: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_DOCUMENTS_PER_CASE,
        items: { type: 'string', pattern: DOCUMENT_LABEL_PATTERN.source, maxLength: 40 },
        description:
          'What each file is (id_front, id_back, licence, bank_statement, other…), one per file, in order',
      },
      ...extraProperties,
    },
  };
}

/**
 * Puts a document upload on a route: the multipart interceptor and its OpenAPI description
 * (`multipart/form-data` body, 409/413/415 answers). Take the files with `@UploadedDocuments()`;
 * other text fields arrive in `@Body()`.
 */
export function AcceptDocuments(
  options: DocumentUploadOptions & { extraProperties?: Record<string, SchemaObject> } = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseInterceptors(new DocumentUploadInterceptor(options)),
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: documentsMultipartSchema(options.extraProperties) }),
    ApiResponse({
      status: 409,
      description: `document_limit_reached: the case would hold more than ${MAX_DOCUMENTS_PER_CASE} documents (error.file names the first that does not fit)`,
    }),
    ApiResponse({
      status: 413,
      description: `document_too_large: a file is over ${MAX_DOCUMENT_SIZE_TEXT} (error.file names it); too_many_documents: more than ${MAX_DOCUMENTS_PER_CASE} files; payload_too_large: too many or too long fields`,
    }),
    ApiResponse({
      status: 415,
      description:
        'document_type_not_allowed: a file is not JPEG, PNG or PDF by its bytes (error.file names it); unsupported_media_type: the body is not multipart/form-data',
    }),
  );
}
