import { Module } from '@nestjs/common';
import { decodeKey32, type AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { DOCUMENT_CIPHER, DocumentCipher } from '../../../../libs/domain/src/documents';
import { createDocumentStore } from '../../../../libs/integrations/src/documents/document-store.factory';
import { DOCUMENT_STORE } from '../../../../libs/integrations/src/documents/document-store.port';
import { accountKeyringProvider, dataSecretBoxProvider } from '../common/data-box';
import { DocumentsService } from './documents.service';

/**
 * The document store of manual appeals (issue 9 §2). No routes of its own: a feature module
 * (the appeals) imports it, calls DocumentsService from its controllers and takes uploads with
 * `@AcceptDocuments()` / `@UploadedDocuments()` from ./multipart.
 */
@Module({
  providers: [
    DocumentsService,
    dataSecretBoxProvider,
    accountKeyringProvider,
    { provide: DOCUMENT_STORE, useFactory: createDocumentStore, inject: [APP_CONFIG] },
    {
      provide: DOCUMENT_CIPHER,
      // The configuration is validated at start-up, so the key decodes.
      useFactory: (config: AppConfig) => new DocumentCipher(decodeKey32(config.dataEncryptionKey)!),
      inject: [APP_CONFIG],
    },
  ],
  exports: [DocumentsService, DOCUMENT_STORE],
})
export class DocumentsModule {}
