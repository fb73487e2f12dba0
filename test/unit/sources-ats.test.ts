import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { boardJobFromUrl, boardKeyFromUrl, type BoardJob } from '../../src/core/job-identity.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import type { ListingResult, Validators } from '../../src/jobs/job-source.js';
import { parseSourceSpec, type ListedPosting, type SourceKind } from '../../src/jobs/model.js';
import { HttpError, ResponseRefusedError } from '../../src/net/errors.js';
import { parseAshbyBoard } from '../../src/sources/ashby/parse.js';
import { readBoardJob } from '../../src/sources/board-job.js';
import { SourceClients } from '../../src/sources/common/clients.js';
import { decodeHtmlEntities } from '../../src/sources/common/entities.js';
import { parseGreenhouseBoard, parseGreenhouseJob } from '../../src/sources/greenhouse/parse.js';
import { parseLeverPosting, parseLeverPostings } from '../../src/sources/lever/parse.js';
import { openListingSource, type SourceDeps } from '../../src/sources/registry.js';
import type { FakeBoardSpec } from '../../src/fakes/boards-server.js';
import { startBoards } from '../helpers/boards.js';
import { tempHome, REAL_FIXTURES as REAL } from '../helpers/cli.js';

/** The real captures live in the `shared` folder beside the repository (absent in a fresh clone). */
const realExists = existsSync(join(REAL, 'greenhouse'));
if (!realExists)
  console.warn(`[sources-ats] ${REAL} not found: the tests over real board captures are skipped.`);

const GREENHOUSE = {
  stripeSingle: 'boards_job_single_stripe_8026689_indent1_KernSharma.json',
  airbnb: 'boards_jobs_content-true_airbnb_trimmed20of240_pyjson-payInContent_harvzheng.json',
  anthropic: 'boards_jobs_content-true_anthropic_trimmed4_indent2-payInContent_lubobali.json',
  luno10: 'boards_jobs_content-true_luno_full10_nonluthando.json',
  luno11: 'boards_jobs_content-true_luno_full11_earlier-snapshot_nonluthando.json',
  smarterdx: 'boards_jobs_content-true_smarterdx_trimmed2of11_ericleerepo.json',
  stripe: 'boards_jobs_content-true_stripe_full547_enjoiyourlife.json',
  anthropicNoContent: 'boards_jobs_no-content_anthropic_full449_sakshambhatla.json',
};
const LEVER = {
  netflix404: 'postings_404_netflix_document-not-found_enjoiyourlife.json',
  yassir: 'postings_mode-json-limit500_Yassir_full142_salaryRange-zero_nonluthando.json',
  mamamoney: 'postings_mode-json-limit500_mamamoney_full11_nonluthando.json',
  leverdemo: 'postings_mode-json_leverdemo_trimmed6_pyjson-salaryRange2_ehddd3579-dot.json',
  palantir: 'postings_mode-json_palantir_trimmed2_ericleerepo.json',
  plaid: 'postings_mode-json_plaid_trimmed20_pyjson-salaryRange19_harvzheng.json',
};
const ASHBY = {
  bree: 'posting-api_job-board_bree_full11_comp-CAD-hourly-yearly_pyjson_stapply-ai.json',
  cursor: 'posting-api_job-board_cursor_full54_comp-empty_sakshambhatla.json',
  langdock: 'posting-api_job-board_langdock_full3_comp-EUR_pyjson_stapply-ai.json',
  openevidence: 'posting-api_job-board_openevidence_trimmed2_ericleerepo.json',
  physicalintelligence: 'posting-api_job-board_physicalintelligence_full3_no-comp_pyjson_stapply-ai.json',
  ramp: 'posting-api_job-board_ramp_full120_comp_enjoiyourlife.json',
  telli: 'posting-api_job-board_telli_full8_comp-EUR-month-year_pyjson_stapply-ai.json',
};

const capture = (kind: SourceKind, file: string): unknown =>
  JSON.parse(readFileSync(join(REAL, kind, file), 'utf8')) as unknown;
const greenhouse = (file: string, board: string) => parseGreenhouseBoard(capture('greenhouse', file), board);
const lever = (file: string, site: string) => parseLeverPostings(capture('lever', file), site);
const ashby = (file: string, board: string) => parseAshbyBoard(capture('ashby', file), board);

const byId = (postings: ListedPosting[]) => new Map(postings.map((posting) => [posting.jobId, posting]));
const get = (postings: ListedPosting[], jobId: string): ListedPosting => {
  const posting = byId(postings).get(jobId);
  expect(posting, jobId).toBeDefined();
  return posting!;
};
const pay = (posting: ListedPosting) => [
  posting.salaryMin,
  posting.salaryMax,
  posting.salaryCurrency,
  posting.salaryPeriod,
];
const withPay = (postings: ListedPosting[]) => postings.filter((posting) => posting.salaryMin != null);
const tally = (values: Array<string | null | undefined>) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
};

