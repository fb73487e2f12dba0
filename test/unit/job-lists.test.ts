import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { Blocklist } from '../../src/jobs/blocklist.js';
import { NewPostings } from '../../src/jobs/new-postings.js';
import { parseCurrency } from '../../src/jobs/model.js';
import { SavedSearches, searchesFor } from '../../src/jobs/saved-searches.js';
import { SearchService, type SearchQuery } from '../../src/jobs/search.js';
import { insertJob } from '../helpers/postings.js';
import { addUser } from '../helpers/user-db.js';

/**
 * The person-facing lists of issue 12 over a real SQLite file: saved searches, the blocklist, and what
 * search and the new-postings queue leave out (blocked companies, closed jobs) or keep (--min-salary).
 */

const NOW = '2025-04-01T00:00:00.000Z';
const ADA = 1;
const EVE = 2;
let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-job-lists-'));
  db = openDatabase(join(dir, 'djs.db'));
  addUser(db, 'ada@example.com', { now: NOW });
  addUser(db, 'eve@example.com', { now: NOW });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (query: Partial<SearchQuery>, userId = ADA): string[] =>
  new SearchService(db, userId)
    .search({ keywords: ['python'], limit: 50, ...query })
    .hits.map((hit) => hit.jobId)
    .sort();

describe('saved searches', () => {
  it('adds every query × location once, numbers them, removes by number or query@location', () => {
    const saved = new SavedSearches(db, ADA);
    expect(searchesFor(['python', 'rust'], ['Berlin', 'Remote'])).toEqual([
      { query: 'python', location: 'Berlin' },
      { query: 'python', location: 'Remote' },
      { query: 'rust', location: 'Berlin' },
      { query: 'rust', location: 'Remote' },
    ]);
    expect(saved.add(searchesFor(['python', 'rust'], ['Berlin', 'Remote']), NOW)).toBe(4);
    expect(saved.add(searchesFor(['python'], ['Berlin']), NOW)).toBe(0);
    new SavedSearches(db, EVE).add([{ query: 'go', location: 'Paris' }], NOW);
    expect(saved.list().map((s) => `${s.number} ${s.query}@${s.location}`)).toEqual([
      '1 python@Berlin',
      '2 python@Remote',
      '3 rust@Berlin',
      '4 rust@Remote',
    ]);

    expect(saved.remove(['3', 'PYTHON@remote', '3']).map((s) => s.number)).toEqual([2, 3]);
    expect(saved.list().map((s) => `${s.number} ${s.query}@${s.location}`)).toEqual([
      '1 python@Berlin',
      '2 rust@Remote',
    ]);
    expect(new SavedSearches(db, EVE).list()).toHaveLength(1);
  });

  it('a reference that names no saved search removes nothing (exit 2)', () => {
    const saved = new SavedSearches(db, ADA);
    saved.add(searchesFor(['python'], ['Berlin', 'Remote']), NOW);
    for (const bad of [['1', '3'], ['0'], ['python'], ['1', 'go@Paris']]) {
      expect(() => saved.remove(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
    expect(() => new SavedSearches(db, EVE).remove(['1'])).toThrow(/no saved searches/);
    expect(saved.list()).toHaveLength(2);
  });
});

describe('the blocklist', () => {
  it('blocks by company key, reports what was blocked already, unblocks by any spelling', () => {
    insertJob(db, ADA, { jobId: '4000000001', company: 'ACME GmbH', title: 'Python dev' }, NOW);
    insertJob(db, ADA, { jobId: '4000000002', company: 'Acme', title: 'Python lead' }, NOW);
    const blocklist = new Blocklist(db, ADA);
    const first = blocklist.add(['Acme', 'Staffing Agency Ltd.'], NOW);
    expect(first.added.map((entry) => [entry.company, entry.companyKey, entry.postings])).toEqual([
      ['Acme', 'acme', 2],
      ['Staffing Agency Ltd.', 'staffing agency', 0],
    ]);
    expect(blocklist.add(['acme, inc.'], NOW)).toEqual({
      added: [],
      already: [{ company: 'Acme', companyKey: 'acme', createdAt: NOW }],
    });
    expect(new Blocklist(db, EVE).list()).toEqual([]);
    expect(blocklist.remove(['ACME']).map((entry) => entry.company)).toEqual(['Acme']);
    expect(blocklist.list().map((entry) => entry.company)).toEqual(['Staffing Agency Ltd.']);
  });

  it('bad names and unknown companies change nothing (exit 2)', () => {
    const blocklist = new Blocklist(db, ADA);
    for (const bad of [[''], ['  '], ['a\u0007b'], ['---'], ['x'.repeat(201)], ['Good', '']]) {
      expect(() => blocklist.add(bad, NOW)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
    expect(blocklist.list()).toEqual([]);
    blocklist.add(['Acme'], NOW);
    expect(() => blocklist.remove(['Acme', 'Globex'])).toThrow(/"Globex" is not on your blocklist/);
    expect(blocklist.list()).toHaveLength(1);
  });

  it('hides the company’s postings from search and the new-postings queue and its count', () => {
    insertJob(db, ADA, { jobId: '4000000001', company: 'ACME GmbH', title: 'Python dev' }, NOW);
    insertJob(db, ADA, { jobId: '4000000002', company: 'Globex', title: 'Python lead' }, NOW);
    insertJob(db, EVE, { jobId: '4000000003', company: 'Acme', title: 'Python dev' }, NOW);
    const queue = new NewPostings(db, ADA);
    expect(queue.count()).toBe(2);
    new Blocklist(db, ADA).add(['acme'], NOW);
    expect(ids({})).toEqual(['4000000002']);
    expect(ids({ status: 'new', unseen: true })).toEqual(['4000000002']);
    expect(queue.count()).toBe(1);
    expect(queue.ranked([], 10).map((hit) => hit.jobId)).toEqual(['4000000002']);
    expect(queue.ranked(['python'], 10).map((hit) => hit.jobId)).toEqual(['4000000002']);
    expect(ids({}, EVE)).toEqual(['4000000003']); // Ada's blocklist is Ada's
  });
});

describe('closed jobs and pay', () => {
  beforeEach(() => {
    insertJob(db, ADA, { jobId: '4000000001', title: 'Python dev', company: 'Open Co' }, NOW);
    insertJob(
      db,
      ADA,
      {
        jobId: 'greenhouse:11',
        source: 'greenhouse',
        title: 'Python dev',
        closedAt: '2025-04-20T00:00:00.000Z',
      },
      NOW,
    );
    const pay = (
      jobId: string,
      min: number | null,
      max: number | null,
      currency: string,
      period: 'year' | 'month' | 'hour' | null,
    ): void => {
      insertJob(
        db,
        ADA,
        {
          jobId,
          title: `Python ${jobId}`,
          salaryMin: min,
          salaryMax: max,
          salaryCurrency: currency,
          salaryPeriod: period,
        },
        NOW,
      );
    };
    pay('4000000010', 100000, 130000, 'USD', 'year'); // 130,000 a year
    pay('4000000011', 9000, 10500, 'EUR', 'month'); // 126,000 a year
    pay('4000000012', 60, null, 'USD', 'hour'); // 124,800 a year (min only)
    pay('4000000013', 110000, 119999, 'USD', null); // no period: a year, below 120,000
    pay('4000000014', 5000, 9999, 'GBP', 'month'); // 119,988 a year, just below
  });

  it('leaves closed jobs out unless includeClosed, and out of what counts as new', () => {
    expect(ids({})).not.toContain('greenhouse:11');
    expect(ids({ includeClosed: true })).toContain('greenhouse:11');
    expect(new NewPostings(db, ADA).count()).toBe(6);
    expect(new NewPostings(db, ADA).ranked([], 20).map((hit) => hit.jobId)).not.toContain('greenhouse:11');
  });

  it('--min-salary compares the top of the range (else the bottom) a year; --currency limits it', () => {
    expect(ids({ minSalary: { amount: 120000 } })).toEqual(['4000000010', '4000000011', '4000000012']);
    expect(ids({ minSalary: { amount: 120000, currency: 'USD' } })).toEqual(['4000000010', '4000000012']);
    expect(ids({ minSalary: { amount: 126000, currency: 'EUR' } })).toEqual(['4000000011']);
    expect(ids({ minSalary: { amount: 126001, currency: 'EUR' } })).toEqual([]);
    expect(ids({ minSalary: { amount: 119988 } })).toEqual([
      '4000000010',
      '4000000011',
      '4000000012',
      '4000000013',
      '4000000014',
    ]);
    expect(ids({ minSalary: { amount: 119989 } })).not.toContain('4000000014');
    expect(ids({ minSalary: { amount: 1 } })).toHaveLength(5); // postings without pay numbers never pass
  });

  it('a hit carries its source, every link, closed_at and its pay', () => {
    insertJob(
      db,
      ADA,
      {
        jobId: '4000000020',
        title: 'Python on two boards',
        link: 'https://www.linkedin.com/jobs/view/4000000020/',
        listings: [
          {
            source: 'greenhouse',
            sourceJobId: 'greenhouse:8026689',
            board: 'acme',
            url: 'https://job-boards.greenhouse.io/acme/jobs/8026689',
            firstSeenAt: '2025-04-02T00:00:00.000Z',
          },
        ],
      },
      NOW,
    );
    const hits = new SearchService(db, ADA).search({
      keywords: ['python'],
      limit: 50,
      includeClosed: true,
    }).hits;
    const byId = new Map(hits.map((hit) => [hit.jobId, hit]));
    expect(byId.get('4000000020')).toMatchObject({
      source: 'linkedin',
      links: [
        'https://www.linkedin.com/jobs/view/4000000020/',
        'https://job-boards.greenhouse.io/acme/jobs/8026689',
      ],
      closedAt: null,
      pay: { min: null, max: null, currency: null, period: null },
    });
    expect(byId.get('greenhouse:11')).toMatchObject({
      source: 'greenhouse',
      closedAt: '2025-04-20T00:00:00.000Z',
    });
    expect(byId.get('4000000011')!.pay).toEqual({ min: 9000, max: 10500, currency: 'EUR', period: 'month' });
  });

  it('--currency takes three letters in any case', () => {
    expect(parseCurrency(' usd ')).toBe('USD');
    for (const bad of ['US', 'USDT', 'U$D', '', '€'])
      expect(() => parseCurrency(bad)).toThrow(/three letters/);
  });
});
