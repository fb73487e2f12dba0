#!/usr/bin/env node
// Issue 10: update-db against a LinkedIn whose every job page is a 1 GB gzip bomb (about 1 MB on the wire).
// Each bomb must be refused at the 4 MB cap, once; target: peak RSS of update-db < 300 MB.
// Usage: npm run build && node bench/gzip-bomb.mjs [runs=3] [postings=20]
import { rmSync } from 'node:fs';
import { DETAIL_PATH_PREFIX, generatePostings, startFakeLinkedIn } from '../dist/fakes/linkedin-server.js';
import { registeredBenchHome, timedUpdateDb } from './update-db-run.mjs';

const runs = Number(process.argv[2] ?? 3);
const count = Number(process.argv[3] ?? 20);
const TARGET_MB = 300;
const postings = generatePostings(count, 42).map((posting) => ({
  ...posting,
  queries: ['bomb'],
  location: 'Berlin, Germany',
}));
const fake = await startFakeLinkedIn({
  postings,
  hostile: (req) =>
    req.path.startsWith(DETAIL_PATH_PREFIX) ? { kind: 'gzip-bomb', inflatedBytes: 1024 ** 3 } : undefined,
});

async function run() {
  const { home, env } = registeredBenchHome(fake.url);
  try {
    const before = fake.requests.length;
    const { code, summary, seconds, peakMb } = await timedUpdateDb(env, ['-q', 'bomb', '-l', 'Berlin']);
    const requests = fake.requests.length - before;
    return { code, seconds, peakMb, failed: summary.failedPostings, requests };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const results = [];
try {
  for (let i = 1; i <= runs; i++) {
    const r = await run();
    results.push(r);
    console.log(
      `run ${i}: exit ${r.code}, ${r.failed} of ${count} bombs refused, ${r.requests} requests, ` +
        `${r.seconds.toFixed(2)} s, peak RSS ${r.peakMb.toFixed(0)} MB`,
    );
  }
} finally {
  await fake.close();
}
const range = (values, digits) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const worst = Math.max(...results.map((r) => r.peakMb));
console.log(
  `peak RSS   ${range(
    results.map((r) => r.peakMb),
    0,
  )} MB  ${worst < TARGET_MB ? 'ok' : 'OVER'} (target < ${TARGET_MB} MB)`,
);
console.log(
  `wall time  ${range(
    results.map((r) => r.seconds),
    2,
  )} s`,
);
if (worst >= TARGET_MB || results.some((r) => r.failed !== count)) process.exitCode = 1;
