import type { EntityManager } from '@mikro-orm/core';
import type { DocumentStore } from '../../integrations/src/documents/document-store.port';
import { CaseDocument, CaseDocumentCount } from './entities';

/**
 * Removes every document of a case, blobs and rows: a cancelled or closed case, or an account
 * erased at cancellation (CAN-5). Shared by the API's DocumentsService and the cancellation
 * activities. Idempotent and resumable: the rows are first marked deleted (no read serves them
 * from then on), then the blobs go, then the rows and the counter; a run cut short anywhere is
 * finished by the next call. Returns how many document rows were removed.
 */
export async function deleteCaseDocuments(
  em: EntityManager,
  store: DocumentStore,
  caseId: string,
  now: Date,
): Promise<number> {
  await em.nativeUpdate(CaseDocument, { caseId, deletedAt: null }, { deletedAt: now });
  const rows = await em.find(
    CaseDocument,
    { caseId },
    { fields: ['id', 'storageKey'], disableIdentityMap: true },
  );
  for (const row of rows) await store.delete(row.storageKey);
  const removeRows = async (tx: EntityManager): Promise<number> => {
    const removed = await tx.nativeDelete(CaseDocument, { caseId });
    await tx.nativeDelete(CaseDocumentCount, { caseId });
    return removed;
  };
  return em.isInTransaction() ? removeRows(em) : em.transactional(removeRows);
}
