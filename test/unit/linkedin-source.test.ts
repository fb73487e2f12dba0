import fs from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { boardKeyFromUrl } from '../../src/core/job-identity.js';
import { generatePostings, startFakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import type { FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { listenOnLoopback, type LoopbackListener } from '../../src/fakes/loopback.js';
import type { FoundLink } from '../../src/jobs/model.js';
import { PoliteClient } from '../../src/net/polite-client.js';
import { parseJobPosting, parseSearchPage } from '../../src/sources/linkedin/parse.js';
import type { LinkedInParser } from '../../src/sources/linkedin/parser-worker-client.js';
import { LinkedInSource } from '../../src/sources/linkedin/source.js';
import { REAL_FIXTURES as REAL } from '../helpers/cli.js';

const realExists = fs.existsSync(join(REAL, 'linkedin-search'));

const NOW = new Date('2026-03-10T15:30:00Z');
const signal = new AbortController().signal;

/** Parses on this thread: the worker parser loads dist/, which a test of src/ does not use. */
const parser: LinkedInParser = {
  parseSearchPage: async (html) => parseSearchPage(html),
  parseJobPosting: async (html, now) => parseJobPosting(html, { now }),
  close: async () => {},
};

function sourceOn(baseUrl: string): LinkedInSource {
  const client = new PoliteClient({ baseUrl, perMinute: 0, concurrency: 1, maxRetries: 0 });
  return new LinkedInSource(client, parser, new FakeClock(NOW.getTime()));
}

let servers: Array<FakeLinkedIn | LoopbackListener> = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** A server on 127.0.0.1 that answers every request with one real captured page. */
async function serving(page: string): Promise<string> {
  const listener = await listenOnLoopback(
    http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page)),
  );
  servers.push(listener);
  return listener.url;
}

async function searchLinks(file: string): Promise<FoundLink[]> {
  const url = await serving(fs.readFileSync(join(REAL, 'linkedin-search', file), 'utf8'));
  const result = await sourceOn(url).search({ query: 'q', location: 'l', start: 0 }, signal);
  if (result.kind !== 'page') throw new Error(`expected a page of links, got ${result.kind}`);
  return result.links;
}

describe.skipIf(!realExists)("LinkedInSource.search over the real search pages: the card's company", () => {
  // Card count, then the first and the last card's job id and company, as the captures show them.
  const EXPECTED: Record<string, [number, [string, string], [string, string]]> = {
    'seeMoreJobPostings_us_10cards_maeldk.html': [
      10,
      ['4411180329', 'Amazon'],
      ['4345859712', 'JPMorganChase'],
    ],
    'seeMoreJobPostings_kh_cambodia_10cards_JACKAS5.html': [
      10,
      ['4338002768', 'CAMMA Corporate Learning and Development Center'],
      ['4317209764', 'CAMMA Corporate Learning and Development Center'],
    ],
    'guest_serp_page_in_bengaluru_product-manager_60cards_theworld2020.html': [
      60,
      ['4335161482', 'LinkedIn'],
      ['4268912609', 'eBay'],
    ],
    'guest_serp_page_in_chennai_frontend_browserDOM_60cards_theworld2020.html': [
      60,
      ['4321602112', 'LTIMindtree'],
      ['4248971712', 'UPS'],
    ],
    'guest_serp_page_rust_sfbay_r86400_1card_BuyMeAnIcecream.html': [
      1,
      ['4334692903', 'Hightouch'],
      ['4334692903', 'Hightouch'],
    ],
    'guest_serp_page_location-WorkFromHome-resolved-HomeKS_3cards_Charitha-kr.html': [
      3,
      ['4288907322', 'BioSpace'],
      ['4291843870', 'BioSpace'],
    ],
    'guest_serp_page_remote_intern_fJT-I_browserDOM_60cards_yamipng.html': [
      60,
      ['4408519973', 'AssetWorks Inc'],
      ['4408978494', 'El Pollo Loco, Inc.'],
    ],
  };

  it('every captured search file has expectations here', () => {
    const files = fs.readdirSync(join(REAL, 'linkedin-search')).filter((f) => f.endsWith('.html'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, [count, first, last]] of Object.entries(EXPECTED)) {
    it(`gives every link of ${file} its company`, async () => {
      const links = await searchLinks(file);
      expect(links).toHaveLength(count);
      expect([links[0]!.jobId, links[0]!.company]).toEqual(first);
      expect([links.at(-1)!.jobId, links.at(-1)!.company]).toEqual(last);
      for (const link of links) expect(link.company, link.jobId).toMatch(/^\S(.*\S)?$/);
    });
  }
});

describe('LinkedInSource.detail against the fake LinkedIn', () => {
  async function fakeWith(postings: ReturnType<typeof generatePostings>): Promise<LinkedInSource> {
    const fake = await startFakeLinkedIn({ postings, now: () => NOW });
    servers.push(fake);
    return sourceOn(fake.url);
  }
  const found = (jobId: string): FoundLink => ({
    jobId,
    link: `https://www.linkedin.com/jobs/view/${jobId}/`,
  });

  it('marks a posting whose page shows the closed-job banner closed, and the others open', async () => {
    const [open, closed] = generatePostings(2, 5, { now: NOW });
    const source = await fakeWith([open!, { ...closed!, closed: true }]);
    const closedResult = await source.detail(found(closed!.jobId), signal);
    const openResult = await source.detail(found(open!.jobId), signal);
    expect(closedResult).toMatchObject({ kind: 'posting', posting: { title: closed!.title, closed: true } });
    expect(openResult).toMatchObject({ kind: 'posting', posting: { title: open!.title, closed: false } });
  });

  it('gives the pay as numbers beside its text', async () => {
    const [posting] = generatePostings(1, 6, { now: NOW });
    const source = await fakeWith([
      {
        ...posting!,
        salary: '$120,000 - $150,000 per year',
        description: 'Build things.\n\nThe pay range is $120,000 - $150,000 per year.',
      },
    ]);
    const result = await source.detail(found(posting!.jobId), signal);
    expect(result).toMatchObject({
      kind: 'posting',
      posting: {
        salary: '$120,000 - $150,000 per year',
        salaryMin: 120000,
        salaryMax: 150000,
        salaryCurrency: 'USD',
        salaryPeriod: 'year',
      },
    });
  });

  it("keeps the employer's apply URL from LinkedIn's externalApply link, so the board job is found", async () => {
    const [posting] = generatePostings(1, 7, { now: NOW });
    const applyUrl = 'https://job-boards.greenhouse.io/northwind/jobs/8026689?gh_src=linkedin&utm_source=x';
    const source = await fakeWith([{ ...posting!, applyUrl }]);
    const result = await source.detail(found(posting!.jobId), signal);
    if (result.kind !== 'posting') throw new Error(`expected a posting, got ${result.kind}`);
    expect(result.posting.applyUrl).toBe(applyUrl);
    expect(boardKeyFromUrl(result.posting.applyUrl)).toBe('greenhouse:8026689');
  });
});
