import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, registeredHome, runDjs, tempHome, type DjsResult } from '../helpers/cli.js';
import { insertJob } from '../helpers/postings.js';
import { SOURCE_KEYS } from '../helpers/seed-columns.js';
import { addUser } from '../helpers/user-db.js';

/**
 * `djs search` as a person or a script runs it: the built CLI against a database seeded with postings of
 * two users (Ada, logged in, and Eve, whose postings must never show).
 */

interface Seed {
  jobId: string;
  title: string | null;
  company: string | null;
  location: string | null;
  description: string | null;
  posted: string | null;
}

const ESC = '\u001b';
const ADA_POSTINGS: Seed[] = [
  {
    jobId: '4000000001',
    title: 'Senior Python Developer',
    company: 'Acme',
    location: 'Kraków, Poland',
    description: 'Python and Go. Prompt engineering.',
    posted: '2025-03-01',
  },
  {
    jobId: '4000000002',
    title: 'Go Engineer',
    company: 'Beta GmbH',
    location: 'Zürich, Switzerland',
    description: 'We write Go and Rust. Fully -remote team.',
    posted: '2025-03-05',
  },
  {
    jobId: '4000000003',
    title: `Data ${ESC}[31mEngineer${ESC}]0;pwned\u0007`,
    company: '=HYPERLINK("http://evil")',
    location: 'Berlin',
    description: `python; SQL, café ${ESC}[2J`,
    posted: null,
  },
  {
    jobId: '4000000004',
    title: `Lead ${'very long title '.repeat(20)}`,
    company: 'Long Company Name '.repeat(5),
    location: 'São Paulo',
    description: 'python go c++ node.js',
    posted: '2025-02-01',
  },
  {
    jobId: '4000000005',
    title: 'Barista',
    company: 'Café Zürich',
    location: 'ZÜRICH',
    description: 'coffee, café and cake',
    posted: '2025-03-10',
  },
];
const EVE_POSTING: Seed = {
  jobId: '4000000099',
  title: 'Python Wizard',
  company: 'Eve Corp',
  location: 'Kraków',
  description: 'python python go',
  posted: '2025-03-20',
};

function seed(home: string): void {
  const db = openDatabase(join(home, 'djs.db'));
  try {
    const now = '2025-04-01T00:00:00.000Z';
    const ada = db.prepare('SELECT id FROM users').pluck().get() as number;
    const eve = addUser(db, 'eve@example.com', { now });
    const insert = db.prepare(
      `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, job_description, posted_date,
         added_at, fetched_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const add = (userId: number, p: Seed): unknown =>
      insert.run(
        userId,
        p.jobId,
        `https://www.linkedin.com/jobs/view/${p.jobId}/`,
        p.title,
        p.company,
        p.location,
        p.description,
        p.posted,
        now,
        now,
        now,
      );
    for (const posting of ADA_POSTINGS) add(ada, posting);
    add(eve, EVE_POSTING);
  } finally {
    db.close();
  }
}

