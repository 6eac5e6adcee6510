import {
  Controller,
  Headers,
  HttpCode,
  Inject,
  Logger,
  Post,
  Req,
  type RawBodyRequest,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/core';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Request } from 'express';
import { z } from 'zod';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { NotFoundError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import {
  BANK_SIGNATURE_HEADER,
  verifyBankWebhook,
} from '../../../../libs/integrations/src/bank/webhook-signature';
import { BankPayout, DepositVerification } from '../../../../libs/persistence/src/entities';
import { depositSignals } from '../../../../libs/temporal/src/contract';
import { Public } from '../auth/principal';
import { parseOr400 } from '../common/zod';

const eventSchema = z.object({
  type: z.literal('payout.landed'),
  reference: z.string().min(1).max(80),
  idempotencyKey: z.string().min(1).max(80),
  landedAt: z.string().datetime(),
});

/** The bank's webhook: a signed report that a payout landed. Signals the verification's workflow. */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class BankWebhookController {
  private readonly logger = new Logger(BankWebhookController.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('bank')
  @HttpCode(200)
  async bank(
    @Req() req: RawBodyRequest<Request>,
    @Headers(BANK_SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<{ accepted: boolean }> {
    const raw = req.rawBody?.toString('utf8') ?? '';
    const check = verifyBankWebhook(this.config.bank.webhookSecret, raw, signature, this.clock.now());
    if (!check.ok) throw new UnauthenticatedError(`Bad webhook signature (${check.reason})`, 'bad_signature');
    const event = parseOr400(eventSchema, JSON.parse(raw) as unknown);

    const payout = await this.em.findOne(BankPayout, { idempotencyKey: event.idempotencyKey });
    if (!payout) throw new NotFoundError('Payout');
    const landedAt = new Date(event.landedAt);
    await this.em.nativeUpdate(
      BankPayout,
      { id: payout.id, landedAt: null },
      { landedAt, bankReference: event.reference },
    );
    const v = await this.em.findOneOrFail(DepositVerification, { id: payout.verificationId });
    try {
      await this.temporal.workflow
        .getHandle(v.workflowId, v.runId ?? undefined)
        .signal(depositSignals.payoutLanded, { landedAt: event.landedAt, bankReference: event.reference });
    } catch (err) {
      // The verification ended (withdrawn, expired…): the money still landed; nothing to do.
      if (err instanceof WorkflowNotFoundError) {
        this.logger.log(`payout ${event.reference} landed for closed verification ${v.id}`);
        return { accepted: false };
      }
      throw err;
    }
    return { accepted: true };
  }
}
