import type { AppConfig } from '../../../config/src/config';
import type { DocumentStore } from './document-store.port';
import { FilesystemDocumentStore } from './filesystem-document-store';

/** Builds the document store chosen by DOCUMENT_STORE_ADAPTER. */
export function createDocumentStore(config: AppConfig): DocumentStore {
  switch (config.documents.adapter) {
    case 'filesystem':
      return new FilesystemDocumentStore(config.documents.dir);
  }
}
