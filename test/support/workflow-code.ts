/**
 * The workflows as the workflow tests' workers load them: bundled from workflows/ at start, with
 * the modules the production bundle preloads shared the same way (apps/worker/src/workflow-bundle.ts),
 * so a preloaded module that kept a workflow's state would fail these tests too.
 */
import { preloadedWorkflowModules, workflowsPath } from '../../apps/worker/src/workflow-bundle';

export const WORKFLOW_CODE = {
  workflowsPath: workflowsPath(),
  bundlerOptions: { preloadModules: preloadedWorkflowModules() },
} as const;

/** A bundler logger that shows only errors: the tests' bundles are built quietly. */
export const QUIET_BUNDLER_LOGGER = {
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
  debug: () => undefined,
  trace: () => undefined,
  log: () => undefined,
};
