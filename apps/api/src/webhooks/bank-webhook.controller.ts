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
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { BANK_SIGNATURE_HEADER } from '../../../../libs/integrations/src/bank/webhook-signature';
import { BankPayout, DepositVerification } from '../../../../libs/persistence/src/entities';
import { depositSignals } from '../../../../libs/temporal/src/contract';
import { Public } from '../auth/principal';
import { signedWebhookEvent } from './signed-webhook';
import { IncomingPaymentsService } from '../verifications/incoming-payments.service';

const payoutLandedSchema = z.object({
  type: z.literal('payout.landed'),
  reference: z.string().min(1).max(80),
  idempotencyKey: z.string().min(1).max(80),
  landedAt: z.string().datetime(),
});

/** RN-9: money paid into one of the platform's collection accounts. */
const transferReceivedSchema = z.object({
  type: z.literal('transfer.received'),
  reference: z.string().min(1).max(80),
  beneficiaryAccount: z.string().regex(/^\d{8,30}$/),
  channel: z.string().min(1).max(40),
  payerAccountNumber: z.string().regex(/^\d{8,30}$/),
  payerAccountHolder: z.string().min(1).max(200),
  amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  arrivedAt: z.string().datetime(),
});

const eventSchema = z.discriminatedUnion('type', [payoutLandedSchema, transferReceivedSchema]);

/**
 * The bank's webhook: a signed report that a payout landed (signals the deposit verification's
 * workflow), or that money arrived in a collection account (RN-9: credited, then told to the
 * account's recharge verification).
 */
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
    private readonly payments: IncomingPaymentsService,
  ) {}

  @Post('bank')
  @HttpCode(200)
  async bank(
    @Req() req: RawBodyRequest<Request>,
    @Headers(BANK_SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<{ accepted: boolean }> {
    const parsed = signedWebhookEvent(
      req,
      signature,
      this.config.bank.webhookSecret,
      this.clock.now(),
      eventSchema,
    );
    if (parsed.type === 'transfer.received') {
      // Credited to the balance whatever happens next; told to an open recharge verification.
      const { credited } = await this.payments.receive(parsed);
      return { accepted: credited };
    }
    const event = parsed;

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
