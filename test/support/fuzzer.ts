/**
 * Runs the third-party OpenAPI fuzzer, schemathesis (scripts/ensure-fuzzer.sh installs it), against
 * a running platform, and reads back how many requests it sent.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readEnvironment } from '../../libs/config/src/config';
import { REPO_ROOT } from './paths';

/** The fuzzer's virtual environment: FUZZ_VENV, as for scripts/ensure-fuzzer.sh, or .tools/. */
export function schemathesisBin(): string {
  const venv = readEnvironment()['FUZZ_VENV'] || join(REPO_ROOT, '.tools/schemathesis-venv');
  const bin = join(venv, 'bin/st');
  if (!existsSync(bin))
    throw new Error(`schemathesis is not installed at ${bin}: run \`bash scripts/ensure-fuzzer.sh\` first`);
  return bin;
}

/** A fixed seed by default, so a CI failure can be replayed; FUZZ_SEED=<n> explores others. */
export function fuzzSeed(): string {
  return readEnvironment()['FUZZ_SEED'] || '20261201';
}

export interface FuzzRun {
  exitCode: number;
  /** Test cases schemathesis generated and sent (one request each). */
  requests: number;
  /** The failures and the summary: the output less the per-operation progress. */
  summary: string;
  logFile: string;
}

export async function runSchemathesis(args: string[], name: string, timeoutMs: number): Promise<FuzzRun> {
  const child = spawn(schemathesisBin(), ['run', ...args], {
    cwd: REPO_ROOT,
    env: { ...readEnvironment(), NO_COLOR: '1', COLUMNS: '160', PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // A hard stop, beyond schemathesis's own --max-time, in case it hangs.
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  clearTimeout(killer);
  const logFile = join(REPO_ROOT, '.data/fuzz', `${name}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, output);
  const generated = /(\d+) generated/.exec(output);
  const failuresAt = output.search(/={5,} (FAILURES|ERRORS|SUMMARY)/);
  const summary = (failuresAt >= 0 ? output.slice(failuresAt) : output)
    .split('\n')
    .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
    .join('\n');
  return { exitCode, requests: generated ? Number(generated[1]) : 0, summary, logFile };
}
