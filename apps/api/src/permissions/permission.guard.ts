import { accountIdTextSchema } from '../common/zod';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EntityManager } from '@mikro-orm/core';
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { isPermission, PERMISSIONS, type Permission } from '../../../../libs/domain/src/permissions';
import { Account, Collaborator, SubUser } from '../../../../libs/persistence/src/entities';
import {
  ACCOUNT_ID_HEADER,
  PERMISSION_REQUIREMENT,
  type Acting,
  type ActingRequest,
  type Requirement,
} from './permissions.types';

const ALL: ReadonlySet<Permission> = new Set(PERMISSIONS);

function granted(list: string[]): ReadonlySet<Permission> {
  return new Set(list.filter(isPermission));
}

/**
 * The one guard of every organisation and asset endpoint (ACC-9). Resolves the account the
 * request acts inside and checks the named permission:
 * - the owner acts inside its own account and holds every permission;
 * - a sub-user acts inside its root account with the permissions granted to it;
 * - an owner sending `X-Account-Id: <other root>` acts there as a collaborator, with the
 *   permissions of its active membership; without one the account is "not found" (404);
 * - staff sessions are refused (403).
 * Permissions are read on every request, so a revoked permission stops working at once.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<Requirement | undefined>(PERMISSION_REQUIREMENT, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!requirement) throw new Error('PermissionGuard on a route without a requirement');
    const req = ctx.switchToHttp().getRequest<ActingRequest>();
    req.acting = await this.resolve(req, requirement);
    return true;
  }

  private async resolve(req: ActingRequest, requirement: Requirement): Promise<Acting> {
    const p = req.principal;
    if (!p) throw new UnauthenticatedError();
    if (p.kind === 'staff') {
      throw new ForbiddenError('Staff sessions cannot act inside a customer account', 'staff_not_allowed');
    }
    const header = req.header(ACCOUNT_ID_HEADER);
    let target: number | null = null;
    if (header !== undefined && header !== '') {
      if (!accountIdTextSchema.safeParse(header).success)
        throw new ValidationError('X-Account-Id', 'X-Account-Id: must be an account ID');
      target = Number(header);
    }

    if (p.kind === 'sub_user') {
      if (target !== null && target !== p.accountId) throw new NotFoundError('Account');
      if (requirement.kind === 'owner')
        throw new ForbiddenError('This needs the account owner', 'owner_only');
      const subUser = await this.em.findOne(SubUser, { id: p.subUserId, account: p.accountId });
      if (!subUser) throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
      return this.check(requirement, {
        accountId: p.accountId,
        actor: { kind: 'sub_user', subUserId: subUser.id },
        permissions: granted(subUser.permissions),
        isRoot: false,
      });
    }

    if (target === null || target === p.accountId) {
      return {
        accountId: p.accountId,
        actor: { kind: 'owner', accountId: p.accountId },
        permissions: ALL,
        isRoot: true,
      };
    }
    if (requirement.kind === 'owner') throw new ForbiddenError('This needs the account owner', 'owner_only');
    const membership = await this.em.findOne(
      Collaborator,
      { rootAccount: target, member: p.accountId, status: 'active' },
      { populate: ['rootAccount'] },
    );
    if (!membership || (membership.rootAccount as Account).status !== 'active')
      throw new NotFoundError('Account');
    return this.check(requirement, {
      accountId: target,
      actor: { kind: 'collaborator', memberAccountId: p.accountId, collaboratorId: membership.id },
      permissions: granted(membership.permissions),
      isRoot: false,
    });
  }

  private check(requirement: Requirement, acting: Acting): Acting {
    if (requirement.kind === 'permission' && !acting.permissions.has(requirement.permission)) {
      throw new ForbiddenError(`This needs the ${requirement.permission} permission`, 'permission_missing', {
        permission: requirement.permission,
      });
    }
    return acting;
  }
}
