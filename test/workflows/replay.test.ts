/**
 * Recorded histories of finished verifications (test/fixtures/histories/*.json) must replay
 * against the current workflow code: a change that would break running workflows fails here.
 * Recorded histories are never re-recorded: they stand for runs already in production. After an
 * intentional change behind `patched()`, record one new history of the new behaviour, running
 * only the test that records it (the others would overwrite theirs):
 *   RECORD_HISTORIES=1 npx jest --selectProjects workflows test/workflows/deposit-verification.test.ts -t '<that test>'
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowBundleOptions } from '../../apps/worker/src/workflow-bundle';
import { startTracing } from '../../libs/observability/src/tracing';
import { parseConfig } from '../../libs/config/src/config';
import { AesGcmPayloadCodec, keyRing, payloadDataConverter } from '../../libs/temporal/src/payload-codec';
import { TEST_DATA_CONVERTER } from '../support/codec';
import { REPO_ROOT } from '../support/paths';
import { QUIET_BUNDLER_LOGGER, WORKFLOW_CODE } from '../support/workflow-code';

const DIR = join(REPO_ROOT, 'test/fixtures/histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  // Both bundles the worker may run (apps/worker/src/workflow-bundle.ts): the plain one and the
  // traced one, with OpenTelemetry's workflow interceptors. Every history replays with either,
  // so tracing can be switched on or off under running workflows.
  describe.each([
    ['plain', false],
    ['traced', true],
  ])('with the %s bundle', (_name, traced) => {
    let code = '';
    beforeAll(async () => {
      ({ code } = await bundleWorkflowCode(workflowBundleOptions({ traced }, QUIET_BUNDLER_LOGGER)));
    }, 120_000);

    it.each(files)('%s replays against the current workflow code', async (file) => {
      const history: unknown = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
      const tracing = startTracing({ tracing: {} }, 'worker');
      await expect(
        Worker.runReplayHistory(
          {
            workflowBundle: { code },
            dataConverter: TEST_DATA_CONVERTER,
            sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
          },
          history,
          `replay-${file}`,
        ),
      ).resolves.toBeUndefined();
    });
  });
});

/**
 * Issue 12: key rotation. A history whose payloads were sealed under an old key (as the codec of
 * that time wrote them) still decodes and replays once a new key encrypts: the old key stays in
 * the ring. Without it the history cannot be read at all.
 */
describe('replay of a history written under an old payload key', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const oldCodec = new AesGcmPayloadCodec(keyRing([['payload-2026-01', oldKey]]));

  /** The recorded history with every codec payload sealed under the old key (JSON form). */
  function sealedUnderOldKey(file: string): unknown {
    const seal = (v: unknown, inSearchAttributes = false): unknown => {
      if (Array.isArray(v)) return v.map((x) => seal(x, inSearchAttributes));
      if (!v || typeof v !== 'object') return v;
      const o = v as Record<string, unknown>;
      // The SDK's patch markers and the search attributes never go through the codec.
      if (o['markerName'] === 'core_patch') return o;
      const meta = o['metadata'] as Record<string, string> | undefined;
      if (!inSearchAttributes && meta && typeof meta === 'object' && 'encoding' in meta) {
        const payload = {
          metadata: Object.fromEntries(
            Object.entries(meta).map(([k, b]) => [k, new Uint8Array(Buffer.from(b, 'base64'))]),
          ),
          data: new Uint8Array(Buffer.from((o['data'] as string | undefined) ?? '', 'base64')),
        };
        const sealed = oldCodec.encodeOne(payload);
        return {
          metadata: Object.fromEntries(
            Object.entries(sealed.metadata!).map(([k, b]) => [k, Buffer.from(b).toString('base64')]),
          ),
          data: Buffer.from(sealed.data!).toString('base64'),
        };
      }
      return Object.fromEntries(
        Object.entries(o).map(([k, x]) => [k, seal(x, inSearchAttributes || k === 'searchAttributes')]),
      );
    };
    return seal(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
  }

  const file = 'deposit-verified-second-try.json';

  it('holds only sealed payloads naming the old key', () => {
    const text = JSON.stringify(sealedUnderOldKey(file));
    expect(text).toContain(Buffer.from('payload-2026-01').toString('base64'));
    expect(text).not.toContain(Buffer.from('json/plain').toString('base64') + '"},"data":"eyJ2ZXJp');
  });

  it('replays with a rotated ring (new key first, old key kept)', async () => {
    const rotated = payloadDataConverter(
      keyRing([
        ['payload-2026-07', newKey],
        ['payload-2026-01', oldKey],
      ]),
    );
    await expect(
      Worker.runReplayHistory(
        { ...WORKFLOW_CODE, dataConverter: rotated },
        sealedUnderOldKey(file),
        'replay-rotated',
      ),
    ).resolves.toBeUndefined();
  });

  it('a history recorded under the codec (key local-1) replays after local-1 is rotated out of first place', async () => {
    const recorded: unknown = JSON.parse(
      readFileSync(join(DIR, 'deposit-encrypted-with-summaries-verified.json'), 'utf8'),
    );
    const local = parseConfig({}).temporal.payloadKeys;
    const rotated = payloadDataConverter(
      keyRing([
        ['payload-2026-07', newKey],
        ['local-1', local.keys.get('local-1')!],
      ]),
    );
    await expect(
      Worker.runReplayHistory(
        { ...WORKFLOW_CODE, dataConverter: rotated },
        recorded,
        'replay-recorded-rotated',
      ),
    ).resolves.toBeUndefined();
  });

  it('does not replay once the old key has left the ring', async () => {
    const withoutOld = payloadDataConverter(keyRing([['payload-2026-07', newKey]]));
    await expect(
      Worker.runReplayHistory(
        { ...WORKFLOW_CODE, dataConverter: withoutOld },
        sealedUnderOldKey(file),
        'replay-without-old-key',
      ),
    ).rejects.toThrow();
  });
});
