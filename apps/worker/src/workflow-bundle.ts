import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

/** Path of the workflows entry, from sources (ts) or from dist (js) alike. */
export function workflowsPath(): string {
  return require.resolve('../../../workflows');
}

/**
 * The workflow interceptors, bundled with the workflows: the correlation ID, and OpenTelemetry's
 * (workflow and activity spans, handed to the worker's `exporter` sink: worker-runtime.ts).
 */
export function workflowInterceptorModules(): string[] {
  return [
    require.resolve('../../../workflows/interceptors'),
    require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
  ];
}

/** What every bundle of the workflows is built from: the build, the tests, the replay tool. */
export function workflowBundleOptions(logger?: BundleOptions['logger']): BundleOptions {
  return {
    workflowsPath: workflowsPath(),
    workflowInterceptorModules: workflowInterceptorModules(),
    ...(logger ? { logger } : {}),
  };
}

/** Where `npm run build` writes the bundle that the production worker loads (WORKFLOW_BUNDLE_PATH). */
export const BUILT_BUNDLE_FILE = 'workflow-bundle.js';

/** `npm run build`'s last step: bundles the compiled workflows once, into dist/workflow-bundle.js. */
async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, '../../..', BUILT_BUNDLE_FILE);
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  writeFileSync(out, code);
  process.stdout.write(`workflow bundle written to ${out} (${code.length} bytes)\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[workflow-bundle] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
