import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { RuleViolationError } from '../../../../libs/domain/src/errors';
import { DATA_SECRET_BOX, SecretBox } from '../../../../libs/domain/src/secret-box';
import { Account, RealNameRecord } from '../../../../libs/persistence/src/entities';
import { recordEnterpriseVerification } from '../../../../libs/persistence/src/real-name-records';
import { ThirdPartyIdentities } from '../login-methods/third-party-identities';
import type { OfficialAccountResponse } from './enterprise-verification.dto';
import { alreadyEnterpriseVerified } from '../../../../libs/domain/src/real-name';

/**
 * RN-7: enterprise verification through the Official Account, immediate. The Official Account's
 * assertion (single use, like an OAuth code) carries the enterprise's name and licence number as
 * WeChat verified them; the account is verified at once, under RN-1, RN-2 and RN-3 held where
 * the record is written. Open to public institutions (RN-10).
 */
@Injectable()
export class OfficialAccountVerificationService {
  constructor(
    private readonly em: EntityManager,
    private readonly identities: ThirdPartyIdentities,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATA_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async verify(accountId: number, assertion: string): Promise<OfficialAccountResponse> {
    // RN-3: an account is verified for at most one enterprise (RN-5: a personal one may go on).
    const account = await this.em.fork().findOneOrFail(Account, { id: accountId });
    if (account.realNameStatus === 'enterprise') {
      throw alreadyEnterpriseVerified();
    }
    const identity = await this.identities.verify('wechat_oa', assertion);
    if (!identity.enterprise) {
      throw new RuleViolationError(
        'RN-7',
        'official_account_without_enterprise',
        "This Official Account's owner is not a verified organisation; use a corporate transfer or a recharge",
        { field: 'assertion' },
      );
    }
    const { name, licenceNumber } = identity.enterprise;
    const sourceId = identity.assertionId ?? `wechat_oa:${identity.subject}`;
    await this.em.fork().transactional((tx) =>
      recordEnterpriseVerification(tx, {
        accountId,
        enterpriseName: name,
        licenceNumber,
        method: 'official_account',
        sourceId: sourceId.slice(0, 64),
        now: this.clock.now(),
        box: this.box,
      }),
    );
    const record = await this.em
      .fork()
      .findOneOrFail(RealNameRecord, { account: accountId, supersededAt: null, kind: 'enterprise' });
    return {
      realNameStatus: 'enterprise',
      method: 'official_account',
      enterprise: { name: record.name, verifiedAt: record.verifiedAt.toISOString() },
    };
  }
}
