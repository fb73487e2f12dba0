#!/usr/bin/env node
// What search's issue-12 filters cost (blocked companies, closed jobs, --min-salary), at N stored postings:
// the median of 20 five-keyword searches with no filter in force, then with 200 blocked companies, with
// 10% of the jobs closed, and with --min-salary (pay numbers on a third of the postings).
//
// Usage: npm run build && node bench/search-filters.mjs [postings=100000]
// Everything happens in a temporary folder that is removed at the end (also on Ctrl-C).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../dist/db/database.js';
import { Blocklist } from '../dist/jobs/blocklist.js';
import { normaliseKeywords, SearchService } from '../dist/jobs/search.js';
import { addUser } from './postings.mjs';

const total = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'djs-bench-filters-'));
const cleanup = () => rmSync(dir, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const SKILLS =
  'python rust go kotlin react typescript java sql kafka docker kubernetes aws terraform django spark'.split(
    ' ',
  );
const FILLER = 'we build reliable products for people who care about quality and craft every day'.split(' ');
const QUERIES = Array.from({ length: 20 }, (_, i) => SKILLS.slice(i % 11, (i % 11) + 5));

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function searchMedian(service, extra) {
  const perQuery = QUERIES.map((keywords) => {
    const query = { keywords: normaliseKeywords(keywords), limit: 20, ...extra };
    service.search(query);
    return median(
      [0, 1, 2].map(() => {
        const start = process.hrtime.bigint();
        service.search(query);
        return Number(process.hrtime.bigint() - start) / 1e6;
      }),
    );
  });
  return median(perQuery);
}

try {
  const db = openDatabase(join(dir, 'djs.db'));
  const now = '2025-05-01T00:00:00.000Z';
  const userId = addUser(db, 'bench@example.com');
  console.log(`storing ${total.toLocaleString('en')} postings …`);
  const insert = db.prepare(
    `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, job_description,
       added_at, fetched_at, updated_at, company_key, salary_min, salary_max, salary_currency, salary_period)
     VALUES (?, ?, ?, ?, ?, 'Berlin', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < total; i++) {
      const company = `Company ${i % 2000}`;
      const words = Array.from({ length: 300 }, () => (random() < 0.01 ? pick(SKILLS) : pick(FILLER)));
      const paid = i % 3 === 0;
      const period = pick(['year', 'year', 'month', 'hour']);
      const base = period === 'year' ? 60_000 : period === 'month' ? 5_000 : 30;
      insert.run(
        userId,
        String(4_000_000_000 + i),
        `https://www.linkedin.com/jobs/view/${4_000_000_000 + i}/`,
        `${pick(SKILLS)} engineer`,
        company,
        words.join(' '),
        now,
        now,
        now,
        company.toLowerCase(),
        paid ? base * (1 + random()) : null,
        paid ? base * (1.5 + random()) : null,
        paid ? pick(['USD', 'EUR', 'GBP']) : null,
        paid ? period : null,
      );
    }
  })();
  const service = new SearchService(db, userId);
  const plain = searchMedian(service, {});
  new Blocklist(db, userId).add(
    Array.from({ length: 200 }, (_, i) => `Company ${i * 10}`),
    now,
  );
  const blocked = searchMedian(service, {});
  db.prepare('UPDATE job_postings SET closed_at = ? WHERE id % 10 = 0').run(now);
  const closed = searchMedian(service, {});
  const included = searchMedian(service, { includeClosed: true });
  const minSalary = searchMedian(service, { minSalary: { amount: 100_000 } });
  const currency = searchMedian(service, { minSalary: { amount: 100_000, currency: 'USD' } });
  console.log(`search, ${total.toLocaleString('en')} postings, median of 20 five-keyword queries:`);
  console.log(`  no filter in force                          ${fmt(plain)}`);
  console.log(`  200 companies blocked (10% of postings)     ${fmt(blocked)}`);
  console.log(`  + 10% of the jobs closed (left out)         ${fmt(closed)}`);
  console.log(`  + --include-closed                          ${fmt(included)}`);
  console.log(`  + --min-salary 100000                       ${fmt(minSalary)}`);
  console.log(`  + --min-salary 100000 --currency USD        ${fmt(currency)}`);
  db.close();
} finally {
  cleanup();
}
