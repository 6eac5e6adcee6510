import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, MINUTE_MS, type Clock } from '../../../../libs/domain/src/clock';
import { newId, newToken, sha256Hex } from '../../../../libs/domain/src/ids';
import { StaffMember, StaffSession } from '../../../../libs/persistence/src/entities';

export const STAFF_TOKEN_PREFIX = 'stf';

/** Staff sessions: their own table and token prefix (`stf_`), never interchangeable with account sessions. */
@Injectable()
export class StaffSessionsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static isStaffToken(token: string): boolean {
    return token.startsWith(`${STAFF_TOKEN_PREFIX}_`);
  }

  async issue(
    staff: StaffMember,
    meta: { ip?: string | null; userAgent?: string | null },
  ): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    const token = newToken(STAFF_TOKEN_PREFIX);
    const expiresAt = new Date(now.getTime() + this.config.sessions.ttlMinutes * MINUTE_MS);
    await this.em.fork().insert(StaffSession, {
      id: newId(),
      staff: staff.id,
      tokenHash: sha256Hex(token),
      createdAt: now,
      expiresAt,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    });
    return { token, expiresAt };
  }

  /** The live staff session for a token, or null (unknown, expired, revoked, or staff disabled). */
  async resolve(token: string): Promise<StaffSession | null> {
    const session = await this.em.findOne(
      StaffSession,
      { tokenHash: sha256Hex(token) },
      { populate: ['staff'] },
    );
    if (!session || session.revokedAt) return null;
    if (session.expiresAt.getTime() <= this.clock.now().getTime()) return null;
    if (session.staff.disabledAt) return null;
    return session;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.em.nativeUpdate(
      StaffSession,
      { id: sessionId, revokedAt: null },
      { revokedAt: this.clock.now() },
    );
  }
}
