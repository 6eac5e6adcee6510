import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { MINUTE_MS } from '../../../../libs/domain/src/clock';
import { maskName, normalizePhone } from '../../../../libs/domain/src/contact';
import { ValidationError } from '../../../../libs/domain/src/errors';
import { maskEmail, maskTail } from '../../../../libs/domain/src/masking';
import { DATA_SECRET_BOX, SecretBox } from '../../../../libs/domain/src/secret-box';
import {
  Account,
  AccountDomain,
  IcpFiling,
  LoginIdentity,
  RealNameRecord,
  type RealNameKind,
  type Site,
} from '../../../../libs/persistence/src/entities';
import { certificateDigest } from '../../../../libs/domain/src/real-name';
import type { FindAccountResponse } from './find-account.dto';
import { RateLimiter } from './rate-limiter.service';

export type FindBy = 'phone' | 'account_id' | 'domain' | 'icp_filing';
const MAX_MATCHES = 20;

/** rule ACC-5: "find my account" — masked identifiers and login methods, never secrets. */
@Injectable()
export class FindAccountService {
  constructor(
    private readonly em: EntityManager,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async find(site: Site, by: FindBy, value: string, clientKey: string): Promise<FindAccountResponse> {
    // rule ACC-5: rate-limited per client, before any look-up.
    await this.limiter.hit('find_account', clientKey, this.config.findAccount.perMinute, MINUTE_MS);
    return this.present(await this.lookup(site, by, value));
  }

  /**
   * Issue 11 §1 (RN-2): which accounts of this site hold the slots of a person's or an enterprise's
   * identity, masked like every other look-up. The number is looked up by its keyed digest (never
   * stored or compared in plain text) and the name must match too, so a number alone finds
   * nothing; the answer has the same shape whether or not anything matched, under the same limit.
   */
  async findByRealName(
    site: Site,
    kind: RealNameKind,
    name: string,
    certificateNumber: string,
    clientKey: string,
  ): Promise<FindAccountResponse> {
    await this.limiter.hit('find_account', clientKey, this.config.findAccount.perMinute, MINUTE_MS);
    const records = await this.em.find(
      RealNameRecord,
      {
        kind,
        supersededAt: null,
        account: { site, status: 'active' },
        $or: [
          { certificateDigest: certificateDigest(this.box, kind, certificateNumber) },
          // Records written before numbers were sealed, until `npm run migrate` seals them.
          { certificateDigest: null, certificateNumber },
        ],
      },
      { populate: ['account'], orderBy: { verifiedAt: 'asc' }, limit: MAX_MATCHES },
    );
    const same = (a: string) => a.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
    return this.present(records.filter((r) => same(r.name) === same(name)).map((r) => r.account));
  }

  private async present(accounts: Account[]): Promise<FindAccountResponse> {
    if (accounts.length === 0) return { matches: [] };
    const identities = await this.em.find(
      LoginIdentity,
      { account: { $in: accounts.map((a) => a.id) } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return {
      matches: accounts.map((a) => ({
        accountId: maskTail(String(a.id), 4),
        loginMethods: identities
          .filter((i) => i.account.id === a.id)
          .map((i) => ({
            kind: i.kind,
            identifier: i.kind === 'email' ? maskEmail(i.subject) : maskName(i.displayName ?? i.kind),
          })),
      })),
    };
  }

  /** Active accounts of this site only (ACC-11). */
  private async lookup(site: Site, by: FindBy, value: string): Promise<Account[]> {
    const active = { site, status: 'active' as const };
    switch (by) {
      case 'phone': {
        const phone = normalizePhone(value);
        if (!phone) throw new ValidationError('value', 'value: not a valid phone number');
        return this.em.find(
          Account,
          { ...active, securityPhone: phone },
          { orderBy: { createdAt: 'asc' }, limit: MAX_MATCHES },
        );
      }
      case 'account_id': {
        if (!/^\d{16}$/.test(value)) throw new ValidationError('value', 'value: an account ID has 16 digits');
        return this.em.find(Account, { ...active, id: Number(value) });
      }
      case 'domain': {
        const name = value.toLowerCase().replace(/\.$/, '');
        const rows = await this.em.find(
          AccountDomain,
          { name, account: active },
          { populate: ['account'], limit: MAX_MATCHES },
        );
        return rows.map((r) => r.account);
      }
      case 'icp_filing': {
        const rows = await this.em.find(
          IcpFiling,
          { filingNumber: value, account: active },
          { populate: ['account'], limit: MAX_MATCHES },
        );
        return rows.map((r) => r.account);
      }
    }
  }
}
