import { describe, expect, it } from 'vitest';
import { boardJobFromUrl, boardKeyFromUrl, companyKey, matchKey } from '../../src/core/job-identity.js';
import { UsageError } from '../../src/core/errors.js';
import { formatSourceSpec, parseSourceSpec } from '../../src/jobs/model.js';
import { parseSalary } from '../../src/sources/common/salary.js';

describe('companyKey', () => {
  it('ignores case, accents, punctuation and a trailing legal form', () => {
    expect(companyKey('Stripe, Inc.')).toBe('stripe');
    expect(companyKey('ACME GmbH')).toBe(companyKey('acme'));
    expect(companyKey('Zühlke Engineering AG')).toBe('zuhlke engineering');
    expect(companyKey('AT&T')).toBe('at and t');
    expect(companyKey('Inc')).toBe('inc'); // a name that is only a legal form stays
    expect(companyKey('  ')).toBeNull();
    expect(companyKey(null)).toBeNull();
  });
});

describe('matchKey', () => {
  it('is the same for the same job written differently, and any remote location is "remote"', () => {
    expect(matchKey('Luno', 'Senior Engineer (Backend)', 'Remote - Europe')).toBe(
      matchKey('LUNO Ltd', 'senior engineer – backend', 'Remote'),
    );
    expect(matchKey('Luno', 'Senior Engineer', 'Cape Town')).not.toBe(
      matchKey('Luno', 'Senior Engineer', 'London'),
    );
    expect(matchKey(null, 'Engineer', 'Berlin')).toBeNull();
    expect(matchKey('Luno', '', 'Berlin')).toBeNull();
  });
});

describe('boardJobFromUrl', () => {
  it.each([
    ['https://boards.greenhouse.io/stripe/jobs/8026689', 'greenhouse', 'stripe', '8026689'],
    [
      'https://job-boards.greenhouse.io/anthropic/jobs/5215052008?gh_src=linkedin&utm_source=x',
      'greenhouse',
      'anthropic',
      '5215052008',
    ],
    ['https://job-boards.eu.greenhouse.io/luno/jobs/8102507', 'greenhouse', 'luno', '8102507'],
    ['https://boards.greenhouse.io/embed/job_app?for=luno&token=8102507', 'greenhouse', 'luno', '8102507'],
    ['https://stripe.com/jobs/search?gh_jid=8026689', 'greenhouse', null, '8026689'],
    [
      'https://jobs.lever.co/palantir/3F2A1B4C-1111-2222-3333-444455556666/apply?lever-source=LinkedIn',
      'lever',
      'palantir',
      '3f2a1b4c-1111-2222-3333-444455556666',
    ],
    [
      'https://jobs.eu.lever.co/mamamoney/0b6b1c52-5b44-4a1d-8f0e-7f1b2c3d4e5f',
      'lever',
      'mamamoney',
      '0b6b1c52-5b44-4a1d-8f0e-7f1b2c3d4e5f',
    ],
    [
      'https://jobs.ashbyhq.com/cohere/1f2e3d4c-aaaa-bbbb-cccc-ddddeeeeffff/application?utm_source=linkedin',
      'ashby',
      'cohere',
      '1f2e3d4c-aaaa-bbbb-cccc-ddddeeeeffff',
    ],
  ])('%s', (url, kind, board, id) => {
    expect(boardJobFromUrl(url)).toEqual({ kind, board, id });
  });

  it("reads the board link inside LinkedIn's externalApply redirect", () => {
    const wrapped = `https://www.linkedin.com/jobs/view/externalApply/4218586823?url=${encodeURIComponent(
      'https://jobs.ashbyhq.com/cohere/1f2e3d4c-aaaa-bbbb-cccc-ddddeeeeffff?utm_source=linkedin',
    )}&urlHash=abc`;
    expect(boardKeyFromUrl(wrapped)).toBe('ashby:1f2e3d4c-aaaa-bbbb-cccc-ddddeeeeffff');
  });

  it('is null for anything else', () => {
    for (const url of [
      'https://www.linkedin.com/jobs/view/4405055459/',
      'https://jobs.lever.co/palantir',
      'https://evil.example/boards.greenhouse.io/stripe/jobs/1',
      'https://greenhouse.io.evil.example/stripe/jobs/1',
      'not a url',
      null,
    ])
      expect(boardJobFromUrl(url)).toBeNull();
  });
});

describe('parseSourceSpec', () => {
  it('reads boards with a name and feeds without', () => {
    expect(parseSourceSpec('greenhouse:stripe')).toEqual({ kind: 'greenhouse', name: 'stripe' });
    expect(parseSourceSpec(' Lever:palantir ')).toEqual({ kind: 'lever', name: 'palantir' });
    expect(parseSourceSpec('remotive')).toEqual({ kind: 'remotive', name: '' });
    expect(formatSourceSpec({ kind: 'ashby', name: 'notion' })).toBe('ashby:notion');
    expect(formatSourceSpec({ kind: 'remoteok', name: '' })).toBe('remoteok');
  });

  it.each([
    ['indeed:acme', /not a source/],
    ['greenhouse', /give the board's name/],
    ['greenhouse:', /give the board's name/],
    ['remotive:foo', /takes no name/],
    ['lever:../../etc', /only letters, digits/],
    ['ashby:a b', /only letters, digits/],
  ])('refuses %s with a usage error', (spec, message) => {
    expect(() => parseSourceSpec(spec)).toThrow(UsageError);
    expect(() => parseSourceSpec(spec)).toThrow(message);
  });
});

describe('parseSalary', () => {
  it.each([
    ['$123,700 - $179,200', { min: 123700, max: 179200, currency: 'USD', period: null }],
    ['124,000 USD - 195,500 USD', { min: 124000, max: 195500, currency: 'USD', period: null }],
    ['€50.000 – €60.000 per year', { min: 50000, max: 60000, currency: 'EUR', period: 'year' }],
    ['$50/hr - $60/hr', { min: 50, max: 60, currency: 'USD', period: 'hour' }],
    ['CA$80k to CA$100k annually', { min: 80000, max: 100000, currency: 'CAD', period: 'year' }],
    ['£3,000 - £4,000 per month', { min: 3000, max: 4000, currency: 'GBP', period: 'month' }],
  ])('%s', (text, expected) => {
    expect(parseSalary(text)).toEqual(expected);
  });

  it('gives null for no range, and for a weekly or daily one', () => {
    expect(parseSalary('competitive pay')).toBeNull();
    expect(parseSalary('£300 - £400 per day')).toBeNull();
  });
});
