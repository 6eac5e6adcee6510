import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  ConflictError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { MfaDevice, SubUser } from '../../../../libs/persistence/src/entities';
import type { SubUserPrincipal } from '../auth/principal';
import type { Permission } from '../../../../libs/domain/src/permissions';
import { assertCanGrant } from './sub-users.service';
import { MfaVerifier, type CodeCheck } from '../mfa/mfa-verifier.service';
import { SecretBox } from '../../../../libs/domain/src/secret-box';
import { newTotpSecret, otpauthUri } from '../mfa/totp';
import type { Acting } from '../permissions/permissions.types';
import { subUserLoginName } from './users.mapper';

/**
 * A sub-user's own MFA (ACC-9 with MFA-1, MFA-2, MFA-4): one virtual TOTP device, bound by
 * proving a first code; once bound, every sign-in of the sub-user needs a code from it. The
 * device rows are the owner's `mfa_devices` with `subUser` set (and `account` = the root), so
 * the TOTP check, the used-step claim (RFC 6238 §5.2) and the encryption at rest are the same
 * code. A lost device is reset by the root account (or a user with `users:manage`), not appealed.
 */
@Injectable()
export class SubUserMfaService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly verifier: MfaVerifier,
  ) {}

  /** The sub-user's live device (pending or bound), or null. */
  async device(principal: SubUserPrincipal): Promise<MfaDevice | null> {
    await this.subUser(principal);
    return this.em.findOne(
      MfaDevice,
      { subUser: principal.subUserId, removedAt: null },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  /**
   * MFA-1: a new virtual device, pending until its first code is proven (MFA-4). A pending device
   * started earlier is replaced; a bound one must be reset by the root account first.
   */
  async createVirtual(
    principal: SubUserPrincipal,
    name: string,
  ): Promise<{ device: MfaDevice; secret: string; otpauthUri: string }> {
    const subUser = await this.subUser(principal);
    const now = this.clock.now();
    const secret = newTotpSecret();
    const id = newId();
    const device = await this.em.transactional(async (tem) => {
      const live = await tem.find(MfaDevice, { subUser: subUser.id, removedAt: null });
      if (live.some((d) => d.confirmedAt)) {
        throw new ConflictError(
          'mfa_device_already_bound',
          'An MFA device is already bound: the root account can reset it',
        );
      }
      for (const d of live) d.removedAt = now;
      return tem.create(MfaDevice, {
        id,
        account: subUser.account,
        subUser,
        kind: 'virtual',
        name,
        secretEncrypted: this.box.seal(secret, id),
        createdAt: now,
      });
    });
    const label = subUserLoginName(subUser.username, subUser.account.id);
    return { device, secret, otpauthUri: otpauthUri(label, this.config.mfa.issuer, secret) };
  }

  /** MFA-4: the pending device is bound only by proving a first code from it. */
  async confirm(principal: SubUserPrincipal, code: string): Promise<MfaDevice> {
    await this.subUser(principal);
    const live = await this.em.find(MfaDevice, { subUser: principal.subUserId, removedAt: null });
    if (live.some((d) => d.confirmedAt))
      throw new ConflictError('mfa_device_already_bound', 'This device is already bound');
    const device = live[0];
    if (!device) throw new NotFoundError('MFA device');
    if ((await this.verifier.verifyDevice(device, code)) !== 'ok') {
      throw new ValidationError('code', 'The code is wrong or was already used', 'mfa_code_invalid', {
        rule: 'MFA-4',
      });
    }
    device.confirmedAt = this.clock.now();
    await this.em.flush();
    return device;
  }

  /** The root account (or `users:manage`) unbinds every device of its sub-user; a stranger's is 404. */
  async reset(acting: Acting, subUserId: string): Promise<void> {
    const subUser = await this.em.findOne(SubUser, { id: subUserId, account: acting.accountId });
    if (!subUser) throw new NotFoundError('Sub-user');
    // A delegate could take over a sub-user stronger than itself by resetting its MFA: like a
    // grant, a reset is only allowed over permissions the delegate holds itself.
    assertCanGrant(acting, subUser.permissions as Permission[]);
    await this.em.nativeUpdate(
      MfaDevice,
      { subUser: subUser.id, removedAt: null },
      { removedAt: this.clock.now(), boundSerial: null },
    );
  }

  async hasBoundDevice(subUserId: string): Promise<boolean> {
    return (await this.boundDevices(subUserId)).length > 0;
  }

  /**
   * MFA-2 for a sub-user: checks a code against its bound devices. Wrong codes are counted per
   * sub-user and Shanghai day like the owner's (subject `mfa:sub_user:<id>`): the 10th locks
   * code checks for 24 hours (423 mfa_locked).
   */
  async verifyCode(subUserId: string, code: string): Promise<CodeCheck> {
    return this.verifier.verifyCounted(`mfa:sub_user:${subUserId}`, await this.boundDevices(subUserId), code);
  }

  private boundDevices(subUserId: string): Promise<MfaDevice[]> {
    return this.em.find(
      MfaDevice,
      { subUser: subUserId, removedAt: null, confirmedAt: { $ne: null } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  private async subUser(principal: SubUserPrincipal): Promise<SubUser> {
    const s = await this.em.findOne(
      SubUser,
      { id: principal.subUserId, account: principal.accountId },
      { populate: ['account'] },
    );
    if (!s) throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
    return s;
  }
}
