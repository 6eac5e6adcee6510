/**
 * `npm run replay -- <history.json> [more.json …]`: replays downloaded workflow histories
 * (`temporal workflow show --workflow-id <id> --output json > history.json`) against the current
 * workflow code, with the same interceptors the worker bundles. Exit 0 when every history
 * replays; 1, naming the file and the non-determinism, when one does not (a change that would
 * break the running workflows of that kind: put it behind `patched()`). Sealed payloads are
 * opened with the key ring of `TEMPORAL_PAYLOAD_KEYS` (the same ring the worker has).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type ReplayWorkerOptions,
} from '@temporalio/worker';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { loadConfig } from '../../../libs/config/src/config';
import { startTracing } from '../../../libs/observability/src/tracing';
import { payloadDataConverter } from '../../../libs/temporal/src/payload-codec';
import { workflowBundleOptions } from './workflow-bundle';

/**
 * The replay worker's options: the workflows and their interceptors, bundled once, as the build
 * does, and the payload codec of the configuration (`TEMPORAL_PAYLOAD_KEYS`), so a history
 * downloaded from production (sealed payloads) replays; unsealed histories replay as they are.
 */
export async function replayOptions(
  payloadKeys = loadConfig().temporal.payloadKeys,
): Promise<ReplayWorkerOptions> {
  const { code } = await bundleWorkflowCode(
    workflowBundleOptions({ traced: false }, new DefaultLogger('WARN')),
  );
  const tracing = startTracing({ tracing: {} }, 'worker');
  // The workflows' span sink, as the worker has it (spans of a replay are dropped).
  return {
    workflowBundle: { code },
    dataConverter: payloadDataConverter(payloadKeys),
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}

/** Replays each file; returns the files that failed, with why. */
export async function replayFiles(files: string[]): Promise<Array<{ file: string; error: string }>> {
  const failed: Array<{ file: string; error: string }> = [];
  const options = await replayOptions();
  for (const file of files) {
    try {
      const history: unknown = JSON.parse(readFileSync(file, 'utf8'));
      await Worker.runReplayHistory(options, history, `replay-${basename(file)}`);
      process.stdout.write(`ok      ${file}\n`);
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      failed.push({ file, error });
      process.stdout.write(`FAILED  ${file}\n        ${error}\n`);
    }
  }
  return failed;
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: npm run replay -- <history.json> [more.json …]\n');
    process.exit(2);
  }
  // The bundler's and the SDK's progress lines are noise here: warnings and errors only.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const failed = await replayFiles(files);
  process.stdout.write(`${files.length - failed.length} replayed, ${failed.length} failed\n`);
  process.exit(failed.length > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[replay] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
