/**
 * The part of multer (shipped with @nestjs/platform-express) that the document upload uses;
 * the package carries no types of its own.
 */
declare module 'multer' {
  import type { Request, RequestHandler } from 'express';

  namespace multer {
    interface File {
      fieldname: string;
      originalname: string;
      encoding: string;
      mimetype: string;
      size: number;
      /** With memory storage: the whole file. */
      buffer: Buffer;
    }
    interface Limits {
      fieldNameSize?: number;
      fieldSize?: number;
      fields?: number;
      fileSize?: number;
      files?: number;
      parts?: number;
      headerPairs?: number;
    }
    type FileFilterCallback = (error: Error | null, acceptFile?: boolean) => void;
    interface Options {
      storage?: StorageEngine;
      limits?: Limits;
      fileFilter?: (req: Request, file: Omit<File, 'buffer' | 'size'>, callback: FileFilterCallback) => void;
    }
    interface StorageEngine {
      _handleFile(req: Request, file: File, callback: (error?: unknown, info?: Partial<File>) => void): void;
      _removeFile(req: Request, file: File, callback: (error: Error | null) => void): void;
    }
    interface Multer {
      any(): RequestHandler;
      array(fieldName: string, maxCount?: number): RequestHandler;
      none(): RequestHandler;
    }
    type ErrorCode =
      | 'LIMIT_PART_COUNT'
      | 'LIMIT_FILE_SIZE'
      | 'LIMIT_FILE_COUNT'
      | 'LIMIT_FIELD_KEY'
      | 'LIMIT_FIELD_VALUE'
      | 'LIMIT_FIELD_COUNT'
      | 'LIMIT_UNEXPECTED_FILE'
      | 'MISSING_FIELD_NAME'
      | 'LIMIT_FIELD_NESTING'
      | 'LIMIT_FIELD_ARRAY_INDEX'
      | 'STREAM_DESTROYED'
      | 'INVALID_FIELD_NAME';
    class MulterError extends Error {
      code: ErrorCode;
      field?: string;
      filename?: string;
    }
    function memoryStorage(): StorageEngine;
  }

  function multer(options?: multer.Options): multer.Multer;
  export = multer;
}
