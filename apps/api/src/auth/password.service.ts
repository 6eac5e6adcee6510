import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { NotFoundError, ValidationError } from '../../../../libs/domain/src/errors';
import { Account } from '../../../../libs/persistence/src/entities';
import { NotificationOutbox } from '../notifications/notification-outbox.service';
import { AccountSessionsService } from './account-sessions.service';
import { PasswordHasher } from './password-hasher';
import type { OwnerPrincipal } from './principal';
import { SignInProtectionService } from './sign-in-protection.service';

/** rule ACC-14: a password change takes effect at once and ends every other session. */
@Injectable()
export class PasswordService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly protection: SignInProtectionService,
    private readonly sessions: AccountSessionsService,
    private readonly outbox: NotificationOutbox,
  ) {}

  async change(
    principal: OwnerPrincipal,
    currentPassword: string,
    newPassword: string,
  ): Promise<{ endedSessions: number }> {
    const account = await this.em.findOne(
      Account,
      { id: principal.accountId },
      { populate: ['passwordHash'] },
    );
    if (!account) throw new NotFoundError('Account');
    // rule CON-2: a wrong current password counts like a wrong sign-in, so a stolen session cannot
    // be used to guess the password; a locked account cannot change it either.
    // rule CON-2: a wrong current password counts like a wrong sign-in, counted before it is checked.
    const subject = SignInProtectionService.accountSubject(account.id);
    const right = await this.protection.countedCheck(subject, () =>
      this.hasher.verify(account.passwordHash ?? undefined, currentPassword),
    );
    if (!right) {
      throw new ValidationError('currentPassword', 'The current password is wrong', 'current_password_wrong');
    }
    if (currentPassword === newPassword) {
      throw new ValidationError(
        'newPassword',
        'The new password must differ from the current one',
        'password_unchanged',
      );
    }
    account.passwordHash = await this.hasher.hash(newPassword);
    account.passwordChangedAt = this.clock.now();
    // The notice is written with the change and sent after it (never lost, never failing it).
    this.outbox.tellAccount(
      this.em,
      account,
      'Your password was changed',
      `The password of account ${account.id} was changed and every other session was ended. If this was not you, use "find my account" or contact support at once.`,
    );
    await this.em.flush();
    this.outbox.kick();
    return { endedSessions: await this.sessions.revokeOthers(account.id, principal.sessionId) };
  }
}
