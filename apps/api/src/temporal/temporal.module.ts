import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../../../../libs/config/src/config';
import { TASK_QUEUES } from '../../../../libs/temporal/src/contract';
import { payloadDataConverter } from '../../../../libs/temporal/src/payload-codec';
import { ReviewWorkflowClient } from './review-workflow.client';

export const TEMPORAL_TASK_QUEUE = Symbol('TemporalTaskQueue');

@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/** The API's Temporal client: starts workflows, queries them, and completes their human steps. */
@Global()
@Module({})
export class TemporalClientModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TemporalClientModule,
      providers: [
        {
          provide: Client,
          useFactory: async () => {
            const connection = await Connection.connect({
              address: config.temporal.address,
              connectTimeout: '10s',
            });
            return new Client({
              connection,
              namespace: config.temporal.namespace,
              dataConverter: payloadDataConverter(config.temporal.payloadKeys),
            });
          },
        },
        { provide: TEMPORAL_TASK_QUEUE, useValue: config.temporal.taskQueue ?? TASK_QUEUES.accountCenter },
        ConnectionCloser,
        ReviewWorkflowClient,
      ],
      exports: [Client, TEMPORAL_TASK_QUEUE, ReviewWorkflowClient],
    };
  }
}
