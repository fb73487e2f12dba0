import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src/jobs/model.js';
import { POSTINGS_COLUMNS, RESULTS_COLUMNS } from '../../src/sheets/layout.js';
import { planRecords, planStatuses } from '../../src/sheets/sync/plan.js';
import type { SheetRow, SheetState, TabRead } from '../../src/sheets/sync/read.js';
import type { LocalState, PostingMark, PostingState, RowState } from '../../src/sheets/sync/store.js';

// The plan is pure: these tables build a sheet read and a local state by hand, with no database or network.

const JOB = '4100000001';
const LINK = `https://www.linkedin.com/jobs/view/${JOB}/`;
const PREVIOUS_READ = '2030-01-01T10:00:00.000Z';
const BEFORE_READ = '2030-01-01T09:00:00.000Z';
const AFTER_READ = '2030-01-01T11:00:00.000Z';

function tab(columns: readonly string[], rows: Array<Record<string, string>>): TabRead {
  return {
    header: [...columns],
    rows: rows.map((cells, i): SheetRow => ({ row: i + 2, cells: new Map(Object.entries(cells)) })),
  };
}

function sheetState(
  postings: Array<Record<string, string>>,
  results: Array<Record<string, string>> = [],
): SheetState {
  return {
    sheet: {} as SheetState['sheet'],
    postings: tab(POSTINGS_COLUMNS, postings),
    results: tab(RESULTS_COLUMNS, results),
  };
}

function posting(
  status: JobStatus = 'new',
  notes: string | null = null,
  changedAt: string | null = null,
): PostingState {
  return { id: 1, jobId: JOB, status, notes, statusChangedAt: changedAt };
}

function local(
  options: {
    posting?: PostingState;
    mark?: PostingMark;
    resultMark?: RowState;
  } = {},
): LocalState {
  return {
    postings: new Map([[1, options.posting ?? posting()]]),
    results: [{ id: 7, link: LINK, query: 'engineer', location: 'Berlin' }],
    postingMarks: new Map(options.mark ? [[1, options.mark]] : []),
    resultMarks: new Map(options.resultMark ? [[7, options.resultMark]] : []),
  };
}