/** What holds for every posting of every capture: the id is the one its own link gives, and so on. */
function expectWellFormed(postings: ListedPosting[], kind: SourceKind): void {
  expect(new Set(postings.map((posting) => posting.jobId)).size).toBe(postings.length);
  for (const posting of postings) {
    expect(posting.source).toBe(kind);
    expect(posting.jobId).toMatch(new RegExp(`^${kind}:[0-9a-f-]+$`));
    expect(boardKeyFromUrl(posting.link), posting.link).toBe(posting.jobId);
    expect(posting.title).toBe(posting.title?.trim());
    expect(posting.title).not.toBe('');
    expect(posting.postedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Greenhouse's content arrives escaped once more than HTML: nothing of that layer may be left.
    if (kind === 'greenhouse') expect(posting.description ?? '').not.toMatch(/&lt;|&gt;|&quot;|&#39;/);
    if (posting.salaryMin != null) {
      expect(posting.salaryMax).toBeGreaterThanOrEqual(posting.salaryMin);
      expect(posting.salary).not.toBeNull();
    }
  }
}

describe.skipIf(!realExists)('the real captures', () => {
  it('are each tested here (a new capture needs its test)', () => {
    const files = (kind: string) => readdirSync(join(REAL, kind)).filter((f) => f.endsWith('.json'));
    expect(files('greenhouse').sort()).toEqual(Object.values(GREENHOUSE).sort());
    expect(files('lever').sort()).toEqual(Object.values(LEVER).sort());
    expect(files('ashby').sort()).toEqual(Object.values(ASHBY).sort());
  });
});

describe.skipIf(!realExists)('Greenhouse boards', () => {
  it("Stripe's whole board: 547 jobs, company_name, links on stripe.com, no pay", () => {
    const postings = greenhouse(GREENHOUSE.stripe, 'stripe');
    expect(postings).toHaveLength(547);
    expectWellFormed(postings, 'greenhouse');
    expect(postings[0]).toMatchObject({
      jobId: 'greenhouse:8023928',
      title: 'Account Executive, Bridge',
      company: 'Stripe',
      location: 'London',
      postedDate: '2026-07-30',
      link: 'https://stripe.com/jobs/search?gh_jid=8023928',
      applyUrl: 'https://stripe.com/jobs/search?gh_jid=8023928',
      workplaceType: null,
    });
    expect(postings.at(-1)).toMatchObject({
      jobId: 'greenhouse:7587814',
      title: 'Writer, Content Marketing',
      location: 'Remote US',
      postedDate: '2026-02-20',
    });
    expect(postings.every((posting) => posting.company === 'Stripe')).toBe(true);
    expect(withPay(postings)).toHaveLength(0);
    expect(postings.every((posting) => posting.salary === null)).toBe(true);
    expect(postings[0]!.description).toMatch(
      /^## \*\*Who we are\*\*\n\n### \*\*About Stripe\*\*\n\nStripe is/,
    );
  });

  it("Stripe's single-job endpoint reads as the same posting as on the board", () => {
    const single = parseGreenhouseJob(capture('greenhouse', GREENHOUSE.stripeSingle), 'stripe');
    expectWellFormed([single], 'greenhouse');
    expect(single).toMatchObject({
      jobId: 'greenhouse:8026689',
      title: 'Internal Audit Data Analytics Lead',
      company: 'Stripe',
      location: 'Toronto, New York, San Francisco',
      postedDate: '2026-06-26',
      link: 'https://stripe.com/jobs/search?gh_jid=8026689',
      salaryMin: null,
    });
    expect(single.description).toContain('Stripe is a financial infrastructure platform for businesses.');
    const onBoard = get(greenhouse(GREENHOUSE.stripe, 'stripe'), 'greenhouse:8026689');
    expect(onBoard.title).toBe(single.title);
    expect(onBoard.location).toBe(single.location);
  });

  it('Anthropic without content: 449 jobs, no description, Location Type as the workplace', () => {
    const postings = greenhouse(GREENHOUSE.anthropicNoContent, 'anthropic');
    expect(postings).toHaveLength(449);
    expectWellFormed(postings, 'greenhouse');
    expect(postings.every((posting) => posting.description === null)).toBe(true);
    // "Location Type": On-Site 249, null 175, Hybrid (Travel-Required) 14, Remote 11.
    expect(tally(postings.map((posting) => posting.workplaceType))).toEqual({
      onsite: 249,
      null: 175,
      hybrid: 14,
      remote: 11,
    });
    expect(postings[0]).toMatchObject({
      jobId: 'greenhouse:5074975008',
      title: 'Account Coordinator',
      company: 'Anthropic',
      location: 'New York City, NY; San Francisco, CA',
      postedDate: '2026-02-12',
      link: 'https://job-boards.greenhouse.io/anthropic/jobs/5074975008',
      workplaceType: null,
    });
    expect(postings.at(-1)).toMatchObject({
      jobId: 'greenhouse:5114848008',
      title: 'Video Producer, Product Launches',
      location: 'San Francisco, CA',
      postedDate: '2026-02-13',
      workplaceType: 'onsite',
    });
  });

  it('Anthropic with content: the pay only inside the content, "Annual Salary:" → per year', () => {
    const postings = greenhouse(GREENHOUSE.anthropic, 'anthropic');
    expect(postings).toHaveLength(4);
    expectWellFormed(postings, 'greenhouse');
    expect(postings.map((posting) => [posting.jobId, posting.workplaceType, posting.postedDate])).toEqual([
      ['greenhouse:5311686008', 'remote', '2026-07-10'],
      ['greenhouse:5215052008', 'onsite', '2026-05-11'],
      ['greenhouse:5023394008', 'onsite', '2025-12-11'],
      ['greenhouse:5101378008', null, '2026-04-07'],
    ]);
    const gtm = get(postings, 'greenhouse:5215052008');
    expect(gtm.title).toBe('Amazon GTM Partnership, Startups');
    expect(gtm.location).toBe('San Francisco, CA | New York City, NY | Seattle, WA');
    expect(pay(gtm)).toEqual([265000, 365000, 'USD', 'year']);
    expect(gtm.salary).toBe('$265,000 — $365,000 USD');
    expect(withPay(postings)).toEqual([gtm]);
  });

  it("Airbnb: 14 of 20 with a pay range in the content, the title's 'Annual' giving the period", () => {
    const postings = greenhouse(GREENHOUSE.airbnb, 'airbnb');
    expect(postings).toHaveLength(20);
    expectWellFormed(postings, 'greenhouse');
    const paid = Object.fromEntries(withPay(postings).map((posting) => [posting.jobId, pay(posting)]));
    expect(paid).toEqual({
      'greenhouse:7649441': [61000, 72000, 'EUR', 'year'], // France Annual Pay Range €61.000—€72.000 EUR
      'greenhouse:7707299': [28, 32, 'USD', null], // "Pay Range" $28—$32 USD: the page says no period
      'greenhouse:7634675': [92000, 115000, 'EUR', 'year'],
      'greenhouse:7759713': [95000, 112000, 'USD', null],
      'greenhouse:7781869': [67000, 79000, 'CAD', 'year'], // $67,000—$79,000 CAD
      'greenhouse:7735274': [157000, 185000, 'USD', null],
      'greenhouse:7698274': [2590000, 3700000, 'INR', 'year'],
      'greenhouse:7563987': [25000, 25000, 'EUR', 'year'],
      'greenhouse:7662483': [25000, 25000, 'EUR', 'year'],
      'greenhouse:7535339': [134000, 167000, 'CAD', 'year'],
      'greenhouse:7326052': [164000, 205000, 'CAD', 'year'],
      'greenhouse:7288960': [63000, 63000, 'CAD', 'year'],
      'greenhouse:7573845': [25000, 25000, 'EUR', 'year'],
      'greenhouse:7757160': [70000, 85000, 'EUR', 'year'],
    });
    expect(get(postings, 'greenhouse:7649441')).toMatchObject({
      title: 'Account Executive (12 Month FTC)',
      company: 'Airbnb',
      location: 'Paris, France',
      postedDate: '2026-02-24',
      salary: '€61.000 — €72.000 EUR',
      workplaceType: 'hybrid', // metadata "Workplace Type": "Hybrid"
      link: 'https://careers.airbnb.com/positions/7649441?gh_jid=7649441',
    });
    expect(get(postings, 'greenhouse:7757160').workplaceType).toBe('onsite'); // "Onsite"
    expect(get(postings, 'greenhouse:7744247')).toMatchObject({ location: 'Remote, Brazil', salary: null });
    expect(get(postings, 'greenhouse:7535339').title).toBe('Business Development Lead'); // trailing space trimmed
  });

  it("Luno nine days apart: 8063925 has gone, 8102507's text and 8102556's location changed", () => {
    const earlier = byId(greenhouse(GREENHOUSE.luno11, 'luno'));
    const later = byId(greenhouse(GREENHOUSE.luno10, 'luno'));
    expect(earlier.size).toBe(11);
    expect(later.size).toBe(10);
    expectWellFormed([...earlier.values()], 'greenhouse');
    expectWellFormed([...later.values()], 'greenhouse');
    expect([...earlier.keys()].filter((id) => !later.has(id))).toEqual(['greenhouse:8063925']);
    expect([...later.keys()].filter((id) => !earlier.has(id))).toEqual([]);
    expect(earlier.get('greenhouse:8063925')).toMatchObject({
      title: 'Senior AML, CTF, CPF & Sanctions Analyst',
      location: 'Cape Town or Johannesburg',
      postedDate: '2026-07-20',
    });
    expect(earlier.get('greenhouse:8102556')!.location).toBe('Cape Town & Johannesburg');
    expect(later.get('greenhouse:8102556')!.location).toBe('South Africa or Malaysia or Indonesia');
    const before = earlier.get('greenhouse:8102507')!.description!;
    const after = later.get('greenhouse:8102507')!.description!;
    expect(before).toContain('sensibly and responsibly.\u00a0Since 2013');
    expect(after).toContain('sensibly and responsibly. Since 2013');
    expect(later.get('greenhouse:7941789')).toMatchObject({
      title: 'AML, CTF, CPF & Sanctions Analyst',
      company: 'Luno',
      location: 'Jakarta',
      postedDate: '2026-05-19',
      workplaceType: null,
    });
    // &#39; and &amp; are decoded before the HTML is read.
    expect(later.get('greenhouse:7941789')!.description).toContain("in everyone's hands");
    expect(withPay([...earlier.values(), ...later.values()])).toHaveLength(0);
  });

  it('SmarterDx: 2 jobs, no metadata', () => {
    const postings = greenhouse(GREENHOUSE.smarterdx, 'smarterdx');
    expectWellFormed(postings, 'greenhouse');
    expect(
      postings.map((posting) => [posting.jobId, posting.title, posting.location, posting.postedDate]),
    ).toEqual([
      ['greenhouse:5193736007', 'Client Support Analyst I', 'Remote (United States)', '2026-07-27'],
      ['greenhouse:5099964007', 'Clinical Coding Specialist', 'Remote (United States)', '2026-04-06'],
    ]);
    expect(
      postings.every((posting) => posting.company === 'SmarterDx' && posting.workplaceType === null),
    ).toBe(true);
  });
});

describe.skipIf(!realExists)('Lever sites', () => {
  it("Yassir: 142 postings, the site name as company, the 0–0 DZD range is no pay, 'unspecified' → null", () => {
    const postings = lever(LEVER.yassir, 'Yassir');
    expect(postings).toHaveLength(142);
    expectWellFormed(postings, 'lever');
    expect(postings.every((posting) => posting.company === 'Yassir')).toBe(true);
    expect(withPay(postings)).toHaveLength(0);
    expect(get(postings, 'lever:1eddf301-02e0-4057-a69e-579c6f7e15b1')).toMatchObject({
      title: 'Sales Representative (Tizi Ouzou)',
      salary: null,
      salaryCurrency: null,
      workplaceType: 'onsite',
    });
    expect(tally(postings.map((posting) => posting.workplaceType))).toEqual({
      null: 1,
      onsite: 62,
      hybrid: 77,
      remote: 2,
    });
    expect(postings[0]).toMatchObject({
      jobId: 'lever:f80503be-b23a-41b5-88e4-d7b342ef5b76',
      title: 'Accountant',
      location: 'Johannesburg, South Africa',
      postedDate: '2022-08-03',
      employmentType: 'Full-time',
      workplaceType: null,
      link: 'https://jobs.lever.co/Yassir/f80503be-b23a-41b5-88e4-d7b342ef5b76',
      applyUrl: 'https://jobs.lever.co/Yassir/f80503be-b23a-41b5-88e4-d7b342ef5b76/apply',
    });
    expect(postings.at(-1)).toMatchObject({
      jobId: 'lever:14b7d4db-56b9-4ab7-be51-45f0ba79f753',
      title: 'Trade Marketing Lead',
      location: 'Algiers, Algeria',
      postedDate: '2026-03-30',
    });
    expect(tally(postings.map((posting) => posting.employmentType))).toEqual({
      'Full-time': 113,
      Contractor: 14,
      null: 8,
      'Part-time': 1,
      'Freelancer (Hourly Rate)': 2,
      Fulltime: 4,
    });
    // The description, every list under its heading, and the closing part.
    const description = postings[0]!.description!;
    expect(description).toMatch(/^\*\*Yassir\*\* is the leading super App in the Maghreb region/);
    expect(description).toContain('### What You’ll Do\n\n- Manage all accounting transactions\n');
    expect(description).toContain('At Yassir, we believe in the power of diversity');
  });

  it('Mama Money: 11 postings, onsite 8, hybrid 1, remote 2, no pay', () => {
    const postings = lever(LEVER.mamamoney, 'mamamoney');
    expect(postings).toHaveLength(11);
    expectWellFormed(postings, 'lever');
    expect(tally(postings.map((posting) => posting.workplaceType))).toEqual({
      onsite: 8,
      hybrid: 1,
      remote: 2,
    });
    expect(withPay(postings)).toHaveLength(0);
    expect(postings[0]).toMatchObject({
      title: 'Customer Success Consultant (CPT)',
      company: 'mamamoney',
      location: 'Cape Town, ZA',
      postedDate: '2025-05-29',
      employmentType: 'Full-time',
    });
  });

  it('Plaid: 19 of 20 with a salaryRange, the first a point range of 240000 USD a year', () => {
    const postings = lever(LEVER.plaid, 'plaid');
    expect(postings).toHaveLength(20);
    expectWellFormed(postings, 'lever');
    expect(withPay(postings)).toHaveLength(19);
    expect(withPay(postings).every((posting) => posting.salaryCurrency === 'USD')).toBe(true);
    expect(withPay(postings).every((posting) => posting.salaryPeriod === 'year')).toBe(true);
    expect(postings[0]).toMatchObject({
      jobId: 'lever:d6389903-e642-4189-804c-02d271714bdb',
      title: 'Account Executive - Fintech',
      location: 'New York; San Francisco', // allLocations
      postedDate: '2026-01-08',
      workplaceType: 'hybrid',
      salary: '240,000 USD per year',
    });
    expect(pay(postings[0]!)).toEqual([240000, 240000, 'USD', 'year']);
    expect(pay(get(postings, 'lever:b931eb96-8dd8-4f8f-85aa-1c944ea659b5'))).toEqual([
      285108,
      309000,
      'USD',
      'year',
    ]);
    expect(get(postings, 'lever:fff15056-548f-4d41-8d0b-f7affc68a330')).toMatchObject({
      title: 'Engineering Manager - Europe',
      salaryMin: null,
      salary: null,
    });
    // The pay text Lever shows on the page is part of the description.
    expect(postings[0]!.description).toContain(
      'The on-target earnings (OTE) for this position is $240,000/year',
    );
    expect(postings.filter((posting) => posting.location?.includes('; '))).toHaveLength(10);
  });

  it("Lever's demo site: 2 of 6 with pay, 'unspecified' twice", () => {
    const postings = lever(LEVER.leverdemo, 'leverdemo');
    expect(postings).toHaveLength(6);
    expectWellFormed(postings, 'lever');
    expect(
      withPay(postings).map((posting) => [posting.jobId, ...pay(posting), posting.workplaceType]),
    ).toEqual([
      ['lever:c559265a-55ec-4f75-ac56-78290081f6e7', 10000, 125000, 'USD', 'year', 'remote'],
      ['lever:cdb8268a-ec7f-413b-9664-27b428627b5c', 50000, 70000, 'USD', 'year', 'hybrid'],
    ]);
    expect(get(postings, 'lever:c559265a-55ec-4f75-ac56-78290081f6e7').salary).toBe(
      '10,000–125,000 USD per year',
    );
    expect(postings.filter((posting) => posting.workplaceType === null)).toHaveLength(2);
    expect(postings[0]).toMatchObject({
      title: 'AbelsonTaylor Writer',
      location: 'Arlington, TX',
      postedDate: '2019-03-21',
      employmentType: 'Regular Full Time (Salary)',
    });
  });

  it('Palantir: 2 postings', () => {
    const postings = lever(LEVER.palantir, 'palantir');
    expectWellFormed(postings, 'lever');
    expect(postings).toHaveLength(2);
    expect(postings[0]).toMatchObject({
      jobId: 'lever:ac978161-6f46-4f6b-ad9e-a258e642751c',
      title: 'Administrative Business Partner',
      company: 'palantir',
      location: 'London, United Kingdom',
      postedDate: '2024-03-25',
      workplaceType: 'hybrid',
    });
  });

  it("a site Lever does not have: its 'Document not found' body is a clear error, not an empty site", () => {
    const body = capture('lever', LEVER.netflix404);
    expect(() => parseLeverPostings(body, 'netflix')).toThrow(
      'Lever answered "Document not found" for the site "netflix".',
    );
    expect(() => parseLeverPosting(body, 'netflix')).toThrow(/Document not found/);
  });
});

describe.skipIf(!realExists)('Ashby boards', () => {
  it('Ramp: 120 jobs, 114 with a Salary component (one USD per month), the first title trimmed', () => {
    const postings = ashby(ASHBY.ramp, 'ramp');
    expect(postings).toHaveLength(120);
    expectWellFormed(postings, 'ashby');
    expect(withPay(postings)).toHaveLength(114);
    expect(
      tally(withPay(postings).map((posting) => `${posting.salaryCurrency} ${posting.salaryPeriod}`)),
    ).toEqual({
      'USD year': 106,
      'USD month': 1,
      'CAD year': 2,
      'GBP year': 4,
      'SEK year': 1,
    });
    expect(postings[0]).toMatchObject({
      jobId: 'ashby:34413f8d-26bf-4bbc-8ade-eb309a0e2245',
      title: 'Security Engineer, Cloud',
      company: 'ramp',
      location: 'New York, NY (HQ); Remote (Canada); Remote (US); Miami, FL',
      postedDate: '2026-04-07',
      workplaceType: 'hybrid', // workplaceType "Hybrid" although isRemote is true
      employmentType: 'Full-time',
      salary: '$211.4K – $290.6K • Offers Equity',
      link: 'https://jobs.ashbyhq.com/ramp/34413f8d-26bf-4bbc-8ade-eb309a0e2245',
      applyUrl: 'https://jobs.ashbyhq.com/ramp/34413f8d-26bf-4bbc-8ade-eb309a0e2245/application',
    });
    expect(pay(postings[0]!)).toEqual([211400, 290600, 'USD', 'year']);
    expect(get(postings, 'ashby:67fadb77-43d8-4449-954b-d4cf2c6d3b8b')).toMatchObject({
      title: 'Software Engineer Internship, Android',
      salary: '$11.7K per month',
      salaryMin: 11700,
      salaryMax: 11700,
      salaryPeriod: 'month',
    });
    expect(pay(get(postings, 'ashby:1b6a5a22-d6ed-4591-987d-6cc5b7bca8e1'))).toEqual([
      836400,
      1131600,
      'SEK',
      'year',
    ]);
    expect(get(postings, 'ashby:1b6a5a22-d6ed-4591-987d-6cc5b7bca8e1').location).toBe('Remote (Sweden)');
    expect(postings.at(-1)).toMatchObject({
      title: 'Product Manager | Tax',
      location: 'New York, NY (HQ); San Francisco, CA',
      postedDate: '2026-08-04',
    });
    expect(tally(postings.map((posting) => posting.workplaceType))).toEqual({
      hybrid: 95,
      remote: 16,
      onsite: 9,
    });
    expect(tally(postings.map((posting) => posting.employmentType))).toEqual({
      'Full-time': 118,
      Internship: 1,
      Contract: 1,
    });
  });

  it('Bree: 8 of 11 with pay in CAD, one per hour; isRemote alone says remote', () => {
    const postings = ashby(ASHBY.bree, 'bree');
    expect(postings).toHaveLength(11);
    expectWellFormed(postings, 'ashby');
    expect(withPay(postings)).toHaveLength(8);
    expect(postings[0]).toMatchObject({
      title: 'Operations Coordinator',
      location: 'Toronto',
      salaryMin: null,
    });
    expect(get(postings, 'ashby:148f7a75-c164-44eb-acd8-bf6138ccad18')).toMatchObject({
      title: 'Internship Program (All Roles)',
      salary: 'CA$25.00 – CA$75.00 per hour',
    });
    expect(pay(get(postings, 'ashby:148f7a75-c164-44eb-acd8-bf6138ccad18'))).toEqual([25, 75, 'CAD', 'hour']);
    expect(
      tally(withPay(postings).map((posting) => `${posting.salaryCurrency} ${posting.salaryPeriod}`)),
    ).toEqual({
      'CAD year': 7,
      'CAD hour': 1,
    });
    expect(postings.every((posting) => posting.workplaceType === 'remote')).toBe(true);
    expect(postings.at(-1)).toMatchObject({
      title: 'Creative Strategist (Part-Time)',
      employmentType: 'Part-time',
      postedDate: '2025-09-04',
    });
  });

  it('telli: 7 of 8 with pay in EUR, 3 per month and 4 per year', () => {
    const postings = ashby(ASHBY.telli, 'telli');
    expect(postings).toHaveLength(8);
    expectWellFormed(postings, 'ashby');
    expect(tally(withPay(postings).map((posting) => posting.salaryPeriod))).toEqual({ month: 3, year: 4 });
    expect(postings[0]).toMatchObject({
      jobId: 'ashby:306200f9-5a4e-47a9-b6b0-0ad328633ef6',
      title: 'AI Operations Intern',
      company: 'telli',
      location: 'Berlin',
      employmentType: 'Internship',
      postedDate: '2025-08-20',
      salary: '€3K – €5K per month',
      workplaceType: null, // isRemote false says only "not remote"
    });
    expect(pay(postings[0]!)).toEqual([3000, 5000, 'EUR', 'month']);
  });

  it('Langdock: 3 jobs with an EUR Salary beside equity and bonus components', () => {
    const postings = ashby(ASHBY.langdock, 'langdock');
    expect(postings).toHaveLength(3);
    expectWellFormed(postings, 'ashby');
    expect(postings[0]).toMatchObject({
      title: 'AI Associate',
      salary: '€66K – €75K • Offers Equity • €8K – €15K Bonus',
      postedDate: '2025-04-07',
    });
    expect(pay(postings[0]!)).toEqual([66000, 75000, 'EUR', 'year']);
    expect(pay(postings[2]!)).toEqual([66000, 120000, 'EUR', 'year']);
  });

  it('Cursor and Physical Intelligence publish no pay; OpenEvidence lists a second location', () => {
    const cursor = ashby(ASHBY.cursor, 'cursor');
    const pi = ashby(ASHBY.physicalintelligence, 'physicalintelligence');
    const oe = ashby(ASHBY.openevidence, 'openevidence');
    expectWellFormed([...cursor, ...pi, ...oe], 'ashby');
    expect([cursor.length, pi.length, oe.length]).toEqual([54, 3, 2]);
    expect(withPay([...cursor, ...pi, ...oe])).toHaveLength(0);
    expect([...cursor, ...pi, ...oe].every((posting) => posting.salary === null)).toBe(true);
    expect(cursor[0]).toMatchObject({
      title: 'Software Engineer, Growth',
      location: 'SF / NY',
      workplaceType: null,
      postedDate: '2025-10-30',
    });
    expect(tally(cursor.map((posting) => posting.workplaceType))).toEqual({
      null: 24,
      hybrid: 10,
      onsite: 13,
      remote: 7,
    });
    expect(pi[0]).toMatchObject({
      title: 'Robot Operator',
      location: 'San Francisco',
      postedDate: '2024-04-10',
    });
    expect(oe[0]).toMatchObject({
      title: 'Member of Technical Staff',
      location: 'San Francisco; Miami',
      workplaceType: 'onsite',
      postedDate: '2026-01-22',
    });
  });
});

describe('board answers that are not postings', () => {
  const job = { id: 1, title: 'Engineer', absolute_url: 'https://job-boards.greenhouse.io/acme/jobs/1' };

  it('a job without an id or a title is skipped, the others kept', () => {
    const board = { jobs: [job, { title: 'No id' }, { id: 2 }, { id: 3, title: '   ' }, null, 'text'] };
    expect(parseGreenhouseBoard(board, 'acme').map((posting) => posting.jobId)).toEqual(['greenhouse:1']);
    const site = [{ id: 'A1', text: 'Engineer' }, { text: 'No id' }, { id: 'B2' }, 7];
    expect(parseLeverPostings(site, 'acme').map((posting) => posting.jobId)).toEqual(['lever:a1']);
    const ashbyBoard = {
      jobs: [{ id: 'C3', title: 'Engineer' }, { id: 'D4' }, { id: 'E5', title: 'Hidden', isListed: false }],
    };
    expect(parseAshbyBoard(ashbyBoard, 'acme').map((posting) => posting.jobId)).toEqual(['ashby:c3']);
  });

  it('fields of the wrong type are left empty rather than trusted', () => {
    const [posting] = parseGreenhouseBoard(
      {
        jobs: [
          {
            ...job,
            location: 'not an object',
            company_name: 42,
            absolute_url: 'javascript:alert(1)',
            content: 5,
          },
        ],
      },
      'acme',
    );
    expect(posting).toMatchObject({
      company: 'acme',
      location: null,
      link: 'https://job-boards.greenhouse.io/acme/jobs/1',
      description: null,
    });
  });

  it("a link that does not name the job is replaced by the board's own page for it", () => {
    const [posting] = parseGreenhouseBoard(
      { jobs: [{ ...job, id: 4567, absolute_url: 'https://www.acme.com/careers/open-roles' }] },
      'acme',
    );
    expect(posting).toMatchObject({
      jobId: 'greenhouse:4567',
      link: 'https://job-boards.greenhouse.io/acme/jobs/4567',
      applyUrl: 'https://www.acme.com/careers/open-roles',
    });
    const uuid = '0ec39ed7-a5dc-4551-bb26-b7f4f9fb4a74';
    const [listed] = parseAshbyBoard(
      {
        jobs: [
          {
            id: uuid,
            title: 'Engineer',
            jobUrl: 'https://jobs.ashbyhq.com/acme/11111111-1111-1111-1111-111111111111',
          },
        ],
      },
      'acme',
    );
    expect(listed!.link).toBe(`https://jobs.ashbyhq.com/acme/${uuid}`);
    expect(boardKeyFromUrl(listed!.link)).toBe(listed!.jobId);
  });

  it('a top level that is not the board (an HTML page, a wrong object) is a clear error', () => {
    expect(() => parseGreenhouseBoard('<html>Bad gateway</html>', 'acme')).toThrow(
      'The Greenhouse board "acme" answered with something that is not its job list.',
    );
    expect(() => parseAshbyBoard({ ok: false }, 'acme')).toThrow(
      'The Ashby board "acme" answered with something that is not its job list.',
    );
    expect(() => parseLeverPostings({ jobs: [] }, 'acme')).toThrow(
      'Lever answered with something that is not the postings of the site "acme".',
    );
    expect(() => parseGreenhouseJob({ error: 'not found' }, 'acme')).toThrow(/not a job of the board "acme"/);
  });

  it("Greenhouse pay_input_ranges (cents) come before the content's text", () => {
    const [posting] = parseGreenhouseBoard(
      {
        jobs: [
          {
            ...job,
            content:
              '&lt;div class=&quot;pay-range&quot;&gt;&lt;span&gt;$1 - $2 USD&lt;/span&gt;&lt;/div&gt;',
            pay_input_ranges: [
              { min_cents: 12000000, max_cents: 15000000, currency_type: 'USD', title: 'Annual base salary' },
            ],
          },
        ],
      },
      'acme',
    );
    expect(pay(posting!)).toEqual([120000, 150000, 'USD', 'year']);
    expect(posting!.salary).toBe('120,000–150,000 USD per year');
  });

  it('a salary interval djs cannot compare gives no numbers', () => {
    const [weekly] = parseLeverPostings(
      [{ id: 'x', text: 'T', salaryRange: { min: 1, max: 2, currency: 'USD', interval: 'per-week-salary' } }],
      'acme',
    );
    expect(weekly!.salaryMin).toBeNull();
    const [proto] = parseLeverPostings(
      [{ id: 'y', text: 'T', salaryRange: { min: 1, max: 2, currency: 'USD', interval: 'constructor' } }],
      'acme',
    );
    expect(proto!.salaryPeriod).toBeNull();
  });
});

describe('decodeHtmlEntities', () => {
  it('decodes one layer: named, decimal and hex references', () => {
    expect(decodeHtmlEntities('&lt;p&gt;A &amp;amp; B&#39;s &quot;x&quot; &#x2014; &#8364;&lt;/p&gt;')).toBe(
      '<p>A &amp; B\'s "x" — €</p>',
    );
  });

  it('leaves unknown names and invalid code points safe', () => {
    expect(decodeHtmlEntities('&mdash; &nbsp; &#0; &#xD800; &#1114112; & plain')).toBe(
      '&mdash; &nbsp; \ufffd \ufffd \ufffd & plain',
    );
  });
});

/** The fake's boards for these tests: one per kind and Lever host, a second Greenhouse board. */
const FAKE_BOARDS: FakeBoardSpec[] = [
  { kind: 'greenhouse', name: 'northwind', company: 'Northwind Analytics', count: 6 },
  { kind: 'greenhouse', name: 'bluefinlabs', count: 3 },
  { kind: 'lever', name: 'pinecrest', count: 5 },
  { kind: 'lever', name: 'nordlicht', count: 4, region: 'eu' },
  { kind: 'ashby', name: 'quantix', count: 5 },
];

describe('the Greenhouse, Lever and Ashby adapters against the fake boards', () => {
  let boards: Awaited<ReturnType<typeof startBoards>>;
  let home: ReturnType<typeof tempHome>;
  let db: Db;
  let deps: SourceDeps;
  const signal = new AbortController().signal;

  beforeEach(async () => {
    boards = await startBoards({ boards: FAKE_BOARDS });
    home = tempHome('djs-sources-ats-');
    db = openDatabase(join(home.home, 'djs.db'));
    const clients = new SourceClients({ concurrency: 2, timeoutMs: 5_000, proxyUrl: null });
    deps = { clients, env: boards.env, clock: systemClock, db };
  });
  afterEach(async () => {
    await deps.clients.close();
    await boards.fake.close();
    db.close();
    home.cleanup();
  });

  /** A watched board read through the registry, as update-db reads it. */
  async function list(spec: string, validators: Validators | null = null): Promise<ListingResult> {
    return (await openListingSource(parseSourceSpec(spec), deps)).list(validators, signal);
  }
  const listing = (result: ListingResult) => {
    if (result.kind !== 'listing') throw new Error(`expected a listing, got ${result.kind}`);
    return result;
  };
  const boardJob = (url: string): BoardJob => {
    const job = boardJobFromUrl(url);
    expect(job, url).not.toBeNull();
    return job!;
  };

  it.each([
    ['greenhouse:northwind', '/v1/boards/northwind/jobs'],
    ['lever:pinecrest', '/v0/postings/pinecrest'],
    ['ashby:quantix', '/posting-api/job-board/quantix'],
  ])('%s: the whole board in one request, then one conditional request answered 304', async (spec, path) => {
    const handle = boards.fake.board(spec);
    const first = listing(await list(spec));
    expect(first.complete).toBe(true);
    expect(first.postings.map((posting) => posting.title)).toEqual(handle.jobs.map((job) => job.title));
    expect(first.postings.every((posting) => posting.company !== null && posting.link !== '')).toBe(true);
    expect(first.validators.etag).not.toBeNull();
    expect(boards.fake.count(path)).toBe(1);

    expect(await list(spec, first.validators)).toEqual({ kind: 'unchanged' });
    expect(boards.fake.count(path)).toBe(2);
    expect(boards.fake.requests.at(-1)).toMatchObject({ status: 304 });

    handle.removeJob(handle.jobs[0]!.id);
    const after = listing(await list(spec, first.validators));
    expect(after.postings).toHaveLength(first.postings.length - 1);
  });

  it('asks for the content (Greenhouse), the JSON mode (Lever) and the pay (Ashby)', async () => {
    await list('greenhouse:northwind');
    await list('lever:pinecrest');
    await list('ashby:quantix');
    expect(boards.fake.requests.map((request) => [request.path, request.query])).toEqual([
      ['/v1/boards/northwind/jobs', { content: 'true' }],
      ['/v0/postings/pinecrest', { mode: 'json' }],
      ['/posting-api/job-board/quantix', { includeCompensation: 'true' }],
    ]);
    expect(boards.fake.requests.every((request) => request.headers.accept === 'application/json')).toBe(true);
  });

  it.each(['greenhouse:nosuchboard', 'lever:nosuchsite', 'ashby:nosuchboard'])(
    '%s: a board that does not exist is not-found',
    async (spec) => {
      expect(await list(spec)).toEqual({ kind: 'not-found' });
    },
  );

  it("a Lever site on the EU host is found there after the global host's 404", async () => {
    const result = listing(await list('lever:nordlicht'));
    expect(result.postings).toHaveLength(boards.fake.board('lever:nordlicht').jobs.length);
    expect(boards.fake.requests.map((request) => [request.eu, request.status])).toEqual([
      [false, 404],
      [true, 200],
    ]);
    // A site on neither host is asked of both, then not-found.
    expect(await list('lever:nosuchsite')).toEqual({ kind: 'not-found' });
    expect(boards.fake.requests.slice(2).map((request) => request.eu)).toEqual([false, true]);
  });

  it('retries a 500 and reads the board; a board that keeps failing is an HttpError, never an empty board', async () => {
    let failures = 2;
    boards.fake.setOptions({ failWith: () => (failures-- > 0 ? 500 : null) });
    expect(listing(await list('greenhouse:bluefinlabs')).postings).toHaveLength(3);
    expect(boards.fake.requests.map((request) => request.status)).toEqual([500, 500, 200]);

    boards.fake.setOptions({ failWith: () => 503 });
    await expect(list('ashby:quantix')).rejects.toBeInstanceOf(HttpError);
    expect(boards.fake.requests.filter((request) => request.status === 503)).toHaveLength(5); // 1 + 4 retries
  }, 60_000);

  it('refuses an answer over the 32 MB cap and a redirect off the host, at once; a cut-off listing is an error', async () => {
    const oversized = 33 * 1024 * 1024;
    boards.fake.setOptions({ hostile: () => ({ kind: 'oversized', bytes: oversized }) });
    await expect(list('greenhouse:northwind')).rejects.toBeInstanceOf(ResponseRefusedError);
    boards.fake.setOptions({ hostile: () => ({ kind: 'gzip-bomb', inflatedBytes: oversized }) });
    await expect(list('ashby:quantix')).rejects.toBeInstanceOf(ResponseRefusedError);
    boards.fake.setOptions({
      hostile: () => ({ kind: 'redirect', location: `${boards.fake.euUrl}/v0/postings/pinecrest?mode=json` }),
    });
    await expect(list('lever:pinecrest')).rejects.toBeInstanceOf(ResponseRefusedError);
    expect(boards.fake.requests).toHaveLength(3); // refused without a retry
    expect(boards.fake.requests.some((request) => request.eu)).toBe(false); // the redirect not followed

    // 8 MB, twice Stripe's board and over the polite client's 4 MB default, is read to its end (and then
    // found not to be JSON: the filler is not).
    boards.fake.setOptions({ hostile: () => ({ kind: 'oversized', bytes: 8 * 1024 * 1024 }) });
    await expect(list('greenhouse:northwind')).rejects.toThrow(/not JSON/);

    // Half a listing is not JSON: an error (the collector closes nothing), never a board with fewer jobs.
    boards.fake.setOptions({ hostile: () => ({ kind: 'truncated' }) });
    await expect(list('greenhouse:bluefinlabs')).rejects.toThrow(/not JSON/);
  });

  it('readBoardJob: the posting a LinkedIn apply link points at, on each kind, null once it is gone', async () => {
    for (const spec of ['greenhouse:northwind', 'lever:pinecrest', 'lever:nordlicht', 'ashby:quantix']) {
      const handle = boards.fake.board(spec);
      const job = handle.jobs[1]!;
      const url = handle.jobUrl(job.id);
      const posting = await readBoardJob(boardJob(url), deps, signal);
      expect(posting, spec).toMatchObject({ jobId: boardKeyFromUrl(url), title: job.title });
      expect(posting!.description).not.toBeNull();
      handle.removeJob(job.id);
      expect(await readBoardJob(boardJob(url), deps, signal), spec).toBeNull();
    }
    expect(await readBoardJob({ kind: 'ashby', board: 'nosuchboard', id: 'x' }, deps, signal)).toBeNull();
  });

  it('readBoardJob asks nothing for a Greenhouse link without a board (gh_jid on a company site)', async () => {
    const job = boardJob('https://careers.example.com/jobs?gh_jid=12345');
    expect(job.board).toBeNull();
    expect(await readBoardJob(job, deps, signal)).toBeNull();
    expect(boards.fake.requests).toHaveLength(0);
  });
});
