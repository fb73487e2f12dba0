#!/usr/bin/env node
// SPEC §12: update-db end to end against the local LinkedIn fake with the rate limit off.
// Targets: ≥ 100 postings/s; peak RSS < 200 MB at 10k postings.
// Usage: npm run build && node bench/update-db.mjs [postings=1000]
//        node bench/update-db.mjs --faults [postings=30] [runs=5]
// --faults: the fault storm (30% 429, 10% 5xx, 5% never answered; 1 s timeout per attempt), a fresh
// database and fault seed per run; prints each run's postings stored, exit code and duration.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePostings, startFakeLinkedIn } from '../dist/fakes/linkedin-server.js';
import { watchPeakRss } from './peak-rss.mjs';

const faults = process.argv.includes('--faults');
const [countArg, runsArg] = process.argv.slice(2).filter((arg) => arg !== '--faults');
const count = Number(countArg ?? (faults ? 30 : 1000));
const runs = faults ? Number(runsArg ?? 5) : 1;
const perQuery = 1000; // --per-search allows at most 1000 links per query × location
const bin = fileURLToPath(new URL('../bin/djs.js', import.meta.url));

const queries = Array.from({ length: Math.ceil(count / perQuery) }, (_, i) => `benchquery${i}`);
const postings = generatePostings(count, 42).map((posting, i) => ({
  ...posting,
  queries: [queries[Math.floor(i / perQuery)]],
  location: 'Berlin, Germany',
}));
const fake = await startFakeLinkedIn({ postings });

/** One update-db run in a fresh DJS_HOME: its exit code, summary, wall time and peak RSS. */
async function updateDb(home) {
  const env = {
    ...process.env,
    DJS_HOME: home,
    DJS_SECRET_STORE: 'file',
    DJS_RATE_LIMIT: '0',
    DJS_LINKEDIN_URL: fake.url,
    DJS_LINKEDIN_TIMEOUT_MS: faults ? '1000' : '15000',
    NO_COLOR: '1',
  };
  const registered = spawnSync(
    process.execPath,
    [bin, 'register', '--email', 'bench@example.com', '--password-stdin'],
    {
      env,
      input: 'Bench-Passw0rd!\n',
      encoding: 'utf8',
    },
  );
  if (registered.status !== 0) throw new Error(`register failed: ${registered.stderr}`);

  const args = [bin, 'update-db', '--json', '--no-sheets', '--per-search', String(perQuery), '-l', 'Berlin'];
  for (const query of queries) args.push('-q', query);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const peak = watchPeakRss(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0 && !(faults && code === 3)) throw new Error(`update-db exited ${code}: ${stderr}`);
  return { code, summary: JSON.parse(stdout), seconds, peakMb: peak() };
}

try {
  if (faults) {
    const stored = [];
    const durations = [];
    for (let run = 1; run <= runs; run++) {
      fake.setOptions({ rateOf429: 0.3, rateOf5xx: 0.1, rateOfTimeout: 0.05, seed: 1000 + run });
      const home = mkdtempSync(join(tmpdir(), 'djs-bench-update-'));
      try {
        const { code, summary, seconds } = await updateDb(home);
        stored.push(summary.postingsFetched);
        durations.push(seconds);
        console.log(
          `run ${run}: ${summary.postingsFetched} of ${count} stored, ${summary.failed} failed, exit ${code}, ${seconds.toFixed(1)} s`,
        );
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
    const range = (values, digits) =>
      `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
    console.log(
      `stored ${range(stored, 0)} of ${count}; duration ${range(durations, 1)} s over ${runs} runs`,
    );
  } else {
    const home = mkdtempSync(join(tmpdir(), 'djs-bench-update-'));
    try {
      const { summary, seconds, peakMb } = await updateDb(home);
      const rate = summary.postingsFetched / seconds;
      console.log(`postings fetched   ${summary.postingsFetched} of ${count} (${summary.failed} failed)`);
      console.log(`wall time          ${seconds.toFixed(2)} s (process start to exit)`);
      console.log(
        `throughput         ${rate.toFixed(0)} postings/s  ${rate >= 100 ? 'ok' : 'UNDER'} (target ≥ 100)`,
      );
      console.log(
        `peak RSS           ${peakMb.toFixed(0)} MB  ${peakMb < 200 ? 'ok' : 'OVER'} (target < 200 MB at 10k)`,
      );
      console.log(`requests to fake   ${fake.requests.length}`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
} finally {
  await fake.close();
}
