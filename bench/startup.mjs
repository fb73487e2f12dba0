#!/usr/bin/env node
// Issue 14 item 5 / SPEC §12: wall time of everyday commands against bare `node -e 0`, for a logged-in
// person with a few postings (file secret store). Targets: --version ≤ 1.1×, the others ≤ 1.3×.
// Usage: npm run build && node bench/startup.mjs [runs] [--cpu]
// The commands take turns within each round, so a burst of load on a shared machine hits them all alike.
// --cpu measures CPU time (perf stat's task-clock: every thread of the process, user and system) instead
// of wall time: on a machine loaded by other work, wall time mostly measures the wait for a core.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIRST_JOB_ID, prepareStartupHome, startupEnv } from '../scripts/startup-home.mjs';

const cpu = process.argv.includes('--cpu');
const runs = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 21);
const bin = fileURLToPath(new URL('../bin/djs.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'djs-bench-startup-'));
const env = startupEnv(home);

function run(args) {
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result;
}

/** Milliseconds the command took: wall time, or with --cpu the CPU time of all its threads. */
function measure(args) {
  if (!cpu) {
    const start = process.hrtime.bigint();
    run(args);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }
  const report = join(home, 'perf.csv');
  const result = spawnSync(
    'perf',
    ['stat', '-x,', '-e', 'task-clock', '-o', report, process.execPath, ...args],
    {
      env,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0)
    throw new Error(`perf stat ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const line = readFileSync(report, 'utf8')
    .split('\n')
    .find((text) => text.includes('task-clock'));
  return Number(line.split(',')[0]);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const commands = [
  // [name, arguments, target ratio]
  ['node -e 0', ['-e', '0'], null],
  ['djs --version', [bin, '--version'], 1.1],
  ['djs --help', [bin, '--help'], 1.3],
  ['djs status', [bin, 'status'], 1.3],
  ['djs search', [bin, 'search', 'python', 'sql'], 1.3],
  ['djs jobs show', [bin, 'jobs', 'show', FIRST_JOB_ID], 1.3],
];

try {
  prepareStartupHome(home);

  const samples = commands.map(() => []);
  for (let round = 0; round < runs + 2; round++) {
    commands.forEach(([, args], i) => {
      const elapsed = measure(args);
      if (round >= 2) samples[i].push(elapsed); // the first rounds warm the file cache
    });
  }

  const node = median(samples[0]);
  console.log(`median of ${runs} runs each (ms of ${cpu ? 'CPU time' : 'wall time'})`);
  commands.forEach(([name, , target], i) => {
    const ms = median(samples[i]);
    const ratio = ms / node;
    const verdict =
      target === null ? '' : ratio <= target ? `ok (target ≤ ${target}×)` : `OVER (target ≤ ${target}×)`;
    console.log(`${name.padEnd(14)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×  ${verdict}`);
  });
} finally {
  rmSync(home, { recursive: true, force: true });
}
