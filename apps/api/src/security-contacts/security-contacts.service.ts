import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { MAX_ACCOUNTS_PER_PHONE, normalizePhone } from '../../../../libs/domain/src/contact';
import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { maskEmail, maskPhone } from '../../../../libs/domain/src/masking';
import { Account, PhoneBindCount } from '../../../../libs/persistence/src/entities';
import { movePhoneBinding, phoneCounterKey } from '../../../../libs/persistence/src/phone-binding';
import { NotificationOutbox } from '../notifications/notification-outbox.service';
import {
  VerificationCodeService,
  type CodeSent,
  type CodeTarget,
} from '../notifications/verification-codes.service';

export type ContactKind = 'phone' | 'email';

const SPEC = {
  phone: {
    channel: 'sms',
    currentPurpose: 'security_phone_current',
    newPurpose: 'security_phone_new',
    label: 'security phone',
  },
  email: {
    channel: 'email',
    currentPurpose: 'security_email_current',
    newPurpose: 'security_email_new',
    label: 'security email',
  },
} as const;

export interface SecuritySettings {
  securityPhone: string | null;
  securityEmail: string | null;
}

/**
 * The security phone and security email (ACC-12, CON-1a, CON-3, CON-4). Both change in two
 * steps when one is already set: a code to the current address yields a proof, then a code to
 * the new address completes the change. The old address is told of every change.
 */