describe('planRecords: settling what the sheet holds (exactly once)', () => {
  const inSheet = [{ job_id: JOB, status: 'saved', notes: 'call back' }];
  const resultInSheet = [{ link: LINK, query: 'engineer', location: 'Berlin' }];
  const cases: Array<{
    name: string;
    rows: Array<Record<string, string>>;
    mark?: PostingMark;
    full?: boolean;
    record: boolean;
    drop: boolean;
  }> = [
    { name: 'no record, not in the sheet: left for the append', rows: [], record: false, drop: false },
    {
      name: 'no record, in the sheet (another copy appended it): recorded',
      rows: inSheet,
      record: true,
      drop: false,
    },
    {
      name: 'pending, in the sheet (crash after Google applied it): recorded',
      rows: inSheet,
      mark: { state: 'pending', status: null, notes: null },
      record: true,
      drop: false,
    },
    {
      name: 'pending, not in the sheet (crash before it was sent): dropped, sent again',
      rows: [],
      mark: { state: 'pending', status: null, notes: null },
      record: false,
      drop: true,
    },
    {
      name: 'synced, in the sheet: nothing to do',
      rows: inSheet,
      mark: { state: 'synced', status: 'saved', notes: 'call back' },
      record: false,
      drop: false,
    },
    {
      name: 'synced, deleted from the sheet: kept without --full',
      rows: [],
      mark: { state: 'synced', status: 'new', notes: null },
      record: false,
      drop: false,
    },
    {
      name: 'synced, deleted from the sheet: dropped with --full',
      rows: [],
      mark: { state: 'synced', status: 'new', notes: null },
      full: true,
      record: false,
      drop: true,
    },
    {
      name: 'with --full a row without job id is found by its link',
      rows: [{ link: LINK, status: 'saved', notes: 'call back' }],
      full: true,
      record: true,
      drop: false,
    },
  ];
  it.each(cases)('$name', ({ rows, mark, full, record, drop }) => {
    const plan = planRecords(sheetState(rows), local({ mark }), Boolean(full));
    expect(plan.recordPostings).toEqual(
      record ? [{ postingId: 1, status: 'saved', notes: 'call back' }] : [],
    );
    expect(plan.dropPostings).toEqual(drop ? [1] : []);
    expect(plan.marks.get(1)).toEqual(
      record ? { state: 'synced', status: 'saved', notes: 'call back' } : drop ? undefined : mark,
    );
  });

  const resultCases: Array<{
    name: string;
    rows: Array<Record<string, string>>;
    mark?: RowState;
    full?: boolean;
  }> = [
    { name: 'a result the sheet shows, with no record', rows: resultInSheet },
    { name: 'a pending result the sheet shows', rows: resultInSheet, mark: 'pending' },
    { name: 'a pending result the sheet lacks', rows: [], mark: 'pending' },
    { name: 'a synced result the sheet lacks, without --full', rows: [], mark: 'synced' },
    { name: 'a synced result the sheet lacks, with --full', rows: [], mark: 'synced', full: true },
  ];
  const expected = [
    { record: [7], drop: [], resolved: 0, dropped: 0 },
    { record: [7], drop: [], resolved: 1, dropped: 0 },
    { record: [], drop: [7], resolved: 0, dropped: 1 },
    { record: [], drop: [], resolved: 0, dropped: 0 },
    { record: [], drop: [7], resolved: 0, dropped: 1 },
  ];
  it.each(resultCases.map((c, i) => ({ ...c, ...expected[i]! })))(
    '$name',
    ({ rows, mark, full, record, drop, resolved, dropped }) => {
      const plan = planRecords(sheetState([], rows), local({ resultMark: mark }), Boolean(full));
      expect(plan).toMatchObject({ recordResults: record, dropResults: drop, resolved, dropped });
    },
  );

  it('counts keys on more than one row (postings by job id, results by job, query and location)', () => {
    const plan = planRecords(
      sheetState(
        [{ job_id: JOB }, { job_id: JOB }, { job_id: '4100000002' }],
        [
          { link: LINK, query: 'engineer', location: 'Berlin' },
          {
            link: `https://www.linkedin.com/jobs/view/x-${JOB}/?ref=1`,
            query: ' engineer ',
            location: 'Berlin',
          },
          { link: LINK, query: 'developer', location: 'Berlin' },
        ],
      ),
      local(),
      false,
    );
    expect(plan.duplicates).toBe(2);
    expect(plan.postingRows.get(JOB)?.map((row) => row.row)).toEqual([2, 3]);
  });
});

