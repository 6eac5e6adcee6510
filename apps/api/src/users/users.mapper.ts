import type { Collaborator, MessageReceiver, SubUser } from '../../../../libs/persistence/src/entities';
import type { CollaboratorResponse, MessageReceiverResponse, SubUserResponse } from './users.dto';

export function subUserLoginName(username: string, accountId: number): string {
  return `${username}@${accountId}`;
}

export function toSubUserResponse(s: SubUser): SubUserResponse {
  return {
    id: s.id,
    accountId: s.account.id,
    username: s.username,
    loginName: subUserLoginName(s.username, s.account.id),
    displayName: s.displayName ?? null,
    permissions: s.permissions,
    createdAt: s.createdAt.toISOString(),
  };
}

export function toCollaboratorResponse(c: Collaborator): CollaboratorResponse {
  return {
    id: c.id,
    rootAccountId: c.rootAccount.id,
    memberAccountId: c.member.id,
    status: c.status,
    permissions: c.permissions,
    invitedAt: c.invitedAt.toISOString(),
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
  };
}

export function toMessageReceiverResponse(r: MessageReceiver): MessageReceiverResponse {
  return {
    id: r.id,
    accountId: r.account.id,
    name: r.name,
    email: r.email ?? null,
    phone: r.phone ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}
