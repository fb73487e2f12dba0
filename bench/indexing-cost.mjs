#!/usr/bin/env node
// Issue 14 item 3: what storing one posting costs, and how much of it each search index takes. Postings are
// stored one per transaction as update-db stores them (SPEC §7: each committed as it arrives), into a fresh
// database in which only some of the indexes' triggers are kept: none, each index alone, all of them; and
// once more with all of them but FTS5's automatic merging off (crisis merges only), to show what merging
// adds. Each variant runs in its own fresh database, in CPU time (what a busy machine inflates least).
//
// Usage: npm run build && node bench/indexing-cost.mjs [postings=10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../dist/db/database.js';
import { wordIndexName } from '../dist/db/word-index.js';
import { addUser, inserter, makePosting, rng } from './postings.mjs';

const total = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'djs-bench-indexing-'));
process.on('SIGINT', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});

/** The statements of the insert triggers (migration 011, db/word-index.ts) that feed each index. */
const INDEXES = {
  trigram: 'job_postings_trigram',
  phrases: 'job_postings_phrases',
  vocabulary: 'search_vocabulary',
  words: 'job_postings_words_',
};

/** The insert trigger rewritten to feed only `kept` of the shared indexes; the word index's dropped unless kept. */
function keepOnly(db, userId, kept) {
  const sql = db
    .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'job_postings_fts_insert'")
    .pluck()
    .get();
  const statements = sql
    .slice(sql.indexOf('BEGIN') + 5, sql.lastIndexOf('END'))
    .split(/;\s*\n/)
    .map((statement) => statement.trim())
    .filter((statement) => statement && kept.some((index) => statement.includes(INDEXES[index])));
  db.exec('DROP TRIGGER job_postings_fts_insert');
  if (statements.length > 0) {
    db.exec(`CREATE TRIGGER job_postings_fts_insert AFTER INSERT ON job_postings BEGIN
      ${statements.map((statement) => `${statement};`).join('\n')}
    END`);
  }
  if (!kept.includes('words')) db.exec(`DROP TRIGGER ${wordIndexName(userId)}_insert`);
}

function run(label, kept, { automerge = true } = {}) {
  const path = join(dir, `${label.replace(/\W+/g, '-')}.db`);
  const db = openDatabase(path);
  const userId = addUser(db, 'bench@example.com');
  keepOnly(db, userId, kept);
  if (!automerge) {
    for (const index of [
      'job_postings_trigram',
      'job_postings_phrases',
      'search_vocabulary_trigram',
      wordIndexName(userId),
    ])
      db.exec(`INSERT INTO ${index} (${index}, rank) VALUES ('automerge', 0)`);
  }
  const random = rng(42);
  const postings = Array.from({ length: total }, (_, i) => makePosting(random, i));
  const storeOne = db.transaction(inserter(db, userId));
  const cpu = process.cpuUsage();
  for (const posting of postings) storeOne(posting);
  const used = process.cpuUsage(cpu);
  db.close();
  rmSync(path, { force: true });
  const ms = (used.user + used.system) / 1000 / total;
  console.log(`${label.padEnd(44)} ${ms.toFixed(3)} ms CPU per posting`);
  return ms;
}

try {
  console.log(
    `storing ${total.toLocaleString('en')} postings, one per transaction, in a fresh database each:`,
  );
  const bare = run('the posting row only (no search index)', []);
  const shares = Object.keys(INDEXES).map((index) => [
    index,
    run(`+ the ${index} index alone`, [index]) - bare,
  ]);
  const all = run('+ every index (as djs stores postings)', Object.keys(INDEXES));
  const unmerged = run('+ every index, automatic merging off', Object.keys(INDEXES), { automerge: false });
  console.log(
    `\neach index's share: ${shares.map(([index, ms]) => `${index} ${ms.toFixed(3)} ms`).join(', ')}; ` +
      `all together ${(all - bare).toFixed(3)} ms above the row; merging adds ${(all - unmerged).toFixed(3)} ms`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
