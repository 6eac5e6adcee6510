import { Injectable } from '@nestjs/common';
import {
  Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import {
  ConflictError,
  ForbiddenError,
  ServiceUnavailableError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { FORBIDDEN_REVIEW_REFUSALS, REVIEW_REFUSALS } from '../../../../libs/domain/src/review';
import { isTemporalUnreachable } from './temporal-errors';

const RETRY_AFTER_SECONDS = 2;

/**
 * The API's side of the human-task workflows: runs a Workflow Update on a case's own run (never
 * "the latest run" of its ID) and turns the workflow's refusals into the API's answers — 403 for
 * who may not act, 409 for a task whose state does not allow it, 503 when Temporal or the inbox
 * cannot be reached (the same request, with the same Idempotency-Key, may be sent again).
 */
@Injectable()
export class ReviewWorkflowClient {
  constructor(private readonly temporal: Client) {}

  handle(workflowId: string, runId: string): WorkflowHandle {
    return this.temporal.workflow.getHandle(workflowId, runId);
  }

  async update<Ret, Args extends unknown[]>(
    ref: { workflowId: string; runId: string },
    def: UpdateDefinition<Ret, Args>,
    args: Args,
    updateId: string | undefined,
  ): Promise<Ret> {
    try {
      const options = { args, ...(updateId ? { updateId } : {}) };
      return await this.handle(ref.workflowId, ref.runId).executeUpdate(
        def as unknown as UpdateDefinition<Ret, [unknown]>,
        options as unknown as { args: [unknown]; updateId?: string },
      );
    } catch (err) {
      throw translate(err);
    }
  }

  async query<Ret>(
    ref: { workflowId: string; runId: string },
    run: (h: WorkflowHandle) => Promise<Ret>,
  ): Promise<Ret> {
    try {
      return await run(this.handle(ref.workflowId, ref.runId));
    } catch (err) {
      throw translate(err);
    }
  }
}

function translate(err: unknown): unknown {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type) {
    if (cause.type === REVIEW_REFUSALS.malformed)
      return new ValidationError('(body)', cause.message, cause.type);
    if (cause.type === 'review_unavailable') {
      return new ServiceUnavailableError(RETRY_AFTER_SECONDS, cause.message, cause.type, { cause: err });
    }
    if (FORBIDDEN_REVIEW_REFUSALS.includes(cause.type)) return new ForbiddenError(cause.message, cause.type);
    return new ConflictError(cause.type, cause.message);
  }
  if (
    err instanceof WorkflowNotFoundError ||
    (err instanceof Error && /already completed/i.test(err.message))
  ) {
    return new ConflictError(REVIEW_REFUSALS.taskClosed, 'The case is closed');
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isTemporalUnreachable(err)) {
    return new ServiceUnavailableError(
      RETRY_AFTER_SECONDS,
      'The review service cannot be reached just now; send the same request again shortly',
      'review_unavailable',
      { cause: err },
    );
  }
  return err;
}
