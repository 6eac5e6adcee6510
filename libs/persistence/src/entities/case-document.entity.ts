import { Check, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { DocumentContentType } from '../../../domain/src/documents';

/**
 * A document sent with a manual appeal (issue 9 §2). The bytes live in the DocumentStore under
 * `storageKey`, sealed under a key of their own; this row keeps that key wrapped under
 * DATA_ENCRYPTION_KEY and the SHA-256 of the plaintext, checked on every read. The file's
 * original name is never stored (a name can be personal data), nor is anything of its content.
 * `caseId` has no foreign key: the appeal case table comes with the appeals.
 */
@Entity({ tableName: 'case_documents' })
@Index({ name: 'case_documents_case_idx', properties: ['caseId'] })
@Check({ name: 'case_documents_label_check', expression: `label ~ '^[a-z][a-z0-9_]{0,39}$'` })
@Check({ name: 'case_documents_sha256_check', expression: `sha256 ~ '^[0-9a-f]{64}$'` })
@Check({ name: 'case_documents_size_check', expression: 'size_bytes >= 1 and size_bytes <= 10485760' })
export class CaseDocument {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 26 })
  caseId!: string;

  /** What it is for: `id_front`, `id_back`, `licence`, `bank_statement`, `other`… */
  @Property({ type: 'string', length: 40 })
  label!: string;

  /** Judged from the bytes at upload, never from the name or the client's claim. */
  @Enum({ items: ['image/jpeg', 'image/png', 'application/pdf'], type: 'string', length: 32 })
  contentType!: DocumentContentType;

  @Property({ type: 'integer' })
  sizeBytes!: number;

  /** SHA-256 of the plaintext, lower-case hex. */
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  /** The document's own key, sealed under the wrapping key derived from DATA_ENCRYPTION_KEY. */
  @Property({ type: 'text', lazy: true })
  wrappedKey!: string;

  /** Where the DocumentStore keeps the sealed bytes: `cases/<caseId>/<id>`. */
  @Property({ type: 'string', length: 120 })
  storageKey!: string;

  /** Who sent it: `account:<id>`, `applicant:<caseId>` or `staff:<id>`. */
  @Property({ type: 'string', length: 64 })
  uploadedBy!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** Set when the document is being removed (its blob may already be gone): never served. */
  @Property({ type: 'datetime', nullable: true })
  deletedAt?: Date | null = null;
}

/**
 * How many documents a case holds: the 8-per-case limit under concurrency. An upload of n files
 * raises it with one conditional upsert (`… on conflict do update set count = count + n where
 * count + n <= 8`) in the transaction that inserts the rows, so simultaneous uploads can never
 * hold more than 8 between them (counting before checking, never check-then-insert).
 */
@Entity({ tableName: 'case_document_counts' })
@Check({ name: 'case_document_counts_range_check', expression: 'count >= 0 and count <= 8' })
export class CaseDocumentCount {
  @PrimaryKey({ type: 'string', length: 26 })
  caseId!: string;

  @Property({ type: 'smallint' })
  count!: number;
}