function count(home: string, table: string): number {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

let template: Awaited<ReturnType<typeof registeredHome>>;
let home: string;
beforeAll(async () => {
  template = await registeredHome('ada@example.com');
  home = template.clone();
  seed(home);
});
afterAll(() => template?.cleanup());

async function djs(args: string[], env: Record<string, string> = {}): Promise<DjsResult> {
  const result = await runDjs(args, { home, env });
  expectNoStackTrace(result);
  return result;
}

const JSON_KEYS = [
  'id',
  'score',
  'matchedKeywords',
  'title',
  'company',
  'location',
  'postedAt',
  'status',
  'link',
  ...SOURCE_KEYS,
];

describe('djs search', () => {
  it('--json: the SPEC keys, ranked by score, only the logged-in user’s postings', async () => {
    const result = await djs(['search', 'python', 'Go', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    for (const row of rows) expect(Object.keys(row)).toEqual(JSON_KEYS);
    expect(rows.map((r) => r.id).sort()).toEqual(['4000000001', '4000000002', '4000000003', '4000000004']);
    expect(rows.map((r) => r.score)).toEqual([2, 2, 1, 1]);
    expect(rows[0]).toMatchObject({
      id: '4000000001',
      matchedKeywords: ['python', 'Go'],
      title: 'Senior Python Developer',
      company: 'Acme',
      location: 'Kraków, Poland',
      postedAt: '2025-03-01',
      status: 'new',
      link: 'https://www.linkedin.com/jobs/view/4000000001/',
    });
    expect(result.stdout).not.toContain('4000000099');
  });

  it('prints a table that fits the width, with terminal escapes removed', async () => {
    const result = await djs(['search', 'python', 'go', 'c++']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Score +Matched +Title +Company +Location +Posted +Status +Job id$/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    expect(result.stdout).toContain('4000000004');
    expect(result.stdout).toContain('Kraków');
    expect(result.stdout).toContain('…'); // the long title, cut to fit
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).not.toContain('\u0007');
    expect(result.stdout).toMatch(/4 matching postings/);

    const narrow = await djs(['search', 'python'], { COLUMNS: '70' });
    for (const line of narrow.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(70);
  });

  it('--csv: RFC 4180 rows, formulas defused, control characters gone', async () => {
    const result = await djs(['search', 'python', '--limit', '2', '--csv']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\r\n');
    expect(lines[0]).toBe(
      'id,score,matchedKeywords,title,company,location,postedAt,status,link,source,links,closed_at,salary_min,salary_max,salary_currency,salary_period',
    );
    expect(lines).toHaveLength(4); // header, 2 rows, the empty string after the last CRLF
    expect(lines.at(-1)).toBe('');
    const all = await djs(['search', 'python', '--csv']);
    const evil = all.stdout.split('\r\n').find((line) => line.startsWith('4000000003,'));
    expect(evil).toBe(
      `4000000003,1,python,Data Engineer,"'=HYPERLINK(""http://evil"")",Berlin,,new,https://www.linkedin.com/jobs/view/4000000003/,` +
        `linkedin,https://www.linkedin.com/jobs/view/4000000003/,,,,,`,
    );
  });

  it('filters by location (any case, accents too), keeps phrases and metacharacters as text', async () => {
    const krakow = JSON.parse(
      (await djs(['search', 'python', 'go', '-l', 'KRAKÓW', '--json'])).stdout,
    ) as Array<{ id: string }>;
    expect(krakow.map((r) => r.id)).toEqual(['4000000001']);
    const zurich = JSON.parse((await djs(['search', 'café', '-l', 'zürich', '--json'])).stdout) as Array<{
      id: string;
      matchedKeywords: string[];
    }>;
    expect(zurich).toEqual([expect.objectContaining({ id: '4000000005', matchedKeywords: ['café'] })]);
    const phrase = JSON.parse((await djs(['search', 'prompt engineering', '--json'])).stdout) as Array<{
      id: string;
    }>;
    expect(phrase.map((r) => r.id)).toEqual(['4000000001']);

    const before = count(home, 'job_postings');
    const nasty = await djs([
      'search',
      '--json',
      '--',
      '-remote',
      'NEAR(',
      '"',
      '*',
      'AND',
      "'; DROP TABLE job_postings; --",
      'c++',
      'node.js',
    ]);
    expect(nasty.code).toBe(0);
    const rows = JSON.parse(nasty.stdout) as Array<{ id: string; matchedKeywords: string[] }>;
    expect(rows.find((r) => r.id === '4000000002')?.matchedKeywords).toEqual(['-remote', 'AND']); // "and" in "Go and Rust";
    expect(rows.find((r) => r.id === '4000000004')?.matchedKeywords).toEqual(['c++', 'node.js']);
    expect(count(home, 'job_postings')).toBe(before);
  });

  it('--since and --status filter; nothing found is not an error', async () => {
    // Posted on or after the date; a posting with no posted date counts from when it was added (2025-04-01).
    const since = JSON.parse(
      (await djs(['search', 'python', 'go', '--since', '2025-03-02', '--json'])).stdout,
    ) as Array<{ id: string }>;
    expect(since.map((r) => r.id).sort()).toEqual(['4000000002', '4000000003']);
    const saved = await djs(['search', 'python', '--status', 'SAVED']);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/No postings mention "python" with status saved/);
    expect((await djs(['search', 'kubernetes', '--json'])).stdout.trim()).toBe('[]');
  });

  it('records every search and lists them with --history', async () => {
    await djs(['search', 'rust', 'prompt engineering', '-l', 'Zürich']);
    const history = JSON.parse((await djs(['search', '--history', '--json'])).stdout) as Array<
      Record<string, unknown>
    >;
    expect(history[0]).toMatchObject({ keywords: ['rust', 'prompt engineering'], location: 'Zürich' });
    expect(Object.keys(history[0]!)).toEqual(['id', 'keywords', 'location', 'searchedAt']);
    expect(history.length).toBeGreaterThan(5);
    const table = await djs(['search', '--history', '--limit', '2']);
    expect(table.stdout).toMatch(/^When +Keywords +Location/);
    expect(table.stdout).toContain('rust "prompt engineering"');
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it.each([
    [['search'], /at least one keyword/],
    [['search', '   '], /keyword is empty/],
    [['search', 'a\u0007b'], /control characters/],
    [['search', 'python', '--limit', '0'], /--limit/],
    [['search', 'python', '--limit', 'ten'], /--limit/],
    [['search', 'python', '--since', 'yesterday'], /24h, week, month/],
    [['search', 'python', '--status', 'hired'], /expected one of new, saved/],
    [['search', 'python', '--json', '--csv'], /one of --json and --csv/],
    [['search', 'python', '--history'], /no keywords/],
    [['search', '--history', '-l', 'Berlin'], /only --limit and --json/],
    [['search', '-remote'], /unknown option/],
    [['search', 'python', '--min-salary', 'lots'], /'--min-salary <n>' argument 'lots' is invalid/],
    [['search', 'python', '--min-salary', '0'], /'--min-salary <n>' argument '0' is invalid/],
    [['search', 'python', '--min-salary', '1000', '--currency', 'US'], /three letters/],
    [['search', 'python', '--min-salary', '1000', '--currency', 'EURO'], /three letters/],
    [['search', 'python', '--currency', 'USD'], /--currency goes with --min-salary/],
    [['search', '--history', '--include-closed'], /only --limit and --json/],
    [['search', '--new', '--min-salary', '1000'], /--new takes only/],
  ])('bad input %j → exit 2, a clear message, nothing recorded', async (args, message) => {
    const before = count(home, 'user_search_history');
    const result = await djs(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message as RegExp);
    expect(result.stdout).toBe('');
    expect(count(home, 'user_search_history')).toBe(before);
  });

  it('needs a login (exit 4)', async () => {
    const fresh = tempHome('djs-search-nologin-');
    try {
      const result = await runDjs(['search', 'python'], { home: fresh.home });
      expectNoStackTrace(result);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/not logged in/);
    } finally {
      fresh.cleanup();
    }
  });
});

describe('djs search over jobs from several sources (issue 12)', () => {
  let sourcesHome: string;
  beforeAll(() => {
    sourcesHome = template.clone();
    const db = openDatabase(join(sourcesHome, 'djs.db'));
    try {
      const ada = db.prepare('SELECT id FROM users').pluck().get() as number;
      const now = '2025-04-01T00:00:00.000Z';
      const job = (jobId: string, fields: Omit<Parameters<typeof insertJob>[2], 'jobId'>): number =>
        insertJob(db, ada, { jobId, description: 'Kotlin services', ...fields }, now);
      job('4100000001', { title: 'Kotlin Developer', company: 'Open Co' });
      job('greenhouse:501', {
        source: 'greenhouse',
        title: 'Kotlin Engineer',
        company: 'Luno',
        link: 'https://job-boards.greenhouse.io/luno/jobs/501',
        salaryMin: 100000,
        salaryMax: 130000,
        salaryCurrency: 'USD',
        salaryPeriod: 'year',
        listings: [
          {
            source: 'linkedin',
            sourceJobId: '4100000002',
            url: 'https://www.linkedin.com/jobs/view/4100000002/',
          },
        ],
      });
      job('lever:6f0c', {
        source: 'lever',
        title: 'Kotlin Lead',
        company: 'Gone Ltd',
        link: 'https://jobs.lever.co/gone/6f0c',
        closedAt: '2025-04-10T00:00:00.000Z',
        salaryMin: 11000,
        salaryCurrency: 'EUR',
        salaryPeriod: 'month',
      });
      job('remoteok:77', {
        source: 'remoteok',
        title: 'Kotlin Contractor',
        company: 'Hays plc',
        link: 'https://remoteok.com/remote-jobs/77',
        salaryMin: 70,
        salaryMax: 90,
        salaryCurrency: 'USD',
        salaryPeriod: 'hour',
      });
    } finally {
      db.close();
    }
  });

  const search = async (args: string[]): Promise<DjsResult> => {
    const result = await runDjs(['search', ...args], { home: sourcesHome });
    expectNoStackTrace(result);
    return result;
  };
  const ids = async (args: string[]): Promise<string[]> => {
    const result = await search([...args, '--json']);
    expect(result.code).toBe(0);
    return (JSON.parse(result.stdout) as Array<{ id: string }>).map((row) => row.id).sort();
  };

  it('leaves closed jobs out unless --include-closed; --json carries source, links, closed_at and pay', async () => {
    expect(await ids(['kotlin'])).toEqual(['4100000001', 'greenhouse:501', 'remoteok:77']);
    const all = JSON.parse((await search(['kotlin', '--include-closed', '--json'])).stdout) as Array<
      Record<string, unknown>
    >;
    expect(all.map((row) => row.id).sort()).toEqual([
      '4100000001',
      'greenhouse:501',
      'lever:6f0c',
      'remoteok:77',
    ]);
    for (const row of all) expect(Object.keys(row)).toEqual(JSON_KEYS);
    expect(all.find((row) => row.id === 'greenhouse:501')).toMatchObject({
      source: 'greenhouse',
      links: [
        'https://job-boards.greenhouse.io/luno/jobs/501',
        'https://www.linkedin.com/jobs/view/4100000002/',
      ],
      closed_at: null,
      salary_min: 100000,
      salary_max: 130000,
      salary_currency: 'USD',
      salary_period: 'year',
    });
    expect(all.find((row) => row.id === 'lever:6f0c')).toMatchObject({
      closed_at: '2025-04-10T00:00:00.000Z',
      salary_min: 11000,
      salary_max: null,
      salary_period: 'month',
    });
  });

  it('--min-salary compares pay a year (month ×12, hour ×2080); --currency limits it to one code', async () => {
    // 130,000 USD a year; 90 USD an hour = 187,200; 11,000 EUR a month = 132,000 (closed).
    expect(await ids(['kotlin', '--min-salary', '130000'])).toEqual(['greenhouse:501', 'remoteok:77']);
    expect(await ids(['kotlin', '--min-salary', '130001'])).toEqual(['remoteok:77']);
    expect(await ids(['kotlin', '--min-salary', '131000', '--include-closed'])).toEqual([
      'lever:6f0c',
      'remoteok:77',
    ]);
    expect(await ids(['kotlin', '--min-salary', '100000', '--currency', 'eur', '--include-closed'])).toEqual([
      'lever:6f0c',
    ]);
    const none = await search(['kotlin', '--min-salary', '500000']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/No postings mention "kotlin" paying at least 500000 a year/);
  });

  it('the table shows the pay and marks closed jobs', async () => {
    const table = await search(['kotlin', '--include-closed']);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^Score +Matched +Title +Company +Location +Pay +Posted +Status +Job id$/);
    expect(lines.find((line) => line.includes('greenhouse:501'))).toMatch(/USD 100k–130k\/yr .* new /);
    expect(lines.find((line) => line.includes('lever:6f0c'))).toMatch(/EUR 11k\/mo .* new, closed /);
    expect(lines.find((line) => line.includes('4100000001'))).toMatch(/Open Co .* — /);
  });

  it('hides a blocked company’s postings from search and --new, and shows them again once unblocked', async () => {
    const blocked = await runDjs(['blocklist', 'add', 'HAYS'], { home: sourcesHome });
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toMatch(/Blocked "HAYS": 1 stored posting is hidden now/);
    expect(await ids(['kotlin'])).toEqual(['4100000001', 'greenhouse:501']);
    expect(await ids(['--new'])).toEqual(['4100000001', 'greenhouse:501']);
    expect((await runDjs(['blocklist', 'remove', 'hays'], { home: sourcesHome })).code).toBe(0);
    expect(await ids(['kotlin'])).toEqual(['4100000001', 'greenhouse:501', 'remoteok:77']);
  });
});
