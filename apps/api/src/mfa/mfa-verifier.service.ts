import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { LockedError } from '../../../../libs/domain/src/errors';
import { AccountMfaSettings, MfaDevice } from '../../../../libs/persistence/src/entities';
import { SignInProtectionService } from '../auth/sign-in-protection.service';
import { SecretBox } from '../../../../libs/domain/src/secret-box';
import { checkTotp } from './totp';

export interface ProtectionSettings {
  loginProtection: boolean;
  operationProtection: boolean;
}

export type CodeCheck = 'ok' | 'invalid' | 'replayed' | 'no_device';

/**
 * Second-factor checks shared by sign-in (MFA-2), step-up (MFA-3) and binding (MFA-4). A code is
 * accepted once per device: the accepted time step is claimed with a conditional update, so two
 * concurrent requests with the same code cannot both pass (RFC 6238 §5.2).
 */
@Injectable()
export class MfaVerifier {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly protection: SignInProtectionService,
  ) {}

  async settings(accountId: number): Promise<ProtectionSettings> {
    const row = await this.em.findOne(AccountMfaSettings, { account: accountId });
    return {
      loginProtection: row?.loginProtection ?? false,
      operationProtection: row?.operationProtection ?? false,
    };
  }

  /** The owner's bound devices; a sub-user's own devices (ACC-9) never count for the owner. */
  async confirmedDevices(accountId: number): Promise<MfaDevice[]> {
    return this.em.find(
      MfaDevice,
      { account: accountId, subUser: null, removedAt: null, confirmedAt: { $ne: null } },
      { orderBy: { createdAt: 'asc' } },
    );
  }

  /**
   * Checks a code against every bound device of the account. Wrong codes are counted per account
   * and Shanghai day like wrong passwords (CON-2's thresholds): the 10th locks second-factor
   * checks for 24 hours (423), so 6-digit codes cannot be guessed through sign-in or step-up.
   */
  async verifyAccountCode(accountId: number, code: string): Promise<CodeCheck> {
    return this.verifyCounted(`mfa:${accountId}`, await this.confirmedDevices(accountId), code);
  }

  /**
   * A code checked against devices as one counted attempt of `subject`: reserved before the
   * check (so parallel guesses cannot outrun the count), given back when right.
   */
  async verifyCounted(subject: string, devices: MfaDevice[], code: string): Promise<CodeCheck> {
    if (devices.length === 0) return 'no_device';
    let result: CodeCheck = 'invalid';
    const ok = await this.protection.countedCheck(
      subject,
      async () => {
        for (const device of devices) {
          const r = await this.verifyDevice(device, code);
          if (r === 'ok') return true;
          if (r === 'replayed') result = 'replayed';
        }
        return false;
      },
      (until) => this.locked(until),
    );
    return ok ? 'ok' : result;
  }

  locked(until: Date): LockedError {
    return new LockedError('mfa_locked', `Too many wrong MFA codes: locked until ${until.toISOString()}`, {
      lockedUntil: until.toISOString(),
    });
  }

  /** Checks a code against one device and, when right, claims its time step. */
  async verifyDevice(device: MfaDevice, code: string): Promise<'ok' | 'invalid' | 'replayed'> {
    const secret = this.box.open(device.secretEncrypted, device.id);
    const check = checkTotp(secret, code, this.clock.now(), device.lastUsedStep ?? null);
    if (!check.ok) return check.reason;
    const claimed = await this.em.nativeUpdate(
      MfaDevice,
      { id: device.id, $or: [{ lastUsedStep: null }, { lastUsedStep: { $lt: check.step } }] },
      { lastUsedStep: check.step },
    );
    if (claimed !== 1) return 'replayed';
    return 'ok';
  }
}
