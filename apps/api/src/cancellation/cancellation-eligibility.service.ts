import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import type { CancellationBlocker } from '../../../../libs/domain/src/cancellation';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { cancellationBlockers } from '../../../../libs/persistence/src/cancellation/eligibility';

export interface CancellationEligibility {
  eligible: boolean;
  blockers: CancellationBlocker[];
}

/**
 * rule CAN-1: may this account start a cancellation? Asks every module that owns blocking data
 * through `cancellationBlockers` (libs/persistence/src/cancellation), at the Clock's now.
 */
@Injectable()
export class CancellationEligibilityService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every unmet condition at once; `em` lets a caller run it inside its own transaction. */
  async check(accountId: number, em: EntityManager = this.em): Promise<CancellationEligibility> {
    const blockers = await cancellationBlockers(em, accountId, this.clock.now());
    return { eligible: blockers.length === 0, blockers };
  }
}
