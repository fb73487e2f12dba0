#!/usr/bin/env node
// SPEC §12: Sheets sync cost against the local Google fake — target ≤ 4 API calls per 1,000 new rows, each
// request under 2 MB. Runs the built CLI end to end: register, link Google (the fake auto-approves), create
// the spreadsheet, seed N postings (with their search results) straight into djs.db, then time
// `djs sheets sync`: the first (everything new), a second (nothing new), and an incremental one (+10%).
// Usage: npm run build && node bench/sheets-sync.mjs [postings=5000] [--description-chars=3000] [--latency-ms=0]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../dist/db/database.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startFakeGoogle } from '../dist/fakes/google-server.js';
import { fakeSheets } from '../dist/fakes/google-sheets.js';
import { generatePostings } from '../dist/fakes/linkedin-server.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
const descriptionChars = flag('description-chars', 3000); // LinkedIn descriptions run ~2–5 KB
const latencyMs = flag('latency-ms', 0);

const bin = fileURLToPath(new URL('../bin/djs.js', import.meta.url));
const follow = fileURLToPath(new URL('../test/helpers/follow-url.mjs', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'djs-bench-sheets-'));
const fake = await startFakeGoogle();
const sheets = fakeSheets(fake);
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DJS_HOME: home,
  DJS_SECRET_STORE: 'file',
  NO_COLOR: '1',
  GOOGLE_CLIENT_ID: DEFAULT_CLIENT_ID,
  GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
  DJS_GOOGLE_AUTH_URL: fake.authUrl,
  DJS_GOOGLE_TOKEN_URL: fake.tokenUrl,
  DJS_GOOGLE_REVOKE_URL: fake.revokeUrl,
  DJS_GOOGLE_API_URL: fake.apiUrl,
  BROWSER: `${process.execPath} ${follow}`,
};

function djs(argv, input = '') {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`djs ${argv.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ stdout, ms });
    });
    child.stdin.end(input);
  });
}

function seed(from, n) {
  const db = openDatabase(join(home, 'djs.db'));
  const now = new Date().toISOString();
  const posting = db.prepare(
    `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, job_date, job_applicants,
       job_description, job_seniority, job_employment_type, job_function, job_industries, added_at, fetched_at, updated_at)
     VALUES (1, @jobId, @link, @title, @company, @location, @postedAt, @applicants, @description, @seniority,
       @employmentType, @jobFunction, @industries, @now, @now, @now)`,
  );
  const result = db.prepare(
    'INSERT INTO job_search_results (user_id, job_id, link, query, location, added_at) VALUES (1, ?, ?, ?, ?, ?)',
  );
  const generated = generatePostings(n, 1000 + from);
  db.transaction(() => {
    generated.forEach((p, i) => {
      const jobId = String(4_300_000_000 + from + i);
      const link = `https://www.linkedin.com/jobs/view/${jobId}/`;
      let description = p.description;
      while (description.length < descriptionChars) description += `\n\n${p.description}`;
      posting.run({
        ...p,
        jobId,
        link,
        description: description.slice(0, descriptionChars),
        applicants: `${p.applicants ?? 0} applicants`,
        seniority: p.seniority ?? null,
        employmentType: p.employmentType ?? null,
        jobFunction: p.jobFunction ?? null,
        industries: p.industries ?? null,
        now,
      });
      result.run(jobId, link, 'software engineer', 'Berlin', now);
    });
  })();
  db.close();
}

async function measure(label, newRows) {
  const before = { calls: fake.apiCalls, log: sheets.calls.length };
  const { stdout, ms } = await djs(['sheets', 'sync', '--json']);
  const summary = JSON.parse(stdout);
  const calls = fake.apiCalls - before.calls;
  const made = sheets.calls.slice(before.log);
  const maxBytes = Math.max(0, ...made.map((c) => c.bytes));
  const perThousand = newRows > 0 ? (calls / newRows) * 1000 : null;
  console.log(
    `${label.padEnd(26)} ${String(newRows).padStart(6)} new rows  ${String(calls).padStart(3)} API calls` +
      `  ${perThousand === null ? '     —' : perThousand.toFixed(2).padStart(6)} calls/1,000 rows` +
      `  largest request ${(maxBytes / 1e6).toFixed(2)} MB  ${(ms / 1000).toFixed(2)} s` +
      (newRows > 0 ? `  (${Math.round(newRows / (ms / 1000))} rows/s)` : ''),
  );
  if (summary.apiCalls !== calls) console.log(`  (djs reported ${summary.apiCalls} calls)`);
  return { calls, perThousand, maxBytes, summary };
}

try {
  await djs(['register', '--email', 'bench@example.com', '--password-stdin'], 'Bench-Passw0rd!\n');
  await djs(['login', '--google']);
  await djs(['sheets', 'create']);
  sheets.setLatency(latencyMs);
  seed(0, count);
  console.log(
    `Sheets sync against the local Google fake: ${count} postings (+${count} search results), descriptions ${descriptionChars} chars, latency ${latencyMs} ms per call`,
  );
  const first = await measure('first sync', count * 2);
  await measure('second sync (nothing new)', 0);
  const extra = Math.max(1, Math.round(count / 10));
  seed(count, extra);
  await measure('incremental sync', extra * 2);
  const postingsCalls = first.summary.apiCalls;
  const verdict = first.perThousand <= 4 && first.maxBytes < 2_000_000 ? 'ok' : 'OVER';
  console.log(
    `first sync: ${(postingsCalls / (count / 1000)).toFixed(2)} calls per 1,000 postings (with their results); ` +
      `${first.perThousand.toFixed(2)} per 1,000 rows — ${verdict} (target ≤ 4 per 1,000 rows, requests < 2 MB)`,
  );
} finally {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
}
