import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError, ValidationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import type { Permission } from '../../../../libs/domain/src/permissions';
import { assertNoOpenCancellation } from '../../../../libs/persistence/src/cancellation/freeze';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { Account, Collaborator } from '../../../../libs/persistence/src/entities';
import type { Acting } from '../permissions/permissions.types';
import { assertCanGrant, assertCanManage } from './sub-users.service';
import { UserQuotaService } from './user-quota.service';

/**
 * Collaborators (ACC-9): an existing account is invited into a root account, accepts, and then
 * acts inside it (its own owner session plus `X-Account-Id`) with the permissions granted.
 */
@Injectable()
export class CollaboratorsService {
  constructor(
    private readonly em: EntityManager,
    private readonly quota: UserQuotaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async invite(acting: Acting, memberAccountId: number, permissions: Permission[]): Promise<Collaborator> {
    assertCanGrant(acting, permissions);
    if (memberAccountId === acting.accountId) {
      throw new ValidationError('accountId', 'accountId: an account cannot collaborate in itself');
    }
    // ACC-11: only an account of the same site can be found and invited.
    const root = await this.em.findOneOrFail(Account, { id: acting.accountId });
    const member = await this.em.findOne(Account, { id: memberAccountId, status: 'active', site: root.site });
    if (!member) throw new NotFoundError('Account', 'not_found', { field: 'accountId' });
    try {
      const id = await this.em.transactional(async (tem) => {
        // rule CAN-1: no new collaborator invitation while a cancellation application is open.
        await assertNoOpenCancellation(tem, acting.accountId);
        await this.quota.take(tem, acting.accountId); // rule ACC-10
        const c = tem.create(Collaborator, {
          id: newId(),
          rootAccount: tem.getReference(Account, acting.accountId),
          member: tem.getReference(Account, memberAccountId),
          permissions,
          invitedAt: this.clock.now(),
        });
        await tem.flush();
        return c.id;
      });
      return this.get(acting, id);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError('already_collaborator', 'This account is already invited or a collaborator', {
          field: 'accountId',
        });
      }
      throw err;
    }
  }

  list(acting: Acting): Promise<Collaborator[]> {
    return this.em.find(
      Collaborator,
      { rootAccount: acting.accountId },
      { orderBy: { invitedAt: 'asc', id: 'asc' } },
    );
  }

  async get(acting: Acting, id: string): Promise<Collaborator> {
    const c = await this.em.findOne(Collaborator, { id, rootAccount: acting.accountId });
    if (!c) throw new NotFoundError('Collaborator');
    return c;
  }

  async setPermissions(acting: Acting, id: string, permissions: Permission[]): Promise<Collaborator> {
    assertCanGrant(acting, permissions);
    const c = await this.get(acting, id);
    assertCanManage(acting, c.permissions);
    c.permissions = permissions;
    await this.em.flush();
    return c;
  }

  /** Removes a collaborator (or withdraws an invitation); frees its ACC-10 slot. */
  async remove(acting: Acting, id: string): Promise<void> {
    assertCanManage(acting, (await this.get(acting, id)).permissions);
    await this.removeWhere({ id, rootAccount: acting.accountId }, acting.accountId);
  }

  /** Invitations to (and memberships of) the signed-in account. */
  invitationsOf(memberAccountId: number): Promise<Collaborator[]> {
    return this.em.find(
      Collaborator,
      { member: memberAccountId },
      { orderBy: { invitedAt: 'asc', id: 'asc' } },
    );
  }

  async accept(memberAccountId: number, id: string): Promise<Collaborator> {
    const c = await this.em.findOne(Collaborator, { id, member: memberAccountId });
    if (!c) throw new NotFoundError('Invitation');
    const changed = await this.em.nativeUpdate(
      Collaborator,
      { id, member: memberAccountId, status: 'invited' },
      { status: 'active', acceptedAt: this.clock.now() },
    );
    if (changed !== 1) throw new ConflictError('already_accepted', 'This invitation was already accepted');
    await this.em.refresh(c);
    return c;
  }

  /** Declines an invitation or leaves a root account. */
  async decline(memberAccountId: number, id: string): Promise<void> {
    const c = await this.em.findOne(Collaborator, { id, member: memberAccountId });
    if (!c) throw new NotFoundError('Invitation');
    await this.removeWhere({ id, member: memberAccountId }, c.rootAccount.id);
  }

  private async removeWhere(
    where: { id: string; rootAccount?: number; member?: number },
    rootAccountId: number,
  ): Promise<void> {
    await this.em.transactional(async (tem) => {
      const gone = await tem.nativeDelete(Collaborator, where);
      if (gone !== 1) throw new NotFoundError('Collaborator');
      await this.quota.release(tem, rootAccountId);
    });
  }
}
