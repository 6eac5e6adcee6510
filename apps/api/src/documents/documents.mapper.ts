import { z } from 'zod';
import type { DocumentMeta } from './documents.service';

/** A document as the applicant and staff see it listed: never its name (not stored) nor bytes. */
export const documentSummarySchema = z.object({
  documentId: z.string(),
  label: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  uploadedAt: z.string(),
});
export type DocumentSummary = z.infer<typeof documentSummarySchema>;

export function toDocumentSummary(d: DocumentMeta): DocumentSummary {
  return {
    documentId: d.id,
    label: d.label,
    contentType: d.contentType,
    sizeBytes: d.sizeBytes,
    uploadedAt: d.createdAt.toISOString(),
  };
}
