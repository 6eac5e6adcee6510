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
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { correlationClientInterceptor } from '../../../../libs/observability/src/temporal-correlation';
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
            // Every start, signal, update and query carries the request's correlation ID, and its
            // trace context (spans only when tracing exports: main.ts).
            return new Client({
              connection,
              namespace: config.temporal.namespace,
              interceptors: {
                workflow: [correlationClientInterceptor(), new OpenTelemetryWorkflowClientInterceptor()],
              },
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
