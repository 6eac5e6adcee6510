import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError } from '../../../../libs/domain/src/errors';
import { newAccountId } from '../../../../libs/domain/src/ids';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { Account, RealNameRecord } from '../../../../libs/persistence/src/entities';
import { PasswordHasher } from '../auth/password-hasher';

@Injectable()
export class AccountsService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** ACC-4: the account is usable the moment this returns. */
  async signUp(email: string, password: string): Promise<Account> {
    const passwordHash = await this.hasher.hash(password);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const now = this.clock.now();
      const account = this.em.create(Account, {
        id: newAccountId(),
        email,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await this.em.flush();
        return account;
      } catch (err) {
        this.em.clear();
        if (!isUniqueViolation(err)) throw err;
        if (await this.em.count(Account, { email })) {
          throw new ConflictError('email_taken', 'An account with this email already exists', {
            field: 'email',
          });
        }
        // An account ID collision: draw another one.
      }
    }
    throw new Error('could not allocate an account ID');
  }

  async get(accountId: number): Promise<{ account: Account; realName: RealNameRecord | null }> {
    const account = await this.em.findOne(Account, { id: accountId });
    if (!account) throw new NotFoundError('Account');
    const realName = await this.em.findOne(RealNameRecord, { account: accountId, supersededAt: null });
    return { account, realName };
  }
}
