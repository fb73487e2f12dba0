import { afterEach, describe, expect, it } from 'vitest';
import { parseJobPosting, parseSearchPage } from '../../src/sources/linkedin/parse.js';
import {
  DETAIL_PATH_PREFIX,
  SEARCH_PATH,
  companySlugOf,
  displayedApplicants,
  generatePostings,
  postingCriteria,
  startFakeLinkedIn,
} from '../../src/fakes/linkedin-server.js';
import type { FakeLinkedIn, FakePosting } from '../../src/fakes/linkedin-server.js';

const NOW = new Date('2026-03-10T15:30:00Z');
const fixedNow = (): Date => NOW;

let fake: FakeLinkedIn | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function start(options: Parameters<typeof startFakeLinkedIn>[0] = {}): Promise<FakeLinkedIn> {
  fake = await startFakeLinkedIn({ now: fixedNow, ...options });
  return fake;
}

function searchUrl(base: string, params: Record<string, string | number>): string {
  const url = new URL(SEARCH_PATH, base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  return url.toString();
}

async function get(url: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe('generatePostings', () => {
  it('is deterministic for a seed and a date, with unique 10-digit ids', () => {
    const a = generatePostings(300, 7, { now: NOW });
    const b = generatePostings(300, 7, { now: NOW });
    const c = generatePostings(300, 8, { now: NOW });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const ids = new Set(a.map((p) => p.jobId));
    expect(ids.size).toBe(300);
    for (const p of a) {
      expect(p.jobId).toMatch(/^\d{10}$/);
      expect(p.postedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.description.length).toBeGreaterThan(900);
      expect(p.description.length).toBeLessThan(2600);
    }
  });

  it('is realistic: salary sentences in some, non-ASCII text in some', () => {
    const all = generatePostings(200, 3, { now: NOW });
    const withSalary = all.filter((p) => p.salary !== undefined);
    expect(withSalary.length).toBeGreaterThan(40);
    expect(withSalary.length).toBeLessThan(140);
    for (const p of withSalary) expect(p.description).toContain(p.salary);
    const text = all.map((p) => `${p.company} ${p.location} ${p.description}`).join(' ');
    expect(text).toMatch(/Kraków/);
    expect(text).toMatch(/Zürich/);
    expect(text).toMatch(/café/i);
    expect(all.some((p) => /Senior Python/.test(p.title) || /Python Developer/.test(p.title))).toBe(true);
  });
});

describe('fake LinkedIn: search', () => {
  it('pages 10 cards at a time by start, then answers an empty 200 body', async () => {
    const postings = generatePostings(25, 1, { now: NOW }).map((p) => ({ ...p, queries: ['rust'] }));
    const f = await start({ postings });
    const seen: string[] = [];
    for (const startAt of [0, 10, 20]) {
      const { status, body } = await get(
        searchUrl(f.url, { keywords: 'rust', location: '', start: startAt }),
      );
      expect(status).toBe(200);
      const page = parseSearchPage(body);
      expect(page.blocked).toBe(false);
      expect(page.cards).toHaveLength(startAt === 20 ? 5 : 10);
      seen.push(...page.cards.map((c) => c.jobId));
    }
    expect(seen).toEqual(postings.map((p) => p.jobId));
    const past = await get(searchUrl(f.url, { keywords: 'rust', start: 30 }));
    expect(past.status).toBe(200);
    expect(past.body).toBe('');
    expect(parseSearchPage(past.body)).toEqual({ blocked: false, cards: [] });
  });

  it('round-trips every card field through the parser', async () => {
    const f = await start({ seed: 4 });
    const { body } = await get(searchUrl(f.url, { keywords: '', start: 0 }));
    const cards = parseSearchPage(body).cards;
    expect(cards).toHaveLength(10);
    cards.forEach((card, i) => {
      const p = f.postings[i] as FakePosting;
      expect(card).toEqual({
        jobId: p.jobId,
        link: `https://www.linkedin.com/jobs/view/${p.jobId}/`,
        title: p.title,
        company: p.company,
        location: p.location,
        postedAt: p.postedAt,
        salary: null,
      });
    });
    expect(body).toContain('job-search-card__listdate');
  });

  it('matches keywords (whole words, case-insensitive, or `queries`) and locations (substring, ignored when unknown)', async () => {
    const base = generatePostings(3, 1, { now: NOW });
    const postings: FakePosting[] = [
      {
        ...(base[0] as FakePosting),
        title: 'Senior Python Developer',
        description: 'Django and SQL.',
        location: 'Kraków, Poland',
      },
      {
        ...(base[1] as FakePosting),
        title: 'Java Engineer',
        description: 'Spring, Python scripts.',
        location: 'Zürich, Switzerland',
      },
      {
        ...(base[2] as FakePosting),
        title: 'Barista',
        description: 'Coffee at our café.',
        location: 'Paris, France',
        queries: ['hospitality'],
      },
    ];
    const f = await start({ postings });
    const ids = async (params: Record<string, string>): Promise<string[]> =>
      parseSearchPage((await get(searchUrl(f.url, params))).body).cards.map((c) => c.jobId);
    const [a, b, c] = postings.map((p) => p.jobId);
    expect(await ids({ keywords: 'PYTHON' })).toEqual([a, b]);
    expect(await ids({ keywords: 'python developer' })).toEqual([a]);
    expect(await ids({ keywords: 'pyth' })).toEqual([]);
    expect(await ids({ keywords: 'Hospitality' })).toEqual([c]);
    expect(await ids({ keywords: 'python', location: 'zürich' })).toEqual([b]);
    expect(await ids({ keywords: 'python', location: 'Atlantis' })).toEqual([a, b]);
  });

  it('filters by f_TPR, f_WT and f_JT', async () => {
    const base = generatePostings(4, 2, { now: NOW });
    const postings: FakePosting[] = [
      { ...(base[0] as FakePosting), postedAt: '2026-03-10', workplace: 'remote', jobType: 'F' },
      { ...(base[1] as FakePosting), postedAt: '2026-03-09', workplace: 'onsite', jobType: 'C' },
      { ...(base[2] as FakePosting), postedAt: '2026-03-01', workplace: 'hybrid', jobType: 'I' },
      { ...(base[3] as FakePosting), postedAt: '2026-01-01', workplace: 'remote', jobType: 'F' },
    ];
    const f = await start({ postings });
    const ids = async (params: Record<string, string>): Promise<string[]> =>
      parseSearchPage((await get(searchUrl(f.url, params))).body).cards.map((c) => c.jobId);
    const [a, b, c, d] = postings.map((p) => p.jobId);
    expect(await ids({ f_TPR: 'r86400' })).toEqual([a, b]);
    expect(await ids({ f_TPR: 'r604800' })).toEqual([a, b]);
    expect(await ids({ f_TPR: 'r2592000' })).toEqual([a, b, c]);
    expect(await ids({ f_WT: '2' })).toEqual([a, d]);
    expect(await ids({ f_WT: '1,3' })).toEqual([b, c]);
    expect(await ids({ f_JT: 'I' })).toEqual([c]);
    expect(await ids({ f_JT: 'F', f_WT: '2', f_TPR: 'r86400' })).toEqual([a]);
  });

  it('marks recent cards with listdate--new, like LinkedIn', async () => {
    const base = generatePostings(2, 2, { now: NOW });
    const postings = [
      { ...(base[0] as FakePosting), postedAt: '2026-03-10' },
      { ...(base[1] as FakePosting), postedAt: '2026-02-20' },
    ];
    const f = await start({ postings });
    const { body } = await get(searchUrl(f.url, {}));
    expect(body.match(/job-search-card__listdate--new/g)).toHaveLength(1);
    expect(parseSearchPage(body).cards.map((c) => c.postedAt)).toEqual(['2026-03-10', '2026-02-20']);
  });
});

describe('fake LinkedIn: detail', () => {
  it('round-trips every field of every generated posting through the parser', async () => {
    const postings = generatePostings(40, 9, { now: NOW });
    const f = await start({ postings });
    for (const p of postings) {
      const { status, body } = await get(`${f.url}${DETAIL_PATH_PREFIX}${p.jobId}`);
      expect(status).toBe(200);
      const page = parseJobPosting(body, { now: NOW });
      expect(page.blocked).toBe(false);
      const criteria = postingCriteria(p);
      expect(page.posting).toMatchObject({
        jobId: p.jobId,
        title: p.title,
        company: p.company,
        companyUrl: `https://www.linkedin.com/company/${companySlugOf(p)}`,
        location: p.location,
        postedAt: p.postedAt,
        applicants: displayedApplicants(p.applicants ?? 42),
        salary: p.salary ?? null,
        descriptionMarkdown: p.description,
        seniority: criteria.seniority,
        employmentType: criteria.employmentType,
        jobFunction: criteria.jobFunction,
        industries: criteria.industries,
        applyUrl: p.applyUrl ?? null,
        closed: false,
      });
      expect(page.posting?.dateText).toMatch(/ago$|^Just now$/);
    }
    // both applicant forms are served
    const bodies = await Promise.all(postings.map((p) => get(`${f.url}${DETAIL_PATH_PREFIX}${p.jobId}`)));
    const joined = bodies.map((b) => b.body).join('');
    expect(joined).toContain('<figcaption class="num-applicants__caption">');
    expect(joined).toContain('<span class="num-applicants__caption');
  });

  it("shows LinkedIn's closed-job banner instead of the Apply button for a closed posting", async () => {
    const [open, closed] = generatePostings(2, 4, { now: NOW });
    const f = await start({ postings: [open!, { ...closed!, closed: true }] });
    const openPage = await get(`${f.url}${DETAIL_PATH_PREFIX}${open!.jobId}`);
    const closedPage = await get(`${f.url}${DETAIL_PATH_PREFIX}${closed!.jobId}`);
    expect(closedPage.body).toMatch(
      /<figcaption class="closed-job__flavor--closed">\s*No longer accepting applications\s*<\/figcaption>/,
    );
    expect(closedPage.body).not.toContain('public_jobs_apply-link-offsite_sign-up-modal');
    expect(openPage.body).not.toContain('closed-job');
    expect(parseJobPosting(closedPage.body, { now: NOW }).posting).toMatchObject({
      title: closed!.title,
      company: closed!.company,
      closed: true,
    });
    expect(parseJobPosting(openPage.body, { now: NOW }).posting?.closed).toBe(false);
  });

  it('answers 404 for an unknown id', async () => {
    const f = await start();
    expect((await get(`${f.url}${DETAIL_PATH_PREFIX}1234567890`)).status).toBe(404);
    expect((await get(`${f.url}/nowhere`)).status).toBe(404);
  });
});

describe('fake LinkedIn: faults and log', () => {
  it('logs every request with its path, query and status', async () => {
    const f = await start({ seed: 5 });
    const id = (f.postings[0] as FakePosting).jobId;
    await get(searchUrl(f.url, { keywords: 'engineer', location: 'Berlin', start: 0 }));
    await get(`${f.url}${DETAIL_PATH_PREFIX}${id}`);
    await get(`${f.url}${DETAIL_PATH_PREFIX}9999999999`);
    expect(f.requests.map((r) => [r.path, r.status])).toEqual([
      [SEARCH_PATH, 200],
      [`${DETAIL_PATH_PREFIX}${id}`, 200],
      [`${DETAIL_PATH_PREFIX}9999999999`, 404],
    ]);
    expect(f.requests[0]?.query).toEqual({ keywords: 'engineer', location: 'Berlin', start: '0' });
    expect(f.requests[0]?.time).toBeGreaterThan(Date.now() - 60_000);
  });

  it('serves 429 with or without Retry-After', async () => {
    const f = await start({ rateOf429: 1, retryAfterSeconds: 7 });
    const first = await get(searchUrl(f.url, {}));
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    f.setOptions({ retryAfterSeconds: null });
    const second = await get(searchUrl(f.url, {}));
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeNull();
    f.setOptions({ rateOf429: 0 });
    expect((await get(searchUrl(f.url, {}))).status).toBe(200);
  });

  it('serves 5xx at about the configured rate, deterministically for a seed', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const f = await startFakeLinkedIn({ rateOf5xx: 0.3, seed, now: fixedNow });
      try {
        const out: number[] = [];
        for (let i = 0; i < 60; i++) out.push((await get(searchUrl(f.url, { start: 0 }))).status);
        return out;
      } finally {
        await f.close();
      }
    };
    const a = await statuses(11);
    expect(await statuses(11)).toEqual(a);
    const failures = a.filter((s) => s >= 500);
    expect(failures.length).toBeGreaterThan(6);
    expect(failures.length).toBeLessThan(36);
    for (const s of failures) expect([500, 502, 503, 504]).toContain(s);
    expect(a.filter((s) => s === 200).length).toBe(60 - failures.length);
  });

  it('hangs requests on timeout faults, and close() still returns promptly', async () => {
    const f = await start({ rateOfTimeout: 1 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 300);
    await expect(fetch(searchUrl(f.url, {}), { signal: controller.signal })).rejects.toThrow();
    clearTimeout(timer);
    // a second hanging request left open: close() must destroy it rather than wait
    const pending = fetch(searchUrl(f.url, {})).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await f.close();
    fake = null;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
    expect(f.requests.every((r) => r.status === 0)).toBe(true);
  });

  it('serves the auth wall (200) to all requests or to those a predicate picks', async () => {
    const f = await start({ authWall: true });
    const wall = await get(searchUrl(f.url, { keywords: 'python' }));
    expect(wall.status).toBe(200);
    expect(parseSearchPage(wall.body).blocked).toBe(true);
    const id = (f.postings[0] as FakePosting).jobId;
    expect(
      parseJobPosting((await get(`${f.url}${DETAIL_PATH_PREFIX}${id}`)).body, { now: NOW }).blocked,
    ).toBe(true);
    f.setOptions({ authWall: (req) => req.path.includes('/jobPosting/') });
    expect(parseSearchPage((await get(searchUrl(f.url, {}))).body).blocked).toBe(false);
    expect(
      parseJobPosting((await get(`${f.url}${DETAIL_PATH_PREFIX}${id}`)).body, { now: NOW }).blocked,
    ).toBe(true);
  });

  it('serves garbage or truncated HTML that the parser survives', async () => {
    const f = await start({ garbage: 1, seed: 3 });
    let fewer = 0;
    for (let i = 0; i < 20; i++) {
      const { status, body } = await get(searchUrl(f.url, {}));
      expect(status).toBe(200);
      const page = parseSearchPage(body);
      expect(page.blocked).toBe(false);
      expect(page.cards.length).toBeLessThanOrEqual(10);
      if (page.cards.length < 10) fewer++;
      const id = (f.postings[i] as FakePosting).jobId;
      const detail = await get(`${f.url}${DETAIL_PATH_PREFIX}${id}`);
      expect(() => parseJobPosting(detail.body, { now: NOW })).not.toThrow();
    }
    expect(fewer).toBe(20);
  });

  it('adds latency', async () => {
    const f = await start({ latencyMs: 150 });
    const started = Date.now();
    await get(searchUrl(f.url, {}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('binds to 127.0.0.1 on a random port', async () => {
    const a = await start();
    const b = await startFakeLinkedIn();
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(b.url).not.toBe(a.url);
    } finally {
      await b.close();
    }
  });
});
