#!/usr/bin/env node
// SPEC §12: update-db end to end against the local LinkedIn fake with the rate limit off.
// Targets: ≥ 100 postings/s; peak RSS < 200 MB at 10k postings.
// Usage: npm run build && node bench/update-db.mjs [postings=1000]
//        node bench/update-db.mjs --faults [postings=30] [runs=5]
// --faults: the fault storm (30% 429, 10% 5xx, 5% never answered; 1 s timeout per attempt), a fresh
// database and fault seed per run; prints each run's postings stored, exit code and duration.
import { rmSync } from 'node:fs';
import { generatePostings, startFakeLinkedIn } from '../dist/fakes/linkedin-server.js';
import { registeredBenchHome, timedUpdateDb } from './update-db-run.mjs';

const faults = process.argv.includes('--faults');
const [countArg, runsArg] = process.argv.slice(2).filter((arg) => arg !== '--faults');
const count = Number(countArg ?? (faults ? 30 : 1000));
const runs = faults ? Number(runsArg ?? 5) : 1;
const perQuery = 1000; // --per-search allows at most 1000 links per query × location

const queries = Array.from({ length: Math.ceil(count / perQuery) }, (_, i) => `benchquery${i}`);
const postings = generatePostings(count, 42).map((posting, i) => ({
  ...posting,
  queries: [queries[Math.floor(i / perQuery)]],
  location: 'Berlin, Germany',
}));
const fake = await startFakeLinkedIn({ postings });

/** One update-db run in a fresh DJS_HOME (removed afterwards): its exit code, summary, wall time and peak RSS. */
async function updateDb() {
  const { home, env } = registeredBenchHome(fake.url, {
    DJS_LINKEDIN_TIMEOUT_MS: faults ? '1000' : '15000',
  });
  try {
    const args = ['--no-sheets', '--per-search', String(perQuery), '-l', 'Berlin'];
    for (const query of queries) args.push('-q', query);
    const run = await timedUpdateDb(env, args);
    if (run.code !== 0 && !(faults && run.code === 3))
      throw new Error(`update-db exited ${run.code}: ${run.stderr}`);
    return run;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

try {
  if (faults) {
    const stored = [];
    const durations = [];
    for (let run = 1; run <= runs; run++) {
      fake.setOptions({ rateOf429: 0.3, rateOf5xx: 0.1, rateOfTimeout: 0.05, seed: 1000 + run });
      const { code, summary, seconds } = await updateDb();
      stored.push(summary.postingsFetched);
      durations.push(seconds);
      console.log(
        `run ${run}: ${summary.postingsFetched} of ${count} stored, ${summary.failed} failed, exit ${code}, ${seconds.toFixed(1)} s`,
      );
    }
    const range = (values, digits) =>
      `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
    console.log(
      `stored ${range(stored, 0)} of ${count}; duration ${range(durations, 1)} s over ${runs} runs`,
    );
  } else {
    const { summary, seconds, peakMb } = await updateDb();
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
  }
} finally {
  await fake.close();
}