describe('planStatuses: status and notes both ways', () => {
  interface Case {
    name: string;
    base: [string | null, string | null];
    sheet: [string, string];
    local: [JobStatus, string | null, string | null];
    pull?: { status: JobStatus | null; notes: { value: string | null } | null };
    push?: { status: string | null; notes: string | null };
    agree?: { status: string | null; notes: { value: string | null } | null };
    invalid?: boolean;
  }
  const cases: Case[] = [
    { name: 'nothing changed', base: ['new', null], sheet: ['new', ''], local: ['new', null, null] },
    {
      name: 'sheet status changed: pulled (typed loosely)',
      base: ['new', null],
      sheet: [' Applied ', ''],
      local: ['new', null, null],
      pull: { status: 'applied', notes: null },
    },
    {
      name: 'sheet notes changed: pulled',
      base: ['new', null],
      sheet: ['new', 'phone screen'],
      local: ['new', null, null],
      pull: { status: null, notes: { value: 'phone screen' } },
    },
    {
      name: 'sheet notes emptied: the empty note is pulled',
      base: ['new', 'old note'],
      sheet: ['new', ''],
      local: ['new', 'old note', null],
      pull: { status: null, notes: { value: null } },
    },
    {
      name: 'sheet status emptied: not a change',
      base: ['saved', null],
      sheet: ['', ''],
      local: ['saved', null, null],
    },
    {
      name: 'unknown status in the sheet: reported, not pulled',
      base: ['new', null],
      sheet: ['maybe?', ''],
      local: ['new', null, null],
      invalid: true,
    },
    {
      name: 'local status changed: pushed',
      base: ['new', null],
      sheet: ['new', ''],
      local: ['offer', null, AFTER_READ],
      push: { status: 'offer', notes: null },
    },
    {
      name: 'local notes changed: pushed',
      base: ['new', null],
      sheet: ['new', ''],
      local: ['new', 'round 2', AFTER_READ],
      push: { status: null, notes: 'round 2' },
    },
    {
      name: 'both changed, local change after the previous read: local wins',
      base: ['new', null],
      sheet: ['rejected', ''],
      local: ['offer', null, AFTER_READ],
      push: { status: 'offer', notes: null },
    },
    {
      name: 'both changed, local change before the previous read: sheet wins',
      base: ['new', null],
      sheet: ['rejected', ''],
      local: ['offer', null, BEFORE_READ],
      pull: { status: 'rejected', notes: null },
    },
    {
      name: 'both changed to the same value: only the base moves',
      base: ['new', null],
      sheet: ['applied', ''],
      local: ['applied', null, AFTER_READ],
      agree: { status: 'applied', notes: null },
    },
  ];
  it.each(cases)('$name', (c) => {
    const read = tab(POSTINGS_COLUMNS, [{ job_id: JOB, status: c.sheet[0], notes: c.sheet[1] }]);
    const mine = posting(...c.local);
    const plan = planStatuses({
      tab: read,
      tabTitle: 'Job Postings',
      postings: new Map([[1, mine]]),
      marks: new Map([[1, { state: 'synced', status: c.base[0], notes: c.base[1] }]]),
      rowsByJobId: new Map([[JOB, read.rows]]),
      previousReadAt: PREVIOUS_READ,
      full: false,
    });
    expect(plan.pulls).toEqual(c.pull ? [{ posting: mine, ...c.pull }] : []);
    expect(plan.pushes).toEqual(c.push ? [{ posting: mine, ...c.push }] : []);
    expect(plan.agreements).toEqual(c.agree ? [{ postingId: 1, ...c.agree }] : []);
    expect(plan.invalid).toEqual(c.invalid ? [{ row: 2, value: c.sheet[0] }] : []);
    const statusAt = `'Job Postings'!${String.fromCharCode(65 + POSTINGS_COLUMNS.indexOf('status'))}2`;
    const notesAt = `'Job Postings'!${String.fromCharCode(65 + POSTINGS_COLUMNS.indexOf('notes'))}2`;
    expect(plan.cellWrites).toEqual([
      ...(c.push?.status ? [{ range: statusAt, values: [[c.push.status]] }] : []),
      ...(c.push?.notes ? [{ range: notesAt, values: [[c.push.notes]] }] : []),
    ]);
  });

  it('leaves postings alone whose record is still pending or whose row is not in this read', () => {
    const read = tab(POSTINGS_COLUMNS, [{ job_id: JOB, status: 'offer', notes: '' }]);
    const plan = planStatuses({
      tab: read,
      tabTitle: 'Job Postings',
      postings: new Map([
        [1, posting()],
        [2, { ...posting(), id: 2, jobId: '4100000002' }],
      ]),
      marks: new Map<number, PostingMark>([
        [1, { state: 'pending', status: 'new', notes: null }],
        [2, { state: 'synced', status: 'new', notes: null }],
      ]),
      rowsByJobId: new Map([[JOB, read.rows]]),
      previousReadAt: PREVIOUS_READ,
      full: false,
    });
    expect(plan).toEqual({ pulls: [], pushes: [], agreements: [], cellWrites: [], invalid: [] });
  });
});
