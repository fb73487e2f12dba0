import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField } from '../../src/cli/render/csv.js';
import { renderMarkdown } from '../../src/cli/render/markdown.js';
import { toCsv } from '../../src/cli/render/search-csv.js';
import { fitColumns } from '../../src/cli/render/table.js';
import { parseSince, splitKeywords } from '../../src/commands/search.js';
import { FakeClock } from '../../src/core/clock.js';
import { UsageError } from '../../src/core/errors.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { parseJobId, parseJobStatus } from '../../src/jobs/model.js';
import { JobTracking, MAX_NOTE_LENGTH } from '../../src/jobs/tracking.js';
import type { SearchHit } from '../../src/jobs/search.js';
import { insertPosting } from '../helpers/postings.js';
import { JOBS_SHOW_KEYS } from '../helpers/seed-columns.js';
import { addUser } from '../helpers/user-db.js';

const SEED_COLUMNS = JOBS_SHOW_KEYS;

let dir: string;
let db: Db;
let clock: FakeClock;

function snapshot(): unknown {
  return {
    postings: db.prepare('SELECT * FROM job_postings ORDER BY id').all(),
    changes: db.prepare('SELECT * FROM job_status_changes ORDER BY id').all(),
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-jobs-unit-'));
  db = openDatabase(join(dir, 'djs.db'));
  clock = new FakeClock(Date.parse('2025-05-01T10:00:00.000Z'));
  const now = '2025-04-01T00:00:00.000Z';
  addUser(db, 'a@example.com', { now });
  addUser(db, 'b@example.com', { now });
  insertPosting(
    db,
    1,
    {
      jobId: '4000000001',
      title: 'Python Developer',
      company: 'Acme',
      location: 'Kraków',
      dateText: '2 weeks ago',
      applicantsText: 'Over 200 applicants',
      salary: '€60k–€80k',
      description: '**Role**\n\n- Python',
      seniority: 'Mid-Senior level',
      employmentType: 'Full-time',
      jobFunction: 'Engineering',
      industries: 'Software',
      companyUrl: 'https://acme.example',
      applyUrl: 'https://acme.example/apply',
      postedDate: '2025-03-18',
      applicants: 200,
    },
    now,
  );
  insertPosting(db, 1, { jobId: '4000000002' }, now);
  insertPosting(
    db,
    2,
    { jobId: '4000000003', title: 'Secret', company: 'Other', location: 'Berlin', description: 'theirs' },
    now,
  );
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('arguments', () => {
  it('parses statuses in any case and rejects others with the list', () => {
    expect(parseJobStatus(' Applied ')).toBe('applied');
    expect(() => parseJobStatus('hired')).toThrow(
      /new, saved, applied, interviewing, offer, rejected, archived/,
    );
    expect(() => parseJobStatus('hired')).toThrow(UsageError);
  });

  it('takes a job id or a LinkedIn link', () => {
    expect(parseJobId('4000000001')).toBe('4000000001');
    expect(parseJobId('https://www.linkedin.com/jobs/view/4000000001/')).toBe('4000000001');
    expect(parseJobId('https://www.linkedin.com/jobs/view/python-developer-at-acme-4000000001?refId=x')).toBe(
      '4000000001',
    );
    expect(parseJobId('https://www.linkedin.com/jobs/search/?currentJobId=4000000001&geoId=1')).toBe(
      '4000000001',
    );
    for (const bad of ['', ' ', '../etc', "1' OR '1'='1", 'a b', 'x'.repeat(101)])
      expect(() => parseJobId(bad)).toThrow(UsageError);
  });
});

describe('JobTracking.show', () => {
  it('returns the seed’s columns exactly, null where nothing was stored', () => {
    const tracking = new JobTracking(db, 1, clock);
    const full = tracking.show('4000000001');
    expect(Object.keys(full.record)).toEqual(SEED_COLUMNS);
    expect(full.record).toMatchObject({
      id: '4000000001',
      job_title: 'Python Developer',
      job_salary: '€60k–€80k',
      status: 'new',
      notes: null,
    });
    expect(full).toMatchObject({
      postedDate: '2025-03-18',
      applicants: 200,
      companyUrl: 'https://acme.example',
      history: [],
    });
    const empty = tracking.show('4000000002').record;
    expect(Object.keys(empty)).toEqual(SEED_COLUMNS);
    expect(empty.job_title).toBeNull();
    expect(empty.job_description).toBeNull();
  });

  it('treats another user’s job id as unknown', () => {
    expect(() => new JobTracking(db, 1, clock).show('4000000003')).toThrow(
      /No posting with job id 4000000003/,
    );
    expect(new JobTracking(db, 2, clock).show('4000000003').record.job_title).toBe('Secret');
    expect(() => new JobTracking(db, 2, clock).show('4000000001')).toThrow(UsageError);
  });
});

describe('JobTracking.setStatus', () => {
  it('changes the status, appends dated notes and records every change', () => {
    const tracking = new JobTracking(db, 1, clock);
    const first = tracking.setStatus('4000000001', 'applied', 'sent CV');
    expect(first).toMatchObject({
      oldStatus: 'new',
      newStatus: 'applied',
      notes: '2025-05-01: sent CV',
      changed: true,
    });
    clock.time += 3 * 86_400_000;
    tracking.setStatus('4000000001', 'interviewing', '  call on\nTuesday  ');
    clock.time += 86_400_000;
    const noteOnly = tracking.setStatus('4000000001', 'interviewing', 'prepared');
    expect(noteOnly).toMatchObject({ oldStatus: 'interviewing', newStatus: 'interviewing', changed: true });

    const posting = db
      .prepare("SELECT status, notes, status_changed_at FROM job_postings WHERE job_id = '4000000001'")
      .get();
    expect(posting).toEqual({
      status: 'interviewing',
      notes: '2025-05-01: sent CV\n2025-05-04: call on Tuesday\n2025-05-05: prepared',
      status_changed_at: '2025-05-05T10:00:00.000Z',
    });
    expect(tracking.show('4000000001').history).toEqual([
      { oldStatus: 'new', newStatus: 'applied', note: 'sent CV', changedAt: '2025-05-01T10:00:00.000Z' },
      {
        oldStatus: 'applied',
        newStatus: 'interviewing',
        note: 'call on Tuesday',
        changedAt: '2025-05-04T10:00:00.000Z',
      },
      {
        oldStatus: 'interviewing',
        newStatus: 'interviewing',
        note: 'prepared',
        changedAt: '2025-05-05T10:00:00.000Z',
      },
    ]);
    expect(db.prepare('SELECT DISTINCT user_id FROM job_status_changes').pluck().all()).toEqual([1]);
  });

  it('does nothing when the status is already that and there is no note', () => {
    const tracking = new JobTracking(db, 1, clock);
    const before = snapshot();
    expect(tracking.setStatus('4000000001', 'new').changed).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it('changes nothing for an unknown id, another user’s id or a bad note', () => {
    const tracking = new JobTracking(db, 1, clock);
    const before = snapshot();
    expect(() => tracking.setStatus('4999999999', 'applied')).toThrow(/No posting with job id 4999999999/);
    expect(() => tracking.setStatus('4000000003', 'applied', 'mine now')).toThrow(UsageError);
    expect(() => tracking.setStatus('4000000001', 'applied', '   ')).toThrow(/empty/);
    expect(() => tracking.setStatus('4000000001', 'applied', 'bell\u0007')).toThrow(/control/);
    expect(() => tracking.setStatus('4000000001', 'applied', 'x'.repeat(MAX_NOTE_LENGTH + 1))).toThrow(
      /longer/,
    );
    expect(snapshot()).toEqual(before);
  });

  it('keeps the search indexes untouched by status and notes updates', () => {
    new JobTracking(db, 1, clock).setStatus('4000000001', 'saved', 'python python python');
    expect(
      db
        .prepare(
          "INSERT INTO job_postings_words_1 (job_postings_words_1, rank) VALUES ('integrity-check', 1)",
        )
        .run().changes,
    ).toBeGreaterThanOrEqual(0);
    expect(
      db
        .prepare("SELECT count(*) FROM job_postings_words_1 WHERE job_postings_words_1 MATCH 'python'")
        .pluck()
        .get(),
    ).toBe(1);
  });
});

describe('JobTracking.applySheetEdit', () => {
  const rowId = (jobId: string): number =>
    db.prepare('SELECT id FROM job_postings WHERE job_id = ?').pluck().get(jobId) as number;

  it('writes a status pulled from the spreadsheet with a history row saying so; a notes-only edit leaves none', () => {
    const tracking = new JobTracking(db, 1, clock);
    const id = rowId('4000000002');
    expect(
      tracking.applySheetEdit(
        id,
        { status: 'new', notes: null },
        { status: 'offer', notes: 'from the sheet' },
      ),
    ).toBe(true);
    clock.time += 60_000;
    expect(
      tracking.applySheetEdit(
        id,
        { status: 'offer', notes: 'from the sheet' },
        { status: 'offer', notes: null },
      ),
    ).toBe(true);
    expect(
      db.prepare('SELECT status, notes, status_changed_at FROM job_postings WHERE id = ?').get(id),
    ).toEqual({
      status: 'offer',
      notes: null,
      status_changed_at: '2025-05-01T10:01:00.000Z',
    });
    expect(tracking.show('4000000002').history).toEqual([
      {
        oldStatus: 'new',
        newStatus: 'offer',
        note: 'changed in the spreadsheet',
        changedAt: '2025-05-01T10:00:00.000Z',
      },
    ]);
  });

  it('writes nothing when the posting changed since the sync read it', () => {
    const tracking = new JobTracking(db, 1, clock);
    tracking.setStatus('4000000002', 'applied');
    const before = snapshot();
    expect(
      tracking.applySheetEdit(
        rowId('4000000002'),
        { status: 'new', notes: null },
        { status: 'rejected', notes: null },
      ),
    ).toBe(false);
    expect(
      new JobTracking(db, 2, clock).applySheetEdit(
        rowId('4000000002'),
        { status: 'applied', notes: null },
        { status: 'rejected', notes: null },
      ),
    ).toBe(false);
    expect(snapshot()).toEqual(before);
  });
});

describe('output helpers', () => {
  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-remote')).toBe("'-remote");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('  =1+1')).toBe("'  =1+1");
    expect(csvField('\u001b[31mred\u001b[0m')).toBe('red');
    expect(csvField(null)).toBe('');
    expect(csvField(3)).toBe('3');
    const hit: SearchHit = {
      postingId: 1,
      jobId: '4000000001',
      score: 2,
      matchedKeywords: ['python', 'c++'],
      relevance: -1,
      title: 'Dev, "Senior"',
      company: '=cmd',
      location: 'Kraków',
      postedAt: null,
      addedAt: '2025-04-01T00:00:00.000Z',
      status: 'new',
      link: 'https://www.linkedin.com/jobs/view/4000000001/',
      source: 'linkedin',
      links: [
        'https://www.linkedin.com/jobs/view/4000000001/',
        'https://job-boards.greenhouse.io/acme/jobs/8026689',
      ],
      closedAt: '2025-05-01T00:00:00.000Z',
      pay: { min: 120000, max: 150000.5, currency: 'USD', period: 'year' },
    };
    expect(toCsv([hit])).toBe(
      'id,score,matchedKeywords,title,company,location,postedAt,status,link,source,links,closed_at,salary_min,salary_max,salary_currency,salary_period\r\n' +
        '4000000001,2,python; c++,"Dev, ""Senior""",\'=cmd,Kraków,,new,https://www.linkedin.com/jobs/view/4000000001/,linkedin,' +
        'https://www.linkedin.com/jobs/view/4000000001/ https://job-boards.greenhouse.io/acme/jobs/8026689,2025-05-01T00:00:00.000Z,120000,150000.5,USD,year\r\n',
    );
  });

  it('splits keywords typed at the prompt like a shell', () => {
    expect(splitKeywords(`python "prompt engineering"  'c++' node.js "unclosed phrase`)).toEqual([
      'python',
      'prompt engineering',
      'c++',
      'node.js',
      'unclosed phrase',
    ]);
    expect(splitKeywords('  "" \'\'  ')).toEqual([]);
  });

  it('--since takes 24h, week, month or a real date', () => {
    expect(parseSince('24h')).toEqual({ days: 1 });
    expect(parseSince('WEEK')).toEqual({ days: 7 });
    expect(parseSince('month')).toEqual({ days: 30 });
    expect(parseSince('2025-02-28')).toEqual({ date: '2025-02-28' });
    for (const bad of ['2025-02-30', 'yesterday', '2025-2-1', '', '7d'])
      expect(() => parseSince(bad)).toThrow(/24h, week, month/);
  });

  it('fits table columns to the width, sharing it fairly', () => {
    expect(fitColumns([5, 10, 10, 6], [false, true, true, false], 100)).toEqual([5, 10, 10, 6]);
    const widths = fitColumns([5, 80, 12, 60, 6], [false, true, true, true, false], 80);
    expect(widths[0]).toBe(5);
    expect(widths[2]).toBe(12);
    expect(widths.reduce((a, b) => a + b, 0) + widths.length - 1).toBeLessThanOrEqual(80);
    expect(Math.abs(widths[1]! - widths[3]!)).toBeLessThanOrEqual(1);
  });

  it('renders stored Markdown readably and strips terminal escapes', async () => {
    const markdown = [
      '## About **Acme**',
      '',
      'We build \\*great\\* things with _care_ and `code`. See [our site](https://acme.example).',
      '',
      '- Python\u001b]0;pwned\u0007 and Go',
      '  - nested item',
      '1. first',
      '',
      '---',
      'Last line \u001b[2J.',
    ].join('\n');
    const text = await renderMarkdown(markdown, { width: 60 });
    expect(text).toBe(
      [
        '  About Acme',
        '',
        '  We build *great* things with care and code. See our site',
        '  (https://acme.example).',
        '',
        '  • Python and Go',
        '    • nested item',
        '  1. first',
        '',
        `  ${'─'.repeat(40)}`,
        '  Last line .',
      ].join('\n'),
    );
    expect(await renderMarkdown('**Bold**', { width: 60, bold: (s) => `<${s}>` })).toBe('  <Bold>');
    const long = await renderMarkdown(`- ${'word '.repeat(40)}`, { width: 30 });
    for (const line of long.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
    expect(long.split('\n')[1]!.startsWith('    word')).toBe(true);
  });
});
