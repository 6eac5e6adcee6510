import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { ClosedExecutionsEraser } from '../../../activities/cancellation-execution.activities';
import { searchAttributes } from '../../../libs/temporal/src/contract';

const GRPC_NOT_FOUND = 5;

/**
 * CAN-5 through Temporal's own API: lists the account's closed executions by the `AccountId`
 * search attribute and deletes each (its history and visibility record). Visibility lags: an
 * execution listed again after its deletion answers NOT_FOUND and is skipped, so a retried
 * activity deletes nothing twice and does not fail.
 */
export class TemporalClosedExecutionsEraser implements ClosedExecutionsEraser {
  constructor(private readonly client: Client) {}

  async deleteClosedExecutions(accountId: number): Promise<number> {
    if (!Number.isSafeInteger(accountId)) throw new RangeError('accountId must be a safe integer');
    const query = `${searchAttributes.accountId.name} = "${accountId}" AND ExecutionStatus != "Running"`;
    let deleted = 0;
    for await (const execution of this.client.workflow.list({ query })) {
      try {
        await this.client.workflowService.deleteWorkflowExecution({
          namespace: this.client.options.namespace,
          workflowExecution: { workflowId: execution.workflowId, runId: execution.runId },
        });
        deleted += 1;
      } catch (err) {
        if (!(isGrpcServiceError(err) && Number(err.code) === GRPC_NOT_FOUND)) throw err;
      }
    }
    return deleted;
  }
}
