import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import type { AppConfig } from '../../../../libs/config/src/config';
import { CLOCK, MINUTE_MS, type Clock } from '../../../../libs/domain/src/clock';
import { newId, newToken, sha256Hex } from '../../../../libs/domain/src/ids';
import { Account, Session, StepUpProof, type ProofFactor } from '../../../../libs/persistence/src/entities';
import { STEP_UP_TTL_MS } from './step-up';

export interface IssuedSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

export interface SessionMeta {
  ip?: string | null;
  userAgent?: string | null;
}

/** What a request's principal is made of: the session and the IDs it acts for. */
export interface ResolvedSession {
  id: string;
  account: { id: number };
  subUser: { id: string } | null;
}

interface SessionRow {
  id: string;
  account_id: string | number;
  sub_user_id: string | null;
}

const RESOLVE_SQL =
  'select s.id, s.account_id, s.sub_user_id from sessions s join accounts a on a.id = s.account_id ' +
  "where s.token_hash = ? and s.revoked_at is null and s.expires_at > ? and a.status = 'active'";

/** Opaque bearer sessions: a fresh random token per sign-in, stored as its SHA-256, with expiry. */
@Injectable()
export class SessionService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A new session. `proof` is how the sign-in authenticated (password, second factor, or a fresh
   * QQ/WeChat assertion): it counts as the session's recent authentication for 5 minutes.
   */
  async issue(account: Account, meta: SessionMeta = {}, proof?: ProofFactor): Promise<IssuedSession> {
    const now = this.clock.now();
    const token = newToken('acs');
    const session = this.em.create(Session, {
      id: newId(),
      account,
      tokenHash: sha256Hex(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessions.ttlMinutes * MINUTE_MS),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    });
    if (proof) {
      this.em.create(StepUpProof, {
        id: newId(),
        session,
        factor: proof,
        createdAt: now,
        expiresAt: new Date(now.getTime() + STEP_UP_TTL_MS),
      });
    }
    await this.em.flush();
    return { token, sessionId: session.id, expiresAt: session.expiresAt };
  }

  /**
   * The live session for a token, or null (unknown, expired, revoked, or account not active).
   * One indexed query per request, answered from the database every time so that a revoked
   * session or a cancelled account is refused at once; only the IDs a principal needs are read
   * (no entity is hydrated on the hot path, issue 13 §3).
   */
  async resolve(token: string): Promise<ResolvedSession | null> {
    const rows = (await this.em
      .getConnection()
      .execute(RESOLVE_SQL, [sha256Hex(token), this.clock.now()])) as SessionRow[];
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      account: { id: Number(row.account_id) },
      subUser: row.sub_user_id === null ? null : { id: row.sub_user_id },
    };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.em.nativeUpdate(Session, { id: sessionId, revokedAt: null }, { revokedAt: this.clock.now() });
  }
}
