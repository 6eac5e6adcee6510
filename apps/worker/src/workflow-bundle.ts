import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

/** Path of the workflows entry, from sources (ts) or from dist (js) alike. */
export function workflowsPath(): string {
  return require.resolve('../../../workflows');
}

/**
 * The workflow interceptors, bundled with the workflows: the correlation ID always; OpenTelemetry's
 * (workflow and activity spans, handed to the worker's `exporter` sink: worker-runtime.ts) only
 * in the traced bundle, which the worker runs when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT).
 *
 * Why two bundles: the reusable V8 context evaluates a workflow's modules once per workflow, and
 * OpenTelemetry's (about 110 modules) cost 2.2 MB of heap for every workflow in the cache, seven
 * times what a workflow costs without them (`npm run bench -- --only open`: 2,354 MiB against
 * 586 MiB of worker RSS with 800 open). Spent for spans that are dropped when tracing is off.
 * The spans add only headers, no commands, so a history replays with either bundle.
 */
export function workflowInterceptorModules(opts: { traced: boolean }): string[] {
  return [
    require.resolve('../../../workflows/interceptors'),
    ...(opts.traced
      ? [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')]
      : []),
  ];
}

/**
 * Modules every workflow imports that hold no state of a workflow: loaded once into the worker's
 * reusable V8 context and shared, instead of evaluated again for each workflow in the cache. The
 * SDK deep-freezes them after loading; a module that kept per-workflow state at module level
 * would leak between workflows, so only the SDK's workflow API, the mutex and this repository's
 * pure contract and domain modules are here (not the workflows, not OpenTelemetry's interceptors,
 * which keep a tracer per workflow at module level).
 */
export function preloadedWorkflowModules(): string[] {
  return [
    require.resolve('@temporalio/workflow'),
    require.resolve('async-mutex'),
    require.resolve('../../../libs/temporal/src/contract'),
    require.resolve('../../../libs/temporal/src/correlation-header'),
    require.resolve('../../../libs/temporal/src/summaries'),
    require.resolve('../../../libs/domain/src/deposit-verification'),
    require.resolve('../../../libs/domain/src/personal-verification'),
    require.resolve('../../../libs/domain/src/recharge-verification'),
    require.resolve('../../../libs/domain/src/review'),
  ];
}

/** What every bundle of the workflows is built from: the build, the tests, the replay tool. */
export function workflowBundleOptions(
  opts: { traced: boolean },
  logger?: BundleOptions['logger'],
): BundleOptions {
  return {
    workflowsPath: workflowsPath(),
    workflowInterceptorModules: workflowInterceptorModules(opts),
    preloadModules: preloadedWorkflowModules(),
    ...(logger ? { logger } : {}),
  };
}

/** The traced bundle beside a bundle: `workflow-bundle.js` → `workflow-bundle.traced.js`. */
export function tracedBundlePath(path: string): string {
  return path.endsWith('.js') ? `${path.slice(0, -3)}.traced.js` : `${path}.traced.js`;
}

/** Where `npm run build` writes the bundle that the production worker loads (WORKFLOW_BUNDLE_PATH). */
export const BUILT_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * Writes both bundles of the workflows: `path` and, with OpenTelemetry's interceptors,
 * tracedBundlePath(path). Answers each file with its size in bytes.
 */
export async function writeWorkflowBundles(
  path: string,
  logger?: BundleOptions['logger'],
): Promise<Array<{ file: string; bytes: number }>> {
  const written: Array<{ file: string; bytes: number }> = [];
  for (const traced of [false, true]) {
    const file = traced ? tracedBundlePath(path) : path;
    const { code } = await bundleWorkflowCode(workflowBundleOptions({ traced }, logger));
    writeFileSync(file, code);
    written.push({ file, bytes: code.length });
  }
  return written;
}

/**
 * `npm run build`'s last step: bundles the compiled workflows once, into dist/workflow-bundle.js
 * and dist/workflow-bundle.traced.js.
 */
async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, '../../..', BUILT_BUNDLE_FILE);
  for (const { file, bytes } of await writeWorkflowBundles(out)) {
    process.stdout.write(`workflow bundle written to ${file} (${bytes} bytes)\n`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[workflow-bundle] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
