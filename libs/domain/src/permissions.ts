/**
 * The named permissions a root account grants to its sub-users and collaborators (ACC-9). The
 * root account holds all of them. Pure data: the API's permission guard and the DTOs use it.
 */
export const PERMISSIONS = [
  'projects:read',
  'projects:write',
  'billing:read',
  'billing:write',
  'resources:read',
  'resources:write',
  'assets:read',
  'icp:manage',
  'users:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  'projects:read': 'List and read projects',
  'projects:write': 'Create, disable and enable projects',
  'billing:read': 'Balance, ledger, vouchers, orders, amounts owed, project billing records',
  'billing:write': 'Withdraw from the balance',
  'resources:read': 'List resources in use',
  'resources:write': 'Move resources between projects or request a move to another account',
  'assets:read': 'Complaints, domains and ICP filings held by the account',
  'icp:manage': 'Start, accept, decline and cancel ICP filing transfers',
  'users:manage': 'Sub-users, collaborators and message receivers',
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** ACC-10: sub-users and collaborators together, per root account. */
export const MAX_USERS_PER_ACCOUNT = 1000;
