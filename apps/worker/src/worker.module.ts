import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { Client, Connection } from '@temporalio/client';
import { decodeKey32, type AppConfig } from '../../../libs/config/src/config';
import { APP_CONFIG, AppConfigModule } from '../../../libs/config/src/config.module';
import { BusinessCalendar } from '../../../libs/domain/src/business-days';
import { payloadDataConverter } from '../../../libs/temporal/src/payload-codec';
import { CLOCK, type Clock } from '../../../libs/domain/src/clock';
import { SecretBox } from '../../../libs/domain/src/secret-box';
import { createBank } from '../../../libs/integrations/src/bank/bank.factory';
import { BANK_GATEWAY, type BankGateway } from '../../../libs/integrations/src/bank/bank-gateway.port';
import type { SandboxBankOptions } from '../../../libs/integrations/src/bank/sandbox-bank';
import { createFaceVerifier } from '../../../libs/integrations/src/face/face.factory';
import { FACE_VERIFIER, type FaceVerifier } from '../../../libs/integrations/src/face/face-verifier.port';
import { createDocumentStore } from '../../../libs/integrations/src/documents/document-store.factory';
import type { DocumentStore } from '../../../libs/integrations/src/documents/document-store.port';
import { PersistenceModule } from '../../../libs/persistence/src/nest/persistence.module';
import { correlationClientInterceptor } from '../../../libs/observability/src/temporal-correlation';
import { createAppealActivities } from '../../../activities/appeal.activities';
import { createCancellationExecutionActivities } from '../../../activities/cancellation-execution.activities';
import { createCancellationActivities } from '../../../activities/cancellation.activities';
import { createReviewActivities } from '../../../activities/review.activities';
import { createVerificationActivities } from '../../../activities/verification.activities';
import { createPersonalVerificationActivities } from '../../../activities/personal-verification.activities';
import { createRechargeActivities } from '../../../activities/recharge.activities';
import { TemporalClosedExecutionsEraser } from './closed-executions';

export const ACTIVITIES = Symbol('Activities');
const DOCUMENTS = Symbol('DocumentStore');
/** A Temporal client for the activities that call Temporal's API themselves (CAN-5). */
const TEMPORAL_CLIENT = Symbol('TemporalClient');

@Injectable()
class TemporalClientCloser implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

export interface WorkerModuleOptions {
  config: AppConfig;
  clock?: Clock;
  orm?: MikroORM;
  /** Test hooks: a known payout amount, bank fault injection. */
  drawAmountFen?: () => number;
  bankOverrides?: Partial<SandboxBankOptions>;
}

/**
 * The worker's dependency injection: activities are factories over what this module provides,
 * so the same activity code runs with real adapters here and with test doubles in unit tests.
 */
@Module({})
export class WorkerModule {
  static forRoot(opts: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(opts.config, opts.clock),
        PersistenceModule.forRoot(opts.config.database, opts.orm),
      ],
      providers: [
        {
          provide: BANK_GATEWAY,
          useFactory: (config: AppConfig, orm: MikroORM, clock: Clock, calendar: BusinessCalendar) =>
            createBank(config, orm, clock, calendar, opts.bankOverrides),
          inject: [APP_CONFIG, MikroORM, CLOCK, BusinessCalendar],
        },
        {
          provide: FACE_VERIFIER,
          useFactory: (config: AppConfig, orm: MikroORM, clock: Clock) =>
            createFaceVerifier(config, orm, clock),
          inject: [APP_CONFIG, MikroORM, CLOCK],
        },
        { provide: DOCUMENTS, useFactory: () => createDocumentStore(opts.config) },
        {
          // Connects on first use: a worker starts (and its other activities run) without it.
          provide: TEMPORAL_CLIENT,
          useFactory: () =>
            new Client({
              connection: Connection.lazy({ address: opts.config.temporal.address }),
              namespace: opts.config.temporal.namespace,
              interceptors: { workflow: [correlationClientInterceptor()] },
              dataConverter: payloadDataConverter(opts.config.temporal.payloadKeys),
            }),
        },
        TemporalClientCloser,
        {
          provide: ACTIVITIES,
          useFactory: (
            orm: MikroORM,
            bank: BankGateway,
            clock: Clock,
            calendar: BusinessCalendar,
            documents: DocumentStore,
            temporal: Client,
            face: FaceVerifier,
          ) => {
            const dataBox = new SecretBox(decodeKey32(opts.config.dataEncryptionKey)!);
            return {
              ...createVerificationActivities({
                orm,
                bank,
                clock,
                calendar,
                dataBox,
                drawAmountFen: opts.drawAmountFen,
              }),
              ...createReviewActivities({
                orm,
                clock,
                calendar,
                slaBusinessDays: opts.config.reviewSlaBusinessDays,
              }),
              ...createAppealActivities({ orm, clock, bank, dataBox }),
              ...createCancellationExecutionActivities({
                orm,
                clock,
                documents,
                temporal: new TemporalClosedExecutionsEraser(temporal),
              }),
              ...createCancellationActivities({ orm, clock }),
              ...createPersonalVerificationActivities({ orm, clock, face, dataBox }),
              ...createRechargeActivities({ orm, clock, calendar, dataBox }),
            };
          },
          inject: [
            MikroORM,
            BANK_GATEWAY,
            CLOCK,
            BusinessCalendar,
            DOCUMENTS,
            TEMPORAL_CLIENT,
            FACE_VERIFIER,
          ],
        },
      ],
      exports: [ACTIVITIES, BANK_GATEWAY, FACE_VERIFIER],
    };
  }
}
