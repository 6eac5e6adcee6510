import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  DOCUMENT_CIPHER,
  DocumentCipher,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS_PER_CASE,
  documentLabelInvalid,
  documentLimitReached,
  documentTooLarge,
  documentTypeNotAllowed,
  isDocumentLabel,
  sniffDocumentType,
  tooManyDocumentsInRequest,
  type DocumentContentType,
} from '../../../../libs/domain/src/documents';
import {
  IntegrityError,
  NotFoundError,
  ValidationError,
  type DomainError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { isAccountSealed } from '../../../../libs/domain/src/secret-box';
import {
  DOCUMENT_STORE,
  type DocumentStore,
} from '../../../../libs/integrations/src/documents/document-store.port';
import { ACCOUNT_KEYRING, type AccountKeyring } from '../../../../libs/persistence/src/account-keys';
import { deleteCaseDocuments } from '../../../../libs/persistence/src/case-documents';
import { AppealCase, CaseDocument, CaseDocumentCount } from '../../../../libs/persistence/src/entities';
import { execWrite } from '../common/sql';

/** One file of an upload, as the multipart helper hands it over (`@UploadedDocuments()`). */
export interface DocumentUpload {
  /** What the document is for (`id_front`, `licence`, …): DOCUMENT_LABEL_PATTERN. */
  label: string;
  /** The client's file name: quoted in refusals, never stored. */
  originalName: string;
  bytes: Buffer;
}

export interface UploadDocumentsInput {
  /** The appeal case (a ULID). */
  caseId: string;
  /**
   * The account the case is about: the document keys are wrapped under its data key, destroyed at
   * cancellation (CAN-5). Without it (no account), under the key derived from DATA_ENCRYPTION_KEY.
   */
  accountId?: number;
  /** `account:<id>`, `applicant:<caseId>` or `staff:<id>`. */
  uploadedBy: string;
  files: DocumentUpload[];
}

/** What may be shown about a document: never its bytes, key or original name. */
export interface DocumentMeta {
  id: string;
  caseId: string;
  label: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  createdAt: Date;
}

const CASE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const UPLOADED_BY = /^(?:account|applicant|staff):[A-Za-z0-9_-]{1,40}$/;

/**
 * The document store of manual appeals (issue 9 §2): checks uploads against the limits, seals
 * each document under its own key (libs/domain/src/documents.ts), keeps the blob in the
 * DocumentStore and the metadata in `case_documents`, and opens documents after their checksum
 * has been checked. Who may read a case's documents (the applicant while the case is open, staff
 * working it) and the audit of staff reads are decided by the caller, which knows the case.
 *
 * Every method takes an optional EntityManager: pass the caller's to take part in its
 * transaction.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly em: EntityManager,
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    @Inject(DOCUMENT_CIPHER) private readonly cipher: DocumentCipher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCOUNT_KEYRING) private readonly keyring: AccountKeyring,
  ) {}

  /**
   * Stores the files of one upload, all or none. Every file is checked first (label; at most
   * 10 MB; JPEG, PNG or PDF by its bytes); the first refused one fails the whole request with a
   * 4xx naming it and the limit, before anything is written. The blobs are written, then the rows
   * inserted in one transaction that raises the case's counter with a conditional upsert: two
   * uploads at once can never take the case past 8 documents. If that transaction fails, the
   * blobs written are deleted.
   *
   * With a caller's EntityManager inside a transaction, the rows join it; if the caller's
   * transaction is rolled back afterwards, it should call {@link deleteForCase} or accept the
   * blobs left without rows (unreadable: their keys were in the rows).
   */
  async upload(input: UploadDocumentsInput, em?: EntityManager): Promise<DocumentMeta[]> {
    const { caseId, uploadedBy, files } = input;
    if (!CASE_ID.test(caseId)) throw new ValidationError('caseId', 'caseId: not a case ID');
    if (!UPLOADED_BY.test(uploadedBy)) throw new RangeError(`uploadedBy is not a principal: ${uploadedBy}`);
    if (files.length === 0) {
      throw new ValidationError('files', 'files: send at least one document', 'documents_missing');
    }
    if (files.length > MAX_DOCUMENTS_PER_CASE) throw tooManyDocumentsInRequest();
    const checked = files.map((file, index) => {
      if (!isDocumentLabel(file.label)) throw documentLabelInvalid(file.originalName, index);
      if (file.bytes.length > MAX_DOCUMENT_BYTES) throw documentTooLarge(file.originalName, index);
      const contentType = sniffDocumentType(file.bytes);
      if (!contentType) throw documentTypeNotAllowed(file.originalName, index);
      return { file, index, contentType };
    });

    const manager = em ?? this.em;
    // A quick refusal before any write; the transaction below is what holds under concurrency.
    const held = await this.heldBy(manager, caseId);
    if (held + files.length > MAX_DOCUMENTS_PER_CASE) throw this.limitReached(held, files);

    const now = this.clock.now();
    const accountBox =
      input.accountId === undefined ? undefined : await this.keyring.boxFor(manager, input.accountId);
    const rows = checked.map(({ file, contentType }) => {
      const id = newId();
      const sealed = this.cipher.seal(id, file.bytes, accountBox);
      return {
        row: {
          id,
          caseId,
          label: file.label,
          contentType,
          sizeBytes: file.bytes.length,
          sha256: sealed.sha256,
          wrappedKey: sealed.wrappedKey,
          storageKey: storageKeyOf(caseId, id),
          uploadedBy,
          createdAt: now,
          deletedAt: null,
        },
        blob: sealed.blob,
      };
    });

    const written: string[] = [];
    try {
      for (const { row, blob } of rows) {
        await this.store.put(row.storageKey, blob);
        written.push(row.storageKey);
      }
      await this.inTransaction(manager, async (tx) => {
        // Counting before checking: one statement raises the counter only while it stays within
        // the limit, under the row's lock, so concurrent uploads see each other's counts.
        const raised = await execWrite(
          tx,
          `insert into case_document_counts (case_id, count) values (?, ?)
           on conflict (case_id) do update set count = case_document_counts.count + excluded.count
             where case_document_counts.count + excluded.count <= ?`,
          [caseId, files.length, MAX_DOCUMENTS_PER_CASE],
        );
        if (raised !== 1) throw this.limitReached(await this.heldBy(tx, caseId), files);
        await tx.insertMany(
          CaseDocument,
          rows.map((r) => r.row),
        );
      });
    } catch (err) {
      await this.removeBlobs(written);
      throw err;
    }
    return rows.map(({ row }) => toMeta(row));
  }

  /** The case's documents, oldest first (metadata only). */
  async list(caseId: string, em?: EntityManager): Promise<DocumentMeta[]> {
    const rows = await (em ?? this.em).find(
      CaseDocument,
      { caseId, deletedAt: null },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows.map(toMeta);
  }

  /**
   * A document of the case with its bytes, once they have decrypted and matched their SHA-256.
   * A document of another case, or one being deleted, is a 404; a blob that is missing or does
   * not check out is an {@link IntegrityError} (500), never returned. A document whose key is
   * wrapped under the account's data key is opened with it: `accountId` when the caller knows it,
   * else the case's.
   */
  async read(
    caseId: string,
    documentId: string,
    em?: EntityManager,
    accountId?: number,
  ): Promise<{ meta: DocumentMeta; bytes: Buffer }> {
    const manager = em ?? this.em;
    const row = await manager.findOne(
      CaseDocument,
      { id: documentId, caseId, deletedAt: null },
      { populate: ['wrappedKey'] },
    );
    if (!row) throw new NotFoundError('Document', 'document_not_found');
    const blob = await this.store.get(row.storageKey);
    if (!blob) {
      throw new IntegrityError(
        'document_integrity_failed',
        'The stored document is missing: it is not served. Quote the correlation ID when reporting it.',
        { documentId },
      );
    }
    let accountBox;
    if (isAccountSealed(row.wrappedKey)) {
      const owner =
        accountId ??
        (await manager.findOne(AppealCase, { id: caseId }, { fields: ['accountId'] }))?.accountId;
      if (owner === undefined) throw new NotFoundError('Case');
      accountBox = await this.keyring.boxFor(manager, owner);
    }
    const bytes = this.cipher.open(
      row.id,
      { blob, wrappedKey: row.wrappedKey, sha256: row.sha256 },
      accountBox,
    );
    return { meta: toMeta(row), bytes };
  }

  /**
   * Removes every document of the case, blobs and rows (a cancelled or closed case). Idempotent
   * and resumable: the rows are first marked deleted (no read serves them from then on), then
   * the blobs go, then the rows and the counter; a run cut short is finished by the next call.
   * Returns how many documents were removed. The code is `deleteCaseDocuments`
   * (libs/persistence/src/case-documents.ts), which the cancellation activities run too (CAN-5).
   */
  async deleteForCase(caseId: string, em?: EntityManager): Promise<number> {
    return deleteCaseDocuments(em ?? this.em, this.store, caseId, this.clock.now());
  }

  private async heldBy(em: EntityManager, caseId: string): Promise<number> {
    const counter = await em.findOne(CaseDocumentCount, { caseId }, { refresh: true });
    return counter?.count ?? 0;
  }

  /** The refusal naming the first file that does not fit. */
  private limitReached(held: number, files: DocumentUpload[]): DomainError {
    const index = Math.min(Math.max(0, MAX_DOCUMENTS_PER_CASE - held), files.length - 1);
    return documentLimitReached(held, files[index]?.originalName, index);
  }

  private async inTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return em.isInTransaction() ? work(em) : em.transactional(work);
  }

  private async removeBlobs(keys: string[]): Promise<void> {
    const results = await Promise.allSettled(keys.map((k) => this.store.delete(k)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    // Left behind only if the store fails now too: sealed bytes whose key was never stored.
    if (failed > 0) this.logger.warn(`${failed} document blob(s) of a failed upload could not be removed`);
  }
}

/** Where a document's sealed bytes live in the store. */
export function storageKeyOf(caseId: string, documentId: string): string {
  return `cases/${caseId}/${documentId}`;
}

function toMeta(row: DocumentMeta): DocumentMeta {
  return {
    id: row.id,
    caseId: row.caseId,
    label: row.label,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt,
  };
}
