import type { EntityManager } from '@mikro-orm/core';
import { RISK_LOOKBACK_MS, type RiskFlag } from '../../../domain/src/cancellation';
import { Account, LoginEvent, LoginIdentity, RealNameRecord } from '../entities';

/** The network a sign-in came from, as far as "a new place" goes: an IPv4 /24 or an IPv6 /48. */
export function networkOf(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) return `${ip.split(':').slice(0, 3).join(':')}::/48`;
  return null;
}

/**
 * Why a cancellation should be seen by a person before it proceeds (issue 10 §3; the rules are
 * in docs/rules-decisions.md): within the last 7 days the security phone or email changed, the
 * real-name record changed, a login method was added, or the owner signed in from a network the
 * account had never signed in from before. Each is what an account takeover looks like just
 * before the thief cancels the account.
 */
export async function cancellationRiskFlags(
  em: EntityManager,
  accountId: number,
  now: Date,
): Promise<RiskFlag[]> {
  const since = new Date(now.getTime() - RISK_LOOKBACK_MS);
  const flags: RiskFlag[] = [];
  const account = await em.findOne(Account, { id: accountId });
  if (account?.securityContactChangedAt && account.securityContactChangedAt >= since) {
    flags.push('recent_security_contact_change');
  }
  const realName = await em.count(RealNameRecord, {
    account: accountId,
    $or: [{ verifiedAt: { $gte: since } }, { supersededAt: { $gte: since } }],
  });
  if (realName > 0) flags.push('recent_real_name_change');
  const methods = await em.count(LoginIdentity, {
    account: accountId,
    role: 'associated',
    createdAt: { $gte: since },
  });
  if (methods > 0) flags.push('recent_login_method_change');
  const recent = await em.find(
    LoginEvent,
    { account: accountId, subUser: null, result: 'success', at: { $gte: since } },
    { fields: ['ip'] },
  );
  const earlier = await em.find(
    LoginEvent,
    { account: accountId, subUser: null, result: 'success', at: { $lt: since } },
    { fields: ['ip'] },
  );
  const known = new Set(earlier.map((e) => networkOf(e.ip)).filter((n): n is string => n !== null));
  // An account younger than the lookback has no "before": its first networks are not new places.
  const isNew = account !== null && account.createdAt < since;
  if (
    isNew &&
    recent.some((e) => {
      const n = networkOf(e.ip);
      return n !== null && !known.has(n);
    })
  ) {
    flags.push('new_sign_in_location');
  }
  return flags;
}
