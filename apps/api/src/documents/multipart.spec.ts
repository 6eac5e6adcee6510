import multer from 'multer';
import { PayloadTooLargeError, ValidationError } from '../../../../libs/domain/src/errors';
import { documentsMultipartSchema, multipartError } from './multipart';

const multerError = (code: multer.ErrorCode, field?: string, filename?: string) => {
  const Ctor = multer.MulterError as unknown as new (c: string, f?: string, n?: string) => multer.MulterError;
  return new Ctor(code, field, filename);
};

describe('multipartError', () => {
  it('names the file and the 10 MB limit of a file that is too large', () => {
    const err = multipartError(multerError('LIMIT_FILE_SIZE', 'files', 'scan.jpg'));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.message).toContain('scan.jpg');
    expect(err.message).toContain('10 MB');
    expect((err as PayloadTooLargeError).code).toBe('document_too_large');
  });

  it('maps too many files to 413 too_many_documents and too many fields to 413', () => {
    expect((multipartError(multerError('LIMIT_FILE_COUNT')) as PayloadTooLargeError).code).toBe(
      'too_many_documents',
    );
    expect(multipartError(multerError('LIMIT_FIELD_COUNT'))).toBeInstanceOf(PayloadTooLargeError);
  });

  it('maps a malformed body (a busboy error) to a 400, never a 500', () => {
    const err = multipartError(new Error('Unexpected end of form'));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('malformed_body');
  });

  it('shows control characters of a file name as ?', () => {
    expect(multipartError(multerError('LIMIT_FILE_SIZE', 'files', 'a\u0007b.jpg')).message).toContain(
      'a?b.jpg',
    );
  });
});

describe('documentsMultipartSchema', () => {
  it('documents files (binary, 1–8) and labels, plus the route’s own fields', () => {
    const schema = documentsMultipartSchema({ note: { type: 'string', maxLength: 500 } });
    expect(schema.required).toEqual(['files', 'labels']);
    expect(schema.properties?.['files']).toMatchObject({
      type: 'array',
      maxItems: 8,
      items: { format: 'binary' },
    });
    expect(schema.properties?.['labels']).toMatchObject({ items: { pattern: '^[a-z][a-z0-9_]{0,39}$' } });
    expect(schema.properties?.['note']).toEqual({ type: 'string', maxLength: 500 });
  });
});
