#!/usr/bin/env node
// Issue 13: what the home and `status` pay to count the new postings, and what `search --new` / `djs review`
// pay to rank them, at N stored postings (default 100,000), all new, then with all but 1,000 seen.
//
// Usage: npm run build && node bench/new-postings.mjs [postings=100000]
// Everything happens in a temporary folder that is removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../dist/db/database.js';
import { NewPostings } from '../dist/jobs/new-postings.js';
import { addUser } from './postings.mjs';

const total = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'djs-bench-new-'));
// 12 skills among 48 other words: each skill is in about 1 description out of 6, as on a real board.
const SKILLS = 'python react rust go kubernetes sql django typescript aws docker java kotlin'.split(' ');
const WORDS = [...SKILLS, ...Array.from({ length: 48 }, (_, k) => `word${k}`)];
try {
  const db = openDatabase(join(dir, 'djs.db'));
  const now = new Date().toISOString();
  const user = addUser(db, 'a@b.c');
  const insert = db.prepare(
    `INSERT INTO job_postings (user_id, job_id, link, job_title, job_description, posted_date, added_at,
       fetched_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < total; i++) {
      const words = Array.from({ length: 10 }, (_, k) => WORDS[(i * 7919 + k * 104729) % 60]).join(' ');
      const day = `2025-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`;
      insert.run(
        user,
        String(4e9 + i),
        `https://x/${i}`,
        `Engineer ${SKILLS[i % 12]}`,
        words,
        day,
        now,
        now,
        now,
      );
    }
  })();
  const postings = new NewPostings(db, Number(user));
  const time = (label, run, times = 7) => {
    const ms = [];
    for (let i = 0; i < times; i++) {
      const start = process.hrtime.bigint();
      run();
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    ms.sort((a, b) => a - b);
    console.log(
      `${label}: median ${ms[3].toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms.at(-1).toFixed(1)})`,
    );
  };
  const keywords = ['python', 'react', 'kubernetes', 'go', 'machine learning'];
  console.log(`${total} postings`);
  time('count, all new', () => postings.count());
  time('ranked 20, 5 keywords, all new', () => postings.ranked(keywords, 20));
  time('ranked 20, no keywords, all new', () => postings.ranked([], 20));
  db.prepare('UPDATE job_postings SET seen_at = ? WHERE id > 1000').run(now);
  time('count, 1,000 new', () => postings.count());
  time('ranked 20, 5 keywords, 1,000 new', () => postings.ranked(keywords, 20));
  time('ranked all 1,000 (the review queue), 5 keywords', () => postings.ranked(keywords, 1000));
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
