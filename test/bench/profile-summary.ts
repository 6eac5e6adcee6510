/**
 * Where a CPU profile's time goes, as text: the self time of a V8 `.cpuprofile` (what `node
 * --cpu-prof` writes) grouped by who owns the code — a package of node_modules, a part of Node's
 * core, this repository's code, the garbage collector, native code — and the functions that cost
 * the most. `npm run bench -- --cpu-prof` prints it for the API's profile; on its own:
 *
 *   node -r ./test/support/ts-register.js test/bench/profile-summary.ts .data/bench/CPU.….cpuprofile
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time that was not idle, in ms. */
  busyMs: number;
  /** Share of the busy time by owner, largest first. */
  owners: Array<{ owner: string; ms: number; share: number }>;
  /** The functions with the most self time, largest first. */
  functions: Array<{ name: string; owner: string; ms: number; share: number }>;
  /**
   * This repository's functions by inclusive time (their own and all they called), largest
   * first: where a request's time goes in the application's terms.
   */
  ownCode: Array<{ name: string; ms: number; share: number }>;
}

const CORE_PARTS: Array<[RegExp, string]> = [
  [
    /^node:internal\/(streams|stream_base_commons)|^node:(stream|net)\b|^node:internal\/net/,
    'node: sockets and streams',
  ],
  [/^node:_http|^node:http\b|^node:internal\/http/, 'node: http'],
  [
    /^node:internal\/(timers|process\/task_queues|async_hooks)|^node:(timers|async_hooks)/,
    'node: timers, async hooks',
  ],
  [/^node:internal\/crypto|^node:crypto/, 'node: crypto'],
  [/^node:internal\/(url|querystring)|^node:(url|querystring)/, 'node: url'],
  [/^node:/, 'node: other core'],
];

const OWN_CODE = 'account-center (apps, libs)';

/** Who owns a frame: a package, a part of Node, this repository, or the VM itself. */
export function ownerOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'V8: garbage collector';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return 'V8/native: (program)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  for (const [re, name] of CORE_PARTS) if (re.test(url)) return name;
  if (/\/(apps|libs|activities|workflows)\//.test(url)) return OWN_CODE;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const owners = new Map<string, number>();
  const functions = new Map<string, { owner: string; us: number }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const owner = ownerOf(node.callFrame);
    if (owner === '(idle)') continue;
    busyUs += us;
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').slice(-2).join('/');
    const name = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    const entry = functions.get(name) ?? { owner, us: 0 };
    entry.us += us;
    functions.set(name, entry);
  }
  // Inclusive time of this repository's functions: each sample counts once for every distinct
  // function of ours on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id);
    if (!leaf || ownerOf(leaf.callFrame) === '(idle)') continue;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || ownerOf(frame) !== OWN_CODE || !frame.functionName) continue;
      const name = `${frame.functionName} ${frame.url.split('/').slice(-2).join('/')}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  const share = (us: number) => +((100 * us) / Math.max(1, busyUs)).toFixed(1);
  return {
    busyMs: Math.round(busyUs / 1000),
    owners: [...owners]
      .sort((a, b) => b[1] - a[1])
      .map(([owner, us]) => ({ owner, ms: Math.round(us / 1000), share: share(us) })),
    functions: [...functions]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([name, { owner, us }]) => ({ name, owner, ms: Math.round(us / 1000), share: share(us) })),
    ownCode: [...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: share(us) })),
  };
}

export function printProfileSummary(file: string, top = 15): void {
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
  console.log(`where the API's CPU time went (${file}; ${summary.busyMs} ms busy, self time):`);
  for (const o of summary.owners.filter((x) => x.share >= 0.5))
    console.log(`  ${o.share.toFixed(1).padStart(5)}%  ${o.owner}`);
  console.log(`  the ${top} costliest functions:`);
  for (const f of summary.functions)
    console.log(`  ${f.share.toFixed(1).padStart(5)}%  ${f.name}  [${f.owner}]`);
  console.log(`  this repository's ${top} costliest functions, inclusive (with all they call):`);
  for (const f of summary.ownCode) console.log(`  ${f.share.toFixed(1).padStart(5)}%  ${f.name}`);
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: profile-summary.ts <file.cpuprofile> …');
    process.exit(2);
  }
  for (const file of files) printProfileSummary(file);
}
