import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS_SHOW_KEYS } from '../helpers/seed-columns.js';
import { insertJob, insertPosting } from '../helpers/postings.js';
import { expectNoStackTrace, registeredHome, runDjs, type DjsResult } from '../helpers/cli.js';
import { addUser } from '../helpers/user-db.js';

/** `djs jobs show` and `djs jobs set-status` through the built CLI. */

const ESC = '\u001b';
const SEED_COLUMNS = JOBS_SHOW_KEYS;

let template: Awaited<ReturnType<typeof registeredHome>>;
let home: string;

function withDb<T>(use: (db: Database.Database) => T, readonly = true): T {
  // Writes go through djs's own connection: the search index triggers call its SQL functions.
  const db = readonly ? new Database(join(home, 'djs.db'), { readonly }) : openDatabase(join(home, 'djs.db'));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const snapshot = (): unknown =>
  withDb((db) => ({
    postings: db.prepare('SELECT * FROM job_postings ORDER BY id').all(),
    changes: db.prepare('SELECT * FROM job_status_changes ORDER BY id').all(),
  }));

beforeAll(async () => {
  template = await registeredHome('ada@example.com');
  home = template.clone();
  withDb((db) => {
    const now = '2025-04-01T00:00:00.000Z';
    const ada = db.prepare('SELECT id FROM users').pluck().get() as number;
    const eve = addUser(db, 'eve@example.com', { now });
    insertPosting(
      db,
      ada,
      {
        jobId: '4000000001',
        title: `Python ${ESC}[5mDeveloper`,
        company: 'Acme',
        location: 'Kraków, Poland',
        dateText: '2 weeks ago',
        applicantsText: 'Over 200 applicants',
        salary: '€60k–€80k',
        description: `## About us\n\nWe **build** things.${ESC}]0;title\u0007\n\n- Python\n- Go`,
        seniority: 'Mid-Senior level',
        employmentType: 'Full-time',
        jobFunction: 'Engineering',
        industries: 'Software Development',
        companyUrl: 'https://acme.example',
        applyUrl: 'https://acme.example/apply',
        postedDate: '2025-03-18',
        applicants: 200,
      },
      now,
    );
    insertPosting(db, ada, { jobId: '4000000002' }, now);
    insertPosting(
      db,
      eve,
      {
        jobId: '4000000099',
        title: 'Eve’s job',
        company: 'Eve Corp',
        location: 'Berlin',
        description: 'secret',
      },
      now,
    );
  }, false);
});
afterAll(() => template?.cleanup());

async function djs(args: string[]): Promise<DjsResult> {
  const result = await runDjs(args, { home });
  expectNoStackTrace(result);
  return result;
}

describe('djs jobs show', () => {
  it('prints every stored field and the description, sanitised', async () => {
    const result = await djs(['jobs', 'show', '4000000001']);
    expect(result.code).toBe(0);
    for (const text of [
      'Python Developer',
      'Acme · Kraków, Poland',
      '2 weeks ago (2025-03-18)',
      'Over 200 applicants',
      '€60k–€80k',
      'Mid-Senior level',
      'Full-time',
      'Software Development',
      'https://acme.example/apply',
      'https://acme.example',
      'About us',
      'We build things.',
      '• Python',
      '• Go',
      'new',
    ]) {
      expect(result.stdout).toContain(text);
    }
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).not.toContain('\u0007');
    expect(result.stdout).not.toContain('**');
  });

  it('--json has exactly the seed’s columns, null where nothing was stored', async () => {
    const full = JSON.parse((await djs(['jobs', 'show', '4000000001', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(Object.keys(full)).toEqual(SEED_COLUMNS);
    expect(full).toMatchObject({
      id: '4000000001',
      job_company: 'Acme',
      job_salary: '€60k–€80k',
      status: 'new',
      notes: null,
    });
    const empty = JSON.parse(
      (await djs(['jobs', 'show', 'https://www.linkedin.com/jobs/view/4000000002/', '--json'])).stdout,
    ) as Record<string, unknown>;
    expect(Object.keys(empty)).toEqual(SEED_COLUMNS);
    expect(empty).toMatchObject({
      id: '4000000002',
      job_title: null,
      job_description: null,
      apply_url: null,
    });
    const bare = await djs(['jobs', 'show', '4000000002']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('(no description was stored)');
  });
});

describe('djs jobs set-status', () => {
  it('sets the status, appends a dated note, records the change, and search sees it', async () => {
    const result = await djs([
      'jobs',
      'set-status',
      '4000000001',
      'Applied',
      '--note',
      'sent CV via the careers page',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/4000000001: new → applied, note added/);
    const shown = JSON.parse((await djs(['jobs', 'show', '4000000001', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(shown.status).toBe('applied');
    expect(shown.notes).toMatch(/^\d{4}-\d{2}-\d{2}: sent CV via the careers page$/);

    const json = JSON.parse(
      (await djs(['jobs', 'set-status', '4000000001', 'interviewing', '--json'])).stdout,
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      id: '4000000001',
      status: 'interviewing',
      previousStatus: 'applied',
      changed: true,
    });
    const again = await djs(['jobs', 'set-status', '4000000001', 'interviewing']);
    expect(again.stdout).toMatch(/already interviewing; nothing changed/);

    const changes = withDb((db) =>
      db.prepare('SELECT old_status, new_status, note, changed_at FROM job_status_changes ORDER BY id').all(),
    );
    expect(changes).toEqual([
      {
        old_status: 'new',
        new_status: 'applied',
        note: 'sent CV via the careers page',
        changed_at: expect.any(String),
      },
      { old_status: 'applied', new_status: 'interviewing', note: null, changed_at: expect.any(String) },
    ]);
    const posting = withDb((db) =>
      db.prepare("SELECT status_changed_at FROM job_postings WHERE job_id = '4000000001'").get(),
    ) as {
      status_changed_at: string;
    };
    expect(posting.status_changed_at).toBe((changes as Array<{ changed_at: string }>)[1]!.changed_at);

    const history = await djs(['jobs', 'show', '4000000001']);
    expect(history.stdout).toMatch(
      /Status history\n.*new → applied {2}sent CV via the careers page\n.*applied → interviewing/,
    );
    const search = JSON.parse(
      (await djs(['search', 'python', '--status', 'interviewing', '--json'])).stdout,
    ) as Array<{ id: string; status: string }>;
    expect(search).toEqual([expect.objectContaining({ id: '4000000001', status: 'interviewing' })]);
  });

  it.each([
    [['jobs', 'set-status', '4999999999', 'applied'], /No posting with job id 4999999999/],
    [['jobs', 'set-status', '4000000099', 'applied'], /No posting with job id 4000000099/],
    [['jobs', 'show', '4000000099'], /No posting with job id 4000000099/],
    [['jobs', 'set-status', '4000000001', 'hired'], /invalid for argument 'status'.*new, saved, applied/s],
    [['jobs', 'set-status', '4000000001'], /Give the status: djs jobs set-status <job-id>.*no prompt/],
    [['jobs', 'set-status', 'not a job', 'applied'], /is not a job id/],
    [['jobs', 'set-status', '4000000001', 'saved', '--note', '   '], /note is empty/],
    [['jobs', 'show', "1' OR '1'='1"], /is not a job id/],
  ])('%j → exit 2 with a clear message and no change', async (args, message) => {
    const before = snapshot();
    const result = await djs(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message as RegExp);
    expect(snapshot()).toEqual(before);
  });
});

describe('a job listed on several sources (issue 12)', () => {
  const FIRST_SEEN = '2025-04-01T00:00:00.000Z';
  beforeAll(() => {
    withDb((db) => {
      const ada = db.prepare("SELECT id FROM users WHERE email = 'ada@example.com'").pluck().get() as number;
      insertJob(
        db,
        ada,
        {
          jobId: '4000000050',
          title: 'Platform Engineer',
          company: 'Luno',
          location: 'London',
          salaryMin: 90000,
          salaryMax: 120000,
          salaryCurrency: 'GBP',
          salaryPeriod: 'year',
          workplaceType: 'hybrid',
          closedAt: '2025-04-20T08:00:00.000Z',
          listings: [
            {
              source: 'greenhouse',
              sourceJobId: 'greenhouse:8026689',
              board: 'luno',
              url: 'https://job-boards.greenhouse.io/luno/jobs/8026689',
              firstSeenAt: '2025-04-03T00:00:00.000Z',
              closedAt: '2025-04-20T08:00:00.000Z',
            },
            {
              source: 'remoteok',
              sourceJobId: 'remoteok:1093339',
              url: 'https://remoteOK.com/remote-jobs/1093339',
              firstSeenAt: '2025-04-05T00:00:00.000Z',
            },
          ],
        },
        FIRST_SEEN,
      );
      insertJob(
        db,
        ada,
        {
          jobId: 'lever:5c4b0a1e-1111-2222-3333-444455556666',
          source: 'lever',
          title: 'Agency job',
          company: 'Hays plc',
        },
        FIRST_SEEN,
      );
      db.prepare(
        "INSERT INTO blocked_companies (user_id, company_key, company, created_at) VALUES (?, 'hays', 'Hays', ?)",
      ).run(ada, FIRST_SEEN);
    }, false);
  });

  it('`jobs show` finds the job by any of its ids and lists every link with its source', async () => {
    for (const id of ['4000000050', 'greenhouse:8026689', 'GREENHOUSE:8026689', 'remoteok:1093339']) {
      const result = await djs(['jobs', 'show', id]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Job id         4000000050');
    }
    const { stdout } = await djs(['jobs', 'show', 'greenhouse:8026689']);
    expect(stdout).toMatch(/Pay +GBP 90k–120k\/yr/);
    expect(stdout).toMatch(/Workplace +hybrid/);
    expect(stdout).toMatch(/Open +closed on 2025-04-20, after 19 days open/);
    expect(stdout).toMatch(/Source +LinkedIn/);
    expect(stdout).toMatch(/Listed on\n +LinkedIn +https:\/\/www\.linkedin\.com\/jobs\/view\/4000000050\//);
    expect(stdout).toMatch(
      /Greenhouse +https:\/\/job-boards\.greenhouse\.io\/luno\/jobs\/8026689 \(closed 2025-04-20\)/,
    );
    expect(stdout).toMatch(/via Remote OK +https:\/\/remoteOK\.com\/remote-jobs\/1093339\n/);
    expect(stdout).toContain('greenhouse:8026689, first seen 2025-04-03');
  });

  it('`jobs show --json` adds source, links, closed_at and the pay numbers', async () => {
    const shown = JSON.parse((await djs(['jobs', 'show', 'remoteok:1093339', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(Object.keys(shown)).toEqual(SEED_COLUMNS);
    expect(shown).toMatchObject({
      id: '4000000050',
      source: 'linkedin',
      links: [
        'https://www.linkedin.com/jobs/view/4000000050/',
        'https://job-boards.greenhouse.io/luno/jobs/8026689',
        'https://remoteOK.com/remote-jobs/1093339',
      ],
      closed_at: '2025-04-20T08:00:00.000Z',
      salary_min: 90000,
      salary_max: 120000,
      salary_currency: 'GBP',
      salary_period: 'year',
    });
  });

  it('status and notes belong to the job, whichever id sets them', async () => {
    const set = await djs(['jobs', 'set-status', 'greenhouse:8026689', 'saved', '--note', 'via the board']);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/4000000050: new → saved, note added/);
    const shown = JSON.parse((await djs(['jobs', 'show', '4000000050', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(shown).toMatchObject({ status: 'saved', notes: expect.stringMatching(/: via the board$/) });
  });

  it('a blocked company’s job is hidden from `jobs show` and `set-status` (exit 2, no change)', async () => {
    const before = snapshot();
    for (const args of [
      ['jobs', 'show', 'lever:5c4b0a1e-1111-2222-3333-444455556666'],
      ['jobs', 'set-status', 'lever:5c4b0a1e-1111-2222-3333-444455556666', 'archived'],
    ]) {
      const result = await djs(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/a company you block \("Hays"\).*djs blocklist remove "Hays"/);
    }
    expect(snapshot()).toEqual(before);
  });
});
