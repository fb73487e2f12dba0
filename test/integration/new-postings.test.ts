import { openDatabase } from '../../src/db/database.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, registeredHome, runDjs, tempHome, type DjsResult } from '../helpers/cli.js';
import { insertJob } from '../helpers/postings.js';
import { MORNING, readValue, seedPostings } from '../helpers/review-home.js';

/** `djs profile keywords`, `djs search --new` and `status --json`'s newPostings, run as the built CLI. */

let template: Awaited<ReturnType<typeof registeredHome>>;
beforeAll(async () => {
  template = await registeredHome('ada@example.com');
});
afterAll(() => template?.cleanup());

function seededHome(): string {
  const home = template.clone();
  seedPostings(home, MORNING);
  return home;
}

async function djs(home: string, args: string[]): Promise<DjsResult> {
  const result = await runDjs(args, { home });
  expectNoStackTrace(result);
  return result;
}

const ids = (result: DjsResult): string[] =>
  (JSON.parse(result.stdout) as Array<{ id: string }>).map((r) => r.id);

describe('djs profile keywords', () => {
  it('saves, shows and clears the keywords (normalised, repeats dropped)', async () => {
    const home = template.clone();
    expect(JSON.parse((await djs(home, ['profile', 'keywords', '--json'])).stdout)).toEqual({ keywords: [] });
    const set = await djs(home, ['profile', 'keywords', ' python ', 'React', 'machine   learning', 'PYTHON']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('python React "machine learning"');
    expect(JSON.parse((await djs(home, ['profile', 'keywords', '--json'])).stdout)).toEqual({
      keywords: ['python', 'React', 'machine learning'],
    });
    expect((await djs(home, ['profile', 'keywords'])).stdout).toContain('python React "machine learning"');
    const cleared = await djs(home, ['profile', 'keywords', '--clear']);
    expect(cleared.code).toBe(0);
    expect(JSON.parse((await djs(home, ['profile', 'keywords', '--json'])).stdout)).toEqual({ keywords: [] });
  });

  it('refuses bad keywords with exit 2 and keeps the ones saved', async () => {
    const home = template.clone();
    await djs(home, ['profile', 'keywords', 'rust']);
    for (const args of [
      ['profile', 'keywords', 'go', ''],
      ['profile', 'keywords', 'a\u0007b'],
      ['profile', 'keywords', 'x'.repeat(201)],
      ['profile', 'keywords', 'go', '--clear'],
    ]) {
      const result = await djs(home, args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: /m);
    }
    expect(JSON.parse((await djs(home, ['profile', 'keywords', '--json'])).stdout)).toEqual({
      keywords: ['rust'],
    });
  });

  it('needs a login (exit 4)', async () => {
    const { home, cleanup } = tempHome();
    try {
      expect((await djs(home, ['profile', 'keywords', 'python'])).code).toBe(4);
    } finally {
      cleanup();
    }
  });
});

describe('djs search --new', () => {
  it('ranks the new postings by the profile keywords, then the rest newest first', async () => {
    const home = seededHome();
    await djs(home, ['profile', 'keywords', 'python', 'react']);
    const result = await djs(home, ['search', '--new', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ id: string; score: number; matchedKeywords: string[] }>;
    // 2 mentions both; 1 and 4 one each (1 first: in its title, the keyword weighs more, as in `djs search`);
    // then those that mention neither, newest first: 3 (03-20), 5 (03-10).
    expect(rows.map((row) => row.id)).toEqual([
      '4200000002',
      '4200000001',
      '4200000004',
      '4200000003',
      '4200000005',
    ]);
    expect(rows.map((row) => row.score)).toEqual([2, 1, 1, 0, 0]);
    expect(rows[0]!.matchedKeywords).toEqual(['python', 'react']);
    expect(rows[3]!.matchedKeywords).toEqual([]);
  });

  it('orders by date without keywords, keeps to --limit, and takes keywords given on the line instead', async () => {
    const home = seededHome();
    expect(ids(await djs(home, ['search', '--new', '--json']))).toEqual([
      '4200000003',
      '4200000005',
      '4200000004',
      '4200000002',
      '4200000001',
    ]);
    expect(ids(await djs(home, ['search', '--new', '--limit', '2', '--json']))).toEqual([
      '4200000003',
      '4200000005',
    ]);
    await djs(home, ['profile', 'keywords', 'python']);
    expect(ids(await djs(home, ['search', '--new', 'gardener', '--limit', '2', '--json']))).toEqual([
      '4200000005',
      '4200000003',
    ]);
  });

  it('leaves out postings seen in a review or given a status, and status --json counts the rest', async () => {
    const home = seededHome();
    const status = async (): Promise<number> =>
      (JSON.parse((await djs(home, ['status', '--json'])).stdout) as { newPostings: number }).newPostings;
    expect(await status()).toBe(5);
    expect((await djs(home, ['jobs', 'set-status', '4200000003', 'saved'])).code).toBe(0);
    // What the review does to every card it shows.
    const db = await import('better-sqlite3');
    const { join } = await import('node:path');
    const handle = new db.default(join(home, 'djs.db'));
    handle
      .prepare("UPDATE job_postings SET seen_at = '2025-04-02T08:00:00.000Z' WHERE job_id = ?")
      .run('4200000005');
    handle.close();
    expect(ids(await djs(home, ['search', '--new', '--json']))).toEqual([
      '4200000004',
      '4200000002',
      '4200000001',
    ]);
    expect(await status()).toBe(3);
    const text = await djs(home, ['status']);
    expect(text.stdout).toMatch(/New\s+3 \(djs review\)/);
    const listed = await djs(home, ['search', '--new']);
    expect(listed.stdout).toMatch(/3 new postings, newest first\. Go through them: djs review/);
  });

  it('says so when nothing is new, and rejects filters it does not take', async () => {
    const home = template.clone();
    const empty = await djs(home, ['search', '--new']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/Nothing new/);
    const filtered = await djs(home, ['search', '--new', '-l', 'berlin']);
    expect(filtered.code).toBe(2);
    expect(readValue(home, 'SELECT count(*) FROM user_search_history')).toBe(0);
  });

  it('a blocked company’s postings and closed jobs are not new: status, --new and the count leave them out', async () => {
    const home = template.clone();
    const db = openDatabase(join(home, 'djs.db'));
    try {
      const now = '2025-04-01T00:00:00.000Z';
      insertJob(db, 1, { jobId: '4300000001', title: 'Python dev', company: 'Acme' }, now);
      insertJob(db, 1, { jobId: '4300000002', title: 'Python agency job', company: 'Hays plc' }, now);
      insertJob(db, 1, { jobId: 'lever:abc', source: 'lever', title: 'Gone job', closedAt: now }, now);
    } finally {
      db.close();
    }
    const status = async (): Promise<number> =>
      (JSON.parse((await djs(home, ['status', '--json'])).stdout) as { newPostings: number }).newPostings;
    expect(await status()).toBe(2);
    expect((await djs(home, ['blocklist', 'add', 'Hays'])).code).toBe(0);
    expect(await status()).toBe(1);
    expect(ids(await djs(home, ['search', '--new', '--json']))).toEqual(['4300000001']);
    expect(ids(await djs(home, ['search', '--new', 'python', '--json']))).toEqual(['4300000001']);
  });
});
