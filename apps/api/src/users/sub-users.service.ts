import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import type { Permission } from '../../../../libs/domain/src/permissions';
import { assertNoOpenCancellation } from '../../../../libs/persistence/src/cancellation/freeze';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { Account, Session, SubUser } from '../../../../libs/persistence/src/entities';
import { PasswordHasher } from '../auth/password-hasher';
import type { Acting } from '../permissions/permissions.types';
import { UserQuotaService } from './user-quota.service';

/** A delegate can only hand out permissions it holds itself; the owner holds all. */
export function assertCanGrant(acting: Acting, permissions: readonly Permission[]): void {
  const missing = permissions.filter((p) => !acting.permissions.has(p));
  if (missing.length > 0) {
    throw new ForbiddenError(
      `You cannot grant permissions you do not hold: ${missing.join(', ')}`,
      'grant_exceeds_own',
      {
        permissions: missing,
      },
    );
  }
}

/**
 * A delegate (`users:manage`) can change or remove only a user who holds no permission the
 * delegate lacks: otherwise stripping or deleting a stronger user would be a way to act above
 * its own grant. The owner holds all.
 */
export function assertCanManage(acting: Acting, targetPermissions: readonly string[]): void {
  const above = targetPermissions.filter((p) => !acting.permissions.has(p as Permission));
  if (above.length > 0) {
    throw new ForbiddenError(
      `You cannot change or remove a user who holds permissions you do not: ${above.join(', ')}`,
      'target_exceeds_own',
      { permissions: above },
    );
  }
}

/** Sub-users of a root account (ACC-9): created, listed, re-permissioned, deleted (sign-in: SubUserSignInService). */
@Injectable()
export class SubUsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly quota: UserQuotaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    acting: Acting,
    input: { username: string; password: string; displayName?: string; permissions: Permission[] },
  ): Promise<SubUser> {
    assertCanGrant(acting, input.permissions);
    const passwordHash = await this.hasher.hash(input.password);
    const now = this.clock.now();
    try {
      const id = await this.em.transactional(async (tem) => {
        // rule CAN-1: no new sub-user while a cancellation application is open.
        await assertNoOpenCancellation(tem, acting.accountId);
        await this.quota.take(tem, acting.accountId); // rule ACC-10
        const subUser = tem.create(SubUser, {
          id: newId(),
          account: tem.getReference(Account, acting.accountId),
          username: input.username,
          displayName: input.displayName ?? null,
          passwordHash,
          permissions: input.permissions,
          createdAt: now,
          updatedAt: now,
        });
        await tem.flush();
        return subUser.id;
      });
      return this.get(acting, id);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError('username_taken', 'A sub-user with this username already exists', {
          field: 'username',
        });
      }
      throw err;
    }
  }

  list(acting: Acting): Promise<SubUser[]> {
    return this.em.find(SubUser, { account: acting.accountId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async get(acting: Acting, id: string): Promise<SubUser> {
    const s = await this.em.findOne(SubUser, { id, account: acting.accountId });
    if (!s) throw new NotFoundError('Sub-user');
    return s;
  }

  async setPermissions(acting: Acting, id: string, permissions: Permission[]): Promise<SubUser> {
    assertCanGrant(acting, permissions);
    const s = await this.get(acting, id);
    assertCanManage(acting, s.permissions);
    s.permissions = permissions;
    await this.em.flush();
    return s;
  }

  /** Deletes the sub-user and (by cascade) its sessions; frees its ACC-10 slot. */
  async delete(acting: Acting, id: string): Promise<void> {
    await this.em.transactional(async (tem) => {
      const target = await tem.findOne(SubUser, { id, account: acting.accountId });
      if (!target) throw new NotFoundError('Sub-user');
      assertCanManage(acting, target.permissions);
      const gone = await tem.nativeDelete(SubUser, { id, account: acting.accountId });
      if (gone !== 1) throw new NotFoundError('Sub-user');
      await tem.nativeDelete(Session, { subUser: id });
      await this.quota.release(tem, acting.accountId);
    });
  }

  /**
   * AS-1: a sub-user of any account cannot be associated as a login method. True when `value`
   * is a sub-user's login name (`username@accountId`, as shown in its details).
   */
  async isSubUserLogin(value: string): Promise<boolean> {
    const m = value
      .trim()
      .toLowerCase()
      .match(/^(.+)@(\d{1,19})$/);
    if (!m?.[1] || !m[2]) return false;
    const accountId = Number(m[2]);
    if (!Number.isSafeInteger(accountId)) return false;
    return (await this.em.count(SubUser, { account: accountId, username: m[1] })) > 0;
  }
}
