#!/usr/bin/env node
// SPEC §12: update-db end to end against the local LinkedIn fake with the rate limit off.
// Targets: ≥ 100 postings/s; peak RSS < 200 MB at 10k postings.
// Usage: npm run build && node bench/update-db.mjs [postings=1000]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePostings, startFakeLinkedIn } from '../dist/fakes/linkedin-server.js';
import { watchPeakRss } from './peak-rss.mjs';

const count = Number(process.argv[2] ?? 1000);
const perQuery = 1000; // --per-search allows at most 1000 links per query × location
const bin = fileURLToPath(new URL('../bin/djs.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'djs-bench-update-'));

const queries = Array.from({ length: Math.ceil(count / perQuery) }, (_, i) => `benchquery${i}`);
const postings = generatePostings(count, 42).map((posting, i) => ({
  ...posting,
  queries: [queries[Math.floor(i / perQuery)]],
  location: 'Berlin, Germany',
}));
const fake = await startFakeLinkedIn({ postings });
const env = {
  ...process.env,
  DJS_HOME: home,
  DJS_SECRET_STORE: 'file',
  DJS_RATE_LIMIT: '0',
  DJS_LINKEDIN_URL: fake.url,
  NO_COLOR: '1',
};

try {
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

  const args = [bin, 'update-db', '--json', '--per-search', String(perQuery), '-l', 'Berlin'];
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
  const peakMb = peak();
  if (code !== 0) throw new Error(`update-db exited ${code}: ${stderr}`);
  const summary = JSON.parse(stdout);
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
  await fake.close();
  rmSync(home, { recursive: true, force: true });
}
