import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import {
  Account,
  AccountMfaSettings,
  MfaDevice,
  MfaHardwareToken,
} from '../../../../libs/persistence/src/entities';
import { SignInProtectionService } from '../auth/sign-in-protection.service';
import { NotificationOutbox } from '../notifications/notification-outbox.service';
import { MfaVerifier, type ProtectionSettings } from './mfa-verifier.service';
import { SecretBox } from '../../../../libs/domain/src/secret-box';
import { checkTotp, isBase32Secret, newTotpSecret, otpauthUri } from './totp';

/** Live (pending or bound) devices an account may hold at once. */
export const MAX_DEVICES = 5;

export const hardwareSeedContext = (serial: string): string => `hardware:${serial}`;

/** MFA devices (MFA-1), binding by a first code (MFA-4), and the protection switches (ACC-12). */
@Injectable()
export class MfaService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly verifier: MfaVerifier,
    private readonly protection: SignInProtectionService,
    private readonly outbox: NotificationOutbox,
  ) {}

  /** MFA changes are security events: the owner hears of each, through the outbox of its change. */
  private async tellOwner(em: EntityManager, accountId: number, text: string): Promise<void> {
    const account = await em.findOne(Account, { id: accountId });
    if (account) this.outbox.tellAccount(em, account, 'Your MFA settings were changed', text);
  }

  async overview(accountId: number): Promise<{ settings: ProtectionSettings; devices: MfaDevice[] }> {
    const devices = await this.em.find(
      MfaDevice,
      { account: accountId, subUser: null, removedAt: null },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return { settings: await this.verifier.settings(accountId), devices };
  }

  /** MFA-1: a virtual (TOTP app) device, pending until its first code is proven (MFA-4). */
  async createVirtual(
    accountId: number,
    name: string,
  ): Promise<{ device: MfaDevice; secret: string; otpauthUri: string }> {
    const account = await this.em.findOneOrFail(Account, { id: accountId });
    await this.ensureRoom(accountId);
    const secret = newTotpSecret();
    const id = newId();
    const device = this.em.create(MfaDevice, {
      id,
      account,
      kind: 'virtual',
      name,
      secretEncrypted: this.box.seal(secret, id),
      createdAt: this.clock.now(),
    });
    await this.em.flush();
    const label = account.email ?? String(account.id);
    return { device, secret, otpauthUri: otpauthUri(label, this.config.mfa.issuer, secret) };
  }

  /** MFA-4: a device is bound only by proving a first code from it. */
  async confirm(accountId: number, deviceId: string, code: string): Promise<MfaDevice> {
    const device = await this.em.findOne(MfaDevice, {
      id: deviceId,
      account: accountId,
      subUser: null,
      removedAt: null,
    });
    if (!device) throw new NotFoundError('MFA device');
    if (device.confirmedAt)
      throw new ConflictError('mfa_device_already_bound', 'This device is already bound');
    const r = await this.verifier.verifyDevice(device, code);
    if (r !== 'ok') throw this.badCode('MFA-4');
    device.confirmedAt = this.clock.now();
    await this.tellOwner(
      this.em,
      accountId,
      `The MFA device "${device.name}" was bound to account ${accountId}.`,
    );
    await this.em.flush();
    this.outbox.kick();
    return device;
  }

  /** MFA-1/MFA-4: binds a hardware token registered by an operator, by its serial and a current code. */
  async bindHardware(accountId: number, serial: string, code: string, name: string): Promise<MfaDevice> {
    await this.ensureRoom(accountId);
    const token = await this.em.findOne(MfaHardwareToken, { serial });
    if (!token) throw new NotFoundError('Hardware token');
    const seed = this.box.open(token.seedEncrypted, hardwareSeedContext(serial));
    const now = this.clock.now();
    // Counted per token before the code is checked (CON-2's thresholds): a serial printed on a
    // token cannot be paired with a million guesses.
    let step: number | null = null;
    const ok = await this.protection.countedCheck(
      `hardware:${serial}`,
      async () => {
        const check = checkTotp(seed, code, now, null);
        if (check.ok) step = check.step;
        return check.ok;
      },
      (until: Date) => this.verifier.locked(until),
    );
    if (!ok || step === null) throw this.badCode('MFA-4');
    const id = newId();
    try {
      await this.em.fork().transactional(async (tem) => {
        await tem.insert(MfaDevice, {
          id,
          account: accountId,
          kind: 'hardware',
          name,
          secretEncrypted: this.box.seal(seed, id),
          hardwareSerial: serial,
          boundSerial: serial,
          // The proving code is used up (RFC 6238 §5.2).
          lastUsedStep: step,
          createdAt: now,
          confirmedAt: now,
        });
        await this.tellOwner(
          tem,
          accountId,
          `The hardware token ${serial} was bound to account ${accountId}.`,
        );
      });
      this.outbox.kick();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError('hardware_token_bound', 'This hardware token is already bound to an account');
      }
      throw err;
    }
    return this.em.findOneOrFail(MfaDevice, { id });
  }

  /** Unbinds a device. The last bound device cannot go while a protection that needs it is on. */
  async remove(accountId: number, deviceId: string): Promise<void> {
    const device = await this.em.findOne(MfaDevice, {
      id: deviceId,
      account: accountId,
      subUser: null,
      removedAt: null,
    });
    if (!device) throw new NotFoundError('MFA device');
    if (device.confirmedAt) {
      const settings = await this.verifier.settings(accountId);
      const bound = await this.verifier.confirmedDevices(accountId);
      if ((settings.loginProtection || settings.operationProtection) && bound.length <= 1) {
        throw new RuleViolationError(
          'ACC-12',
          'mfa_device_required',
          'Turn login and operation protection off before removing the last MFA device',
        );
      }
    }
    device.removedAt = this.clock.now();
    device.boundSerial = null;
    if (device.confirmedAt) {
      await this.tellOwner(
        this.em,
        accountId,
        `The MFA device "${device.name}" was removed from account ${accountId}.`,
      );
    }
    await this.em.flush();
    this.outbox.kick();
  }

  /** ACC-12, MFA-2, MFA-3: turning a protection on needs a bound device. */
  async setProtection(accountId: number, change: Partial<ProtectionSettings>): Promise<ProtectionSettings> {
    const turningOn = change.loginProtection === true || change.operationProtection === true;
    if (turningOn && (await this.verifier.confirmedDevices(accountId)).length === 0) {
      throw new RuleViolationError(
        change.loginProtection ? 'MFA-2' : 'MFA-3',
        'mfa_device_required',
        'Bind an MFA device before turning protection on',
      );
    }
    let row = await this.em.findOne(AccountMfaSettings, { account: accountId });
    if (!row) {
      row = this.em.create(AccountMfaSettings, {
        account: this.em.getReference(Account, accountId),
        updatedAt: this.clock.now(),
      });
    }
    if (change.loginProtection !== undefined) row.loginProtection = change.loginProtection;
    if (change.operationProtection !== undefined) row.operationProtection = change.operationProtection;
    row.updatedAt = this.clock.now();
    const state = (on: boolean) => (on ? 'on' : 'off');
    await this.tellOwner(
      this.em,
      accountId,
      `Login protection is ${state(row.loginProtection)} and operation protection is ${state(row.operationProtection)} for account ${accountId}.`,
    );
    await this.em.flush();
    this.outbox.kick();
    return { loginProtection: row.loginProtection, operationProtection: row.operationProtection };
  }

  /** Operators register hardware tokens (serial + seed from the vendor's seed file). */
  async registerHardwareToken(staffId: string, serial: string, seed: string): Promise<MfaHardwareToken> {
    if (!isBase32Secret(seed))
      throw new ValidationError('seed', 'seed must be a base32 TOTP secret (16–128 characters)');
    try {
      await this.em.fork().insert(MfaHardwareToken, {
        id: newId(),
        serial,
        seedEncrypted: this.box.seal(seed, hardwareSeedContext(serial)),
        registeredBy: staffId,
        registeredAt: this.clock.now(),
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ConflictError('hardware_token_exists', 'A token with this serial is registered');
      throw err;
    }
    return this.em.findOneOrFail(MfaHardwareToken, { serial });
  }

  async listHardwareTokens(): Promise<Array<{ token: MfaHardwareToken; bound: boolean }>> {
    const tokens = await this.em.find(
      MfaHardwareToken,
      {},
      { orderBy: { registeredAt: 'desc', id: 'desc' }, limit: 500 },
    );
    const bound = new Set(
      (await this.em.find(MfaDevice, { boundSerial: { $in: tokens.map((t) => t.serial) } })).map(
        (d) => d.boundSerial,
      ),
    );
    return tokens.map((token) => ({ token, bound: bound.has(token.serial) }));
  }

  private async ensureRoom(accountId: number): Promise<void> {
    const live = await this.em.count(MfaDevice, { account: accountId, subUser: null, removedAt: null });
    if (live >= MAX_DEVICES) {
      throw new ConflictError('mfa_device_limit', `At most ${MAX_DEVICES} MFA devices per account`);
    }
  }

  private badCode(rule: string): ValidationError {
    return new ValidationError('code', 'The code is wrong or was already used', 'mfa_code_invalid', { rule });
  }
}