@Injectable()
export class SecurityContactsService {
  constructor(
    private readonly em: EntityManager,
    private readonly codes: VerificationCodeService,
    private readonly outbox: NotificationOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async settings(accountId: number): Promise<SecuritySettings> {
    const a = await this.account(accountId);
    return {
      securityPhone: a.securityPhone ? maskPhone(a.securityPhone) : null,
      securityEmail: a.securityEmail ? maskEmail(a.securityEmail) : null,
    };
  }

  /** Step 1 of a change: a code to the current phone/email. */
  async sendCurrentCode(accountId: number, kind: ContactKind): Promise<CodeSent> {
    const account = await this.account(accountId);
    const current = this.current(account, kind);
    if (!current) {
      throw new ConflictError(`no_security_${kind}`, `No ${SPEC[kind].label} is set; bind one directly`);
    }
    return this.codes.send(this.target(account, kind, 'current', current), (code) => ({
      subject: `Confirm the change of your ${SPEC[kind].label}`,
      text: `Your code to change the ${SPEC[kind].label} of account ${account.id} is ${code}. It is valid for 10 minutes. If you did not ask for it, ignore this message.`,
    }));
  }

  /** Step 1 done: the code from the current address gives a single-use proof for step 2. */
  async verifyCurrent(
    accountId: number,
    kind: ContactKind,
    code: string,
  ): Promise<{ proof: string; expiresAt: Date }> {
    const account = await this.account(accountId);
    const current = this.current(account, kind);
    if (!current) {
      throw new ConflictError(`no_security_${kind}`, `No ${SPEC[kind].label} is set; bind one directly`);
    }
    const row = await this.codes.verify(this.target(account, kind, 'current', current), code);
    return this.codes.issueProof(row);
  }

  /** Step 2: a code to the new address (needs the step-1 proof when an address is already set). */
  async sendNewCode(
    accountId: number,
    kind: ContactKind,
    rawValue: string,
    proof?: string,
  ): Promise<CodeSent> {
    const account = await this.account(accountId);
    const value = this.normalise(kind, rawValue);
    await this.precheck(account, kind, value, proof);
    return this.codes.send(this.target(account, kind, 'new', value), (code) => ({
      subject: `Confirm your new ${SPEC[kind].label}`,
      text: `Your code to make this the ${SPEC[kind].label} of account ${account.id} is ${code}. It is valid for 10 minutes.`,
    }));
  }

  /** Completes a bind or change with the code sent to the new address. */
  async bind(
    accountId: number,
    kind: ContactKind,
    rawValue: string,
    code: string,
    proof?: string,
  ): Promise<SecuritySettings> {
    const account = await this.account(accountId);
    const value = this.normalise(kind, rawValue);
    const old = await this.precheck(account, kind, value, proof);
    await this.codes.verify(this.target(account, kind, 'new', value), code);

    await this.em.transactional(async (em) => {
      if (old && !(await this.codes.spendProof(em, account.id, SPEC[kind].currentPurpose, proof))) {
        throw this.proofError(kind);
      }
      if (kind === 'phone') {
        // rule ACC-3: one conditional UPDATE decides; concurrent binds queue on the counter row.
        if (!(await movePhoneBinding(em, account.site, value, old))) throw this.phoneFull();
      }
      const field = kind === 'phone' ? 'securityPhone' : 'securityEmail';
      // The change time is a risk flag of a later cancellation (issue 10).
      const changed = await em.nativeUpdate(
        Account,
        { id: account.id, [field]: old },
        { [field]: value, securityContactChangedAt: this.clock.now() },
      );
      if (changed !== 1) {
        throw new ConflictError(
          'concurrent_change',
          `The ${SPEC[kind].label} changed meanwhile; start again`,
        );
      }
      // The old address is told of every change (CON-1, CON-4): written with the change, sent
      // after it, retried while the mail or SMS system is down.
      if (old) {
        const shown = kind === 'phone' ? maskPhone(value) : maskEmail(value);
        this.outbox.enqueue(em, {
          channel: SPEC[kind].channel,
          to: old,
          subject: `Your ${SPEC[kind].label} was changed`,
          text: `The ${SPEC[kind].label} of account ${account.id} was changed to ${shown}. If this was not you, contact support at once.`,
        });
      }
    });
    this.outbox.kick();
    await this.em.refresh(account);
    return this.settings(accountId);
  }

  /** Checks shared by both step-2 calls; returns the current address (null when none). */
  private async precheck(
    account: Account,
    kind: ContactKind,
    value: string,
    proof?: string,
  ): Promise<string | null> {
    const old = this.current(account, kind);
    if (old === value) {
      throw new ConflictError('same_as_current', `This is already the ${SPEC[kind].label}`, { field: kind });
    }
    // rule CON-1a / CON-4: changing needs the code to the current address first.
    if (old && !(await this.codes.checkProof(account.id, SPEC[kind].currentPurpose, proof))) {
      throw this.proofError(kind);
    }
    if (kind === 'phone') {
      const counter = await this.em.findOne(PhoneBindCount, { key: phoneCounterKey(account.site, value) });
      if (counter && counter.bound >= MAX_ACCOUNTS_PER_PHONE) throw this.phoneFull();
    }
    return old;
  }

  private phoneFull(): RuleViolationError {
    return new RuleViolationError(
      'ACC-3',
      'phone_limit_reached',
      `This phone number is already bound to ${MAX_ACCOUNTS_PER_PHONE} accounts`,
      { field: 'phone' },
    );
  }

  private proofError(kind: ContactKind): ValidationError {
    return new ValidationError(
      'proof',
      `Changing the ${SPEC[kind].label} needs the proof from the code sent to the current one`,
      'change_proof_invalid',
    );
  }

  private normalise(kind: ContactKind, value: string): string {
    if (kind === 'email') return value.trim().toLowerCase();
    const phone = normalizePhone(value);
    if (!phone) throw new ValidationError('phone', 'phone: not a valid phone number');
    return phone;
  }

  private current(account: Account, kind: ContactKind): string | null {
    return (kind === 'phone' ? account.securityPhone : account.securityEmail) ?? null;
  }

  private target(
    account: Account,
    kind: ContactKind,
    step: 'current' | 'new',
    destination: string,
  ): CodeTarget {
    return {
      site: account.site,
      purpose: step === 'current' ? SPEC[kind].currentPurpose : SPEC[kind].newPurpose,
      channel: SPEC[kind].channel,
      destination,
      accountId: account.id,
    };
  }

  private async account(accountId: number): Promise<Account> {
    const account = await this.em.findOne(Account, { id: accountId, status: 'active' });
    if (!account) throw new NotFoundError('Account');
    return account;
  }
}
