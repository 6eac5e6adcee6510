import type { Permission } from '../../../../libs/domain/src/permissions';
import type { AuthenticatedRequest } from '../auth/principal';

export const ACCOUNT_ID_HEADER = 'x-account-id';
export const PERMISSION_REQUIREMENT = 'permissions:requirement';

/**
 * What an endpoint needs from the caller:
 * - `permission`: acting inside a root account (owner, sub-user or collaborator) with that permission;
 * - `member`: acting inside a root account, no particular permission;
 * - `owner`: the signed-in owner acting for its own account only (e.g. answering an invitation).
 */
export type Requirement =
  { kind: 'permission'; permission: Permission } | { kind: 'member' } | { kind: 'owner' };

/** Who acts, and inside which root account, once the permission guard has let the request through. */
export interface Acting {
  /** The root account the request acts inside. */
  accountId: number;
  actor:
    | { kind: 'owner'; accountId: number }
    | { kind: 'sub_user'; subUserId: string }
    | { kind: 'collaborator'; memberAccountId: number; collaboratorId: string };
  /** Everything for the owner; the granted set for a sub-user or collaborator. */
  permissions: ReadonlySet<Permission>;
  isRoot: boolean;
}

export interface ActingRequest extends AuthenticatedRequest {
  acting?: Acting;
}
