/**
 * Workflow interceptors (bundled with the workflows: apps/worker/src/workflow-bundle.ts). They
 * carry the correlation ID of the HTTP request that started, signalled or updated a workflow to
 * every activity it schedules in answer, and add it to the workflow's own log lines, so that
 * one `grep <id>` over the logs finds the request, the workflow task and the activity attempt.
 *
 * Deterministic: the ID comes from the history (the event's header), never from outside; log
 * lines are not written on replay (the SDK's workflow logger).
 */
import {
  AsyncLocalStorage,
  log,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type WorkflowInterceptors,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { readCorrelationId, withCorrelationHeader } from '../libs/temporal/src/correlation-header';

export const interceptors: WorkflowInterceptorsFactory = (): WorkflowInterceptors => {
  // Per workflow execution: the ID of the handler in progress (an update or a signal has its
  // request's own), else the one that started the run.
  const handler = new AsyncLocalStorage<string>();
  let started: string | undefined;
  const current = (): string | undefined => handler.getStore() ?? started;

  const inHandler = <T>(id: string | undefined, what: string, fn: () => Promise<T>): Promise<T> => {
    if (!id) return fn();
    return handler.run(id, () => {
      log.info(what);
      return fn();
    });
  };

  const scheduleActivity = (
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
  ): Promise<unknown> => next({ ...input, headers: withCorrelationHeader(input.headers, current()) });
  const scheduleLocalActivity = (
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ): Promise<unknown> => next({ ...input, headers: withCorrelationHeader(input.headers, current()) });

  return {
    inbound: [
      {
        execute: (input, next) => {
          started = readCorrelationId(input.headers);
          if (started) log.info('workflow started by request');
          return next(input);
        },
        handleSignal: (input, next) =>
          inHandler(readCorrelationId(input.headers), `signal ${input.signalName} received`, () =>
            next(input),
          ),
        handleUpdate: (input, next) =>
          inHandler(readCorrelationId(input.headers), `update ${input.name} received`, () => next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity,
        scheduleLocalActivity,
        startChildWorkflowExecution: (input, next) =>
          next({ ...input, headers: withCorrelationHeader(input.headers, current()) }),
        continueAsNew: (input, next) =>
          next({ ...input, headers: withCorrelationHeader(input.headers, current()) }),
        getLogAttributes: (input, next) => {
          const correlationId = current();
          return next(correlationId ? { ...input, correlationId } : input);
        },
      },
    ],
  };
};
