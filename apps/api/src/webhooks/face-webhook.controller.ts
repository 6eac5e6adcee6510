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
import { FACE_OUTCOMES } from '../../../../libs/domain/src/personal-verification';
import { FACE_SIGNATURE_HEADER } from '../../../../libs/integrations/src/face/face-verifier.port';
import { PersonalVerification } from '../../../../libs/persistence/src/entities';
import { personalSignals } from '../../../../libs/temporal/src/contract';
import { Public } from '../auth/principal';
import { signedWebhookEvent } from './signed-webhook';

const eventSchema = z.object({
  type: z.literal('face.result'),
  sessionId: z.string().min(1).max(80),
  reference: z.string().min(1).max(80),
  outcome: z.enum(FACE_OUTCOMES as [string, ...string[]]),
  decidedAt: z.string().datetime(),
});

/**
 * The face recognition service's callback (RN-6): a signed report of a session's result. Only a
 * callback whose signature holds (HMAC over the raw body, at most 5 minutes old) reaches the
 * verification's workflow, as its `faceResult` signal.
 */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class FaceWebhookController {
  private readonly logger = new Logger(FaceWebhookController.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('face')
  @HttpCode(200)
  async face(
    @Req() req: RawBodyRequest<Request>,
    @Headers(FACE_SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<{ accepted: boolean }> {
    const event = signedWebhookEvent(
      req,
      signature,
      this.config.face.webhookSecret,
      this.clock.now(),
      eventSchema,
    );

    const v = await this.em.findOne(PersonalVerification, {
      id: event.reference,
      providerSessionId: event.sessionId,
    });
    if (!v) throw new NotFoundError('Face session');
    try {
      await this.temporal.workflow
        .getHandle(v.workflowId, v.runId ?? undefined)
        .signal(personalSignals.faceResult, {
          sessionId: event.sessionId,
          outcome: event.outcome as (typeof FACE_OUTCOMES)[number],
        });
    } catch (err) {
      // The verification ended (expired, cancelled): the result comes too late; nothing to do.
      if (err instanceof WorkflowNotFoundError) {
        this.logger.log(`face result for closed verification ${v.id}`);
        return { accepted: false };
      }
      throw err;
    }
    return { accepted: true };
  }
}
