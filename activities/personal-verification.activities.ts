import { type MikroORM } from '@mikro-orm/core';
import type { Clock } from '../libs/domain/src/clock';
import { NotFoundError, RuleViolationError } from '../libs/domain/src/errors';
import { newId } from '../libs/domain/src/ids';
import {
  OPEN_PERSONAL_STATUSES,
  type FaceOutcome,
  type PersonalVerificationState,
} from '../libs/domain/src/personal-verification';
import {
  realNameChangeAllowedFrom,
  realNameChangeTooSoon,
  realNameLimitReached,
} from '../libs/domain/src/real-name';
import type { SecretBox } from '../libs/domain/src/secret-box';
import type { FaceVerifier } from '../libs/integrations/src/face/face-verifier.port';
import { AccountKeyring } from '../libs/persistence/src/account-keys';
import { Account, PersonalVerification, RealNameRecord } from '../libs/persistence/src/entities';
import { openPersonalIdentity } from '../libs/persistence/src/personal-identity';
import { releaseRealNameSlot, takeRealNameSlot } from '../libs/persistence/src/real-name-slots';
import {
  isSameIdentity,
  openCertificate,
  storedCertificate,
} from '../libs/persistence/src/real-name-records';
import { withDomainFailures } from './domain-failures';

export interface PersonalVerificationActivityDeps {
  orm: MikroORM;
  clock: Clock;
  face: FaceVerifier;
  /** The data key's box: it opens the account data keys that seal name and ID number (CAN-5). */
  dataBox: SecretBox;
}

export interface OpenedFaceSession {
  sessionId: string;
  livenessUrl: string;
  expiresAt: string;
}

/** A rule that refused the record at completion; the account is left as it was. */
export interface RecordRefusal {
  rule: string;
  code: string;
  message: string;
}

export function createPersonalVerificationActivities(deps: PersonalVerificationActivityDeps) {
  const keyring = new AccountKeyring(deps.dataBox);

  async function load(em: ReturnType<MikroORM['em']['fork']>, id: string): Promise<PersonalVerification> {
    const v = await em.findOne(PersonalVerification, { id });
    if (!v) throw new NotFoundError('Personal verification');
    return v;
  }

  return withDomainFailures({
    /**
     * RN-6: opens the face service's session for the submitted identity. The service keys
     * sessions by our reference (the verification ID), so a retried call gets the same session.
     * Name and ID number are opened here and go to the service only, never into history.
     */
    async openFaceSession(input: { verificationId: string }): Promise<OpenedFaceSession> {
      const em = deps.orm.em.fork();
      const v = await load(em, input.verificationId);
      const identity = await openPersonalIdentity(em, keyring, v);
      const session = await deps.face.createSession({
        reference: v.id,
        name: identity.name,
        idNumber: identity.idNumber,
        documentType: v.documentType,
      });
      await em.nativeUpdate(
        PersonalVerification,
        { id: v.id },
        { providerSessionId: session.sessionId, updatedAt: deps.clock.now() },
      );
      return {
        sessionId: session.sessionId,
        livenessUrl: session.livenessUrl,
        expiresAt: session.expiresAt.toISOString(),
      };
    },

    /** Asks the face service for a session's result (its callback may have been lost). Null: none yet. */
    async fetchFaceResult(input: { verificationId: string }): Promise<FaceOutcome | null> {
      const v = await load(deps.orm.em.fork(), input.verificationId);
      if (!v.providerSessionId) return null;
      const r = await deps.face.getResult(v.providerSessionId);
      return r.status === 'done' ? r.outcome : null;
    },

    /**
     * RN-6/RN-11: a passed face verification makes the account personally verified at once; the
     * verified record supersedes the current one (RN-1: never deleted; a change of identity waits
     * 30 days). RN-2: the identity's slot is taken here, in the transaction that writes the
     * record, with the counter row's conditional update. An enterprise-verified account stays
     * enterprise-verified (RN-5 goes from personal to enterprise only). A refusal is returned,
     * and the account is left as it was. Idempotent per verification.
     */
    async recordPersonalIdentity(input: {
      verificationId: string;
    }): Promise<{ refusal: RecordRefusal | null }> {
      const em = deps.orm.em.fork();
      try {
        await em.transactional(async (tx) => {
          const v = await load(tx, input.verificationId);
          if ((await tx.count(RealNameRecord, { sourceId: v.id })) > 0) return;
          const now = deps.clock.now();
          const account = await tx.findOneOrFail(Account, { id: v.account.id });
          if (account.realNameStatus === 'enterprise') {
            throw new RuleViolationError(
              'RN-5',
              'already_enterprise_verified',
              'This account is enterprise-verified; it cannot go back to personal verification',
            );
          }
          const identity = await openPersonalIdentity(tx, keyring, v);
          const current = await tx.findOne(RealNameRecord, { account: account.id, supersededAt: null });
          const next = { kind: 'personal' as const, certificateNumber: identity.idNumber };
          const sameIdentity = isSameIdentity(deps.dataBox, current, 'personal', identity.idNumber);
          if (!sameIdentity) {
            // rule RN-1: at most one change in any 30 days.
            const changeAllowedFrom = realNameChangeAllowedFrom(current, next, now);
            if (changeAllowedFrom) {
              throw realNameChangeTooSoon(changeAllowedFrom);
            }
            // rule RN-2: one personal identity verifies at most 3 accounts per site (ACC-11).
            const slot = { site: account.site, box: deps.dataBox };
            if (!(await takeRealNameSlot(tx, { ...slot, ...next }))) {
              throw realNameLimitReached('personal');
            }
            if (current) {
              await releaseRealNameSlot(tx, {
                ...slot,
                kind: current.kind,
                certificateNumber: openCertificate(deps.dataBox, current),
              });
            }
          }
          await tx.nativeUpdate(
            RealNameRecord,
            { account: account.id, supersededAt: null },
            { supersededAt: now },
          );
          const recordId = newId();
          tx.create(RealNameRecord, {
            id: recordId,
            account,
            kind: 'personal',
            name: identity.name,
            // Sealed, with its keyed digest: never the number in plain text.
            ...storedCertificate(deps.dataBox, recordId, 'personal', identity.idNumber),
            method: 'face',
            sourceId: v.id,
            verifiedAt: now,
          });
          await tx.nativeUpdate(Account, { id: account.id }, { realNameStatus: 'personal', updatedAt: now });
        });
      } catch (err) {
        if (err instanceof RuleViolationError) {
          return { refusal: { rule: err.rule, code: err.code, message: err.message } };
        }
        throw err;
      }
      return { refusal: null };
    },

    /** Mirrors the workflow's state into the database, for lists and for after the workflow is gone. */
    async recordPersonalVerificationState(input: { state: PersonalVerificationState }): Promise<void> {
      const s = input.state;
      await deps.orm.em.fork().nativeUpdate(
        PersonalVerification,
        { id: s.verificationId },
        {
          status: s.status,
          failureReason: s.failureReason,
          refusalRule: s.refusal?.rule ?? null,
          refusalCode: s.refusal?.code ?? null,
          closedAt: OPEN_PERSONAL_STATUSES.includes(s.status) || !s.closedAt ? null : new Date(s.closedAt),
          updatedAt: deps.clock.now(),
        },
      );
    },
  });
}

export type PersonalVerificationActivities = ReturnType<typeof createPersonalVerificationActivities>;
