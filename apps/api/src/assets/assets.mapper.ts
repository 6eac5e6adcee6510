import { wrap } from '@mikro-orm/core';
import type { AccountDomain, CloudResource, Complaint } from '../../../../libs/persistence/src/entities';
import type { ComplaintResponse, DomainResponse, ResourceResponse } from './assets.dto';

export function toResourceResponse(r: CloudResource): ResourceResponse {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    projectId: r.project?.id ?? null,
    projectName: r.project && wrap(r.project).isInitialized() ? r.project.name : null,
    status: r.status,
    inUse: r.status !== 'released',
    createdAt: r.createdAt.toISOString(),
  };
}

export function toComplaintResponse(c: Complaint, accountId: number): ComplaintResponse {
  return {
    id: c.id,
    role: c.complainant?.id === accountId ? 'by' : 'against',
    complainantAccountId: c.complainant?.id ?? null,
    respondentAccountId: c.respondent?.id ?? null,
    subject: c.subject,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

export function toDomainResponse(d: AccountDomain): DomainResponse {
  return { id: d.id, name: d.name, createdAt: d.createdAt.toISOString() };
}
