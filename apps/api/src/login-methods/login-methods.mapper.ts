import type { LoginIdentity } from '../../../../libs/persistence/src/entities';
import type { LoginMethodResponse } from './login-methods.dto';

/** For the owner's own eyes: the email in full, a provider identity by its display name. */
export function toLoginMethodResponse(row: LoginIdentity): LoginMethodResponse {
  return {
    id: row.id,
    kind: row.kind,
    role: row.role,
    identifier: row.kind === 'email' ? row.subject : (row.displayName ?? row.kind),
    createdAt: row.createdAt.toISOString(),
  };
}
