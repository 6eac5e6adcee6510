import type { Project } from '../../../../libs/persistence/src/entities';
import type { ProjectResponse } from './projects.dto';

export function toProjectResponse(p: Project): ProjectResponse {
  return {
    id: p.id,
    accountId: p.account.id,
    name: p.name,
    description: p.description,
    status: p.status,
    disabledAt: p.disabledAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  };
}
