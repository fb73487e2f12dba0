import { describe, expect, it } from 'vitest';
import { DjsError, ExitCode } from '../../src/core/errors.js';
import { retryPolicyFromEnv, DEFAULT_RETRY } from '../../src/google/sheets-gateway.js';
import {
  a1,
  cellText,
  columnLetter,
  columnMap,
  columnRuns,
  formatRequests,
  layoutRow,
  missingColumns,
  POSTINGS_COLUMNS,
  sheetStatus,
} from '../../src/sheets/layout.js';
import { jobIdFromLink } from '../../src/jobs/model.js';
import { parseSpreadsheetRef } from '../../src/sheets/registry.js';

const ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';

describe('parseSpreadsheetRef', () => {
  it.each([
    [ID, ID],
    [`  ${ID}\n`, ID],
    [`https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0`, ID],
    [`https://docs.google.com/spreadsheets/d/${ID}`, ID],
    [`https://docs.google.com/spreadsheets/u/1/d/${ID}/edit?usp=sharing`, ID],
  ])('reads %j', (input, id) => {
    expect(parseSpreadsheetRef(input)).toBe(id);
  });

  it.each([
    'short',
    'has spaces in it and is long enough',
    'https://example.com/nothing',
    'https://docs.google.com/document/d/abcdefghijklmnopqrstuvwxyz/edit',
    "'; DROP TABLE user_spreadsheets; --",
    'javascript:alert(1)',
    `${ID}/../x`,
  ])('rejects %j with exit 2', (input) => {
    try {
      parseSpreadsheetRef(input);
      throw new Error('expected a usage error');
    } catch (error) {
      expect(error).toBeInstanceOf(DjsError);
      expect((error as DjsError).exitCode).toBe(ExitCode.usage);
    }
  });
});

describe('cell text', () => {
  it('strips control characters and escape sequences, keeps newlines and tabs', () => {
    expect(cellText('a\u001b[2Jb\u0000c\u0007\td\ne\r')).toBe('abc\td\ne');
    expect(cellText(null)).toBe('');
    expect(cellText(42)).toBe('42');
  });

  it('cuts at 50,000 characters without splitting a surrogate pair', () => {
    expect(cellText('x'.repeat(50_000))).toHaveLength(50_000);
    const cut = cellText('x'.repeat(60_000));
    expect(cut).toHaveLength(50_000);
    expect(cut.endsWith('…')).toBe(true);
    const emoji = cellText(`${'x'.repeat(49_998)}😀😀`);
    expect(emoji.length).toBeLessThanOrEqual(50_000);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('layout helpers', () => {
  it('finds job ids in LinkedIn links', () => {
    expect(jobIdFromLink('https://www.linkedin.com/jobs/view/4012345678/')).toBe('4012345678');
    expect(jobIdFromLink('https://www.linkedin.com/jobs/view/senior-dev-at-acme-4012345678?refId=x')).toBe(
      '4012345678',
    );
    expect(jobIdFromLink('https://www.linkedin.com/jobs/search/?currentJobId=4012345678&x=1')).toBe(
      '4012345678',
    );
    expect(jobIdFromLink('https://example.com/job')).toBeNull();
    expect(jobIdFromLink(undefined)).toBeNull();
  });

  it('maps columns by header name and reports missing required ones', () => {
    const header = ['Link', ' job_title ', 'status', 'notes'];
    expect(columnMap(header).get('link')).toBe(0);
    expect(columnMap(header).get('job_title')).toBe(1);
    expect(missingColumns('postings', header)).toEqual(['job_id']);
    expect(missingColumns('postings', POSTINGS_COLUMNS)).toEqual([]);
    expect(layoutRow(['job_id', 'mine', 'status'], { status: 'new', job_id: '1', other: 'x' })).toEqual([
      '1',
      '',
      'new',
    ]);
  });

  it('builds A1 ranges and narrow column runs', () => {
    expect(a1("Bob's tab", 'A1')).toBe("'Bob''s tab'!A1");
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(25)).toBe('Z');
    expect(columnLetter(26)).toBe('AA');
    expect(columnRuns([15, 13, 14, 0])).toEqual([
      [0, 0],
      [13, 15],
    ]);
  });

  it('normalises statuses typed in the sheet', () => {
    expect(sheetStatus(' Applied ')).toBe('applied');
    expect(sheetStatus('')).toBeNull();
    expect(sheetStatus('maybe')).toBe('invalid');
  });

  it('formats the postings tab with a status dropdown of the seven statuses', () => {
    const requests = formatRequests('postings', 7, POSTINGS_COLUMNS);
    const validation = requests.find((r) => r.setDataValidation)?.setDataValidation;
    expect(validation?.range).toMatchObject({ sheetId: 7, startColumnIndex: 13, endColumnIndex: 14 });
    expect(validation?.rule?.condition?.values?.map((v) => v.userEnteredValue)).toEqual([
      'new',
      'saved',
      'applied',
      'interviewing',
      'offer',
      'rejected',
      'archived',
    ]);
    expect(requests.filter((r) => r.updateDimensionProperties)).toHaveLength(POSTINGS_COLUMNS.length);
    expect(formatRequests('results', 1, ['link']).some((r) => r.setDataValidation)).toBe(false);
  });
});

describe('retry policy', () => {
  it('defaults to Google’s advice and accepts a smaller first step for tests', () => {
    expect(retryPolicyFromEnv({})).toEqual(DEFAULT_RETRY);
    expect(retryPolicyFromEnv({ DJS_GOOGLE_BACKOFF_MS: 'abc' })).toEqual(DEFAULT_RETRY);
    expect(retryPolicyFromEnv({ DJS_GOOGLE_BACKOFF_MS: '5' })).toMatchObject({
      baseMs: 5,
      maxMs: 160,
      attempts: DEFAULT_RETRY.attempts,
    });
  });
});
