import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { boardJobFromUrl } from '../../src/core/job-identity.js';
import { SETTINGS, setting, type SettingName } from '../../src/core/settings.js';
import type { SourceKind } from '../../src/jobs/model.js';
import { jobFromPosting, type FakeBoards, type FakeBoardsOptions } from '../../src/fakes/boards-server.js';
import { generatePostings } from '../../src/fakes/linkedin-server.js';
import { htmlToMarkdown } from '../../src/sources/common/html-markdown.js';
import { parseSalary } from '../../src/sources/common/salary.js';
import { realCaptures, startBoards } from '../helpers/boards.js';

const NOW = new Date('2026-08-20T12:00:00Z');
const fixedNow = (): Date => NOW;

let fake: FakeBoards | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function start(options: FakeBoardsOptions = {}): Promise<FakeBoards> {
  ({ fake } = await startBoards({ now: fixedNow, ...options }));
  return fake;
}

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function getJson<T = Record<string, unknown>>(url: string): Promise<T> {
  const res = await get(url);
  expect(res.status, url).toBe(200);
  return JSON.parse(res.text.replace(/^\uFEFF/, '')) as T;
}

/* -------------------------------------------------------------------------------------------------
 * Shapes: the key sets (and value types) of every value, merged over every item of every capture.
 * -----------------------------------------------------------------------------------------------*/

interface Shape {
  types: Set<string>;
  /** How many objects were merged into this shape, and how many of them had each key. */
  objects: number;
  keys: Map<string, { count: number; shape: Shape }>;
  items?: Shape;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function addToShape(shape: Shape | undefined, value: unknown): Shape {
  const merged: Shape = shape ?? { types: new Set<string>(), objects: 0, keys: new Map() };
  merged.types.add(typeOf(value));
  if (Array.isArray(value)) {
    for (const item of value) merged.items = addToShape(merged.items, item);
  } else if (value !== null && typeof value === 'object') {
    merged.objects++;
    for (const [key, child] of Object.entries(value)) {
      const entry = merged.keys.get(key);
      merged.keys.set(key, { count: (entry?.count ?? 0) + 1, shape: addToShape(entry?.shape, child) });
    }
  }
  return merged;
}

const shapeOf = (values: unknown[]): Shape => values.reduce<Shape | undefined>(addToShape, undefined)!;

/**
 * Where the fake's shape strays from the real one: a key or a value type the real answers never have, or
 * a key every real object has that some fake object lacks. Arrays whose real items were never seen (an
 * empty `tags`) do not constrain the fake's items.
 */
function shapeDifferences(fakeShape: Shape, real: Shape, path = '$'): string[] {
  const problems: string[] = [];
  for (const type of fakeShape.types) {
    if (!real.types.has(type))
      problems.push(`${path}: ${type}, the real answers have ${[...real.types].join('|')}`);
  }
  for (const [key, { count, shape }] of fakeShape.keys) {
    const realKey = real.keys.get(key);
    if (!realKey) problems.push(`${path}.${key}: not in the real answers`);
    else problems.push(...shapeDifferences(shape, realKey.shape, `${path}.${key}`));
    void count;
  }
  for (const [key, { count }] of real.keys) {
    const fakeCount = fakeShape.keys.get(key)?.count ?? 0;
    if (count === real.objects && fakeShape.objects > 0 && fakeCount < fakeShape.objects)
      problems.push(
        `${path}.${key}: in every real object, in ${fakeCount} of ${fakeShape.objects} of the fake's`,
      );
  }
  if (fakeShape.items && real.items)
    problems.push(...shapeDifferences(fakeShape.items, real.items, `${path}[]`));
  return problems;
}

const captures = (kind: SourceKind, fileFilter: (file: string) => boolean = () => true): unknown[] =>
  realCaptures(kind)
    .filter(({ file }) => fileFilter(file))
    .map(({ json }) => json);

const haveCaptures = realCaptures('greenhouse').length > 0;

describe.skipIf(!haveCaptures)('the fake answers in the shapes of the real captures', () => {
  it('Greenhouse: the board with content=true, without it, and one job', async () => {
    const f = await start();
    const withContent = await getJson(`${f.url}/v1/boards/northwind/jobs?content=true`);
    const realWithContent = captures('greenhouse', (file) => file.includes('content-true'));
    expect(realWithContent).toHaveLength(6);
    expect(shapeDifferences(shapeOf([withContent]), shapeOf(realWithContent))).toEqual([]);

    const bare = await getJson(`${f.url}/v1/boards/northwind/jobs`);
    const realBare = captures('greenhouse', (file) => file.includes('no-content'));
    expect(realBare).toHaveLength(1);
    expect(shapeDifferences(shapeOf([bare]), shapeOf(realBare))).toEqual([]);
    const firstBareJob = (bare.jobs as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(firstBareJob)).not.toContain('content');

    const id = f.board('greenhouse:northwind').jobs[0]!.id;
    const single = await getJson(`${f.url}/v1/boards/northwind/jobs/${id}`);
    // The single-job answer is one job object with its content: the same shape as a listed one.
    const realJobs = [
      ...captures('greenhouse', (file) => file.includes('single')),
      ...realWithContent.flatMap((board) => (board as { jobs: unknown[] }).jobs),
    ];
    expect(shapeDifferences(shapeOf([single]), shapeOf(realJobs))).toEqual([]);
  });

  it('Lever: the site listing, one posting, and the unknown site', async () => {
    const f = await start();
    const listing = await getJson<unknown[]>(`${f.url}/v0/postings/pinecrest-robotics?mode=json`);
    const realListings = captures('lever', (file) => !file.includes('404'));
    expect(realListings).toHaveLength(5);
    expect(shapeDifferences(shapeOf([listing]), shapeOf(realListings))).toEqual([]);

    const id = f.board('lever:pinecrest-robotics').jobs[0]!.id;
    const posting = await getJson(`${f.url}/v0/postings/pinecrest-robotics/${id}`);
    expect(shapeDifferences(shapeOf([posting]), shapeOf(realListings.flat()))).toEqual([]);

    const unknown = await get(`${f.url}/v0/postings/netflix?mode=json`);
    expect(unknown.status).toBe(404);
    const [realNotFound] = captures('lever', (file) => file.includes('404'));
    expect(JSON.parse(unknown.text)).toEqual(realNotFound);
  });

  it('Ashby: the board with compensation (and without it when not asked)', async () => {
    const f = await start();
    const board = await getJson(`${f.url}/posting-api/job-board/quantix-finance?includeCompensation=true`);
    const real = captures('ashby');
    expect(real).toHaveLength(7);
    expect(shapeDifferences(shapeOf([board]), shapeOf(real))).toEqual([]);
    const plain = await getJson<{ jobs: Array<Record<string, unknown>> }>(
      `${f.url}/posting-api/job-board/quantix-finance`,
    );
    expect(plain.jobs.some((job) => 'compensation' in job)).toBe(false);
  });

  it('SmartRecruiters: a page of the list, and the detail in the documented shape', async () => {
    const f = await start();
    const page = await getJson(`${f.url}/v1/companies/HeliosEnergy/postings?limit=10&offset=0`);
    const real = captures('smartrecruiters');
    expect(real).toHaveLength(1);
    expect(shapeDifferences(shapeOf([page]), shapeOf(real))).toEqual([]);

    const listed = (page.content as Array<Record<string, unknown>>)[0]!;
    const detail = await getJson(`${f.url}/v1/companies/HeliosEnergy/postings/${String(listed.id)}`);
    // No real detail was captured: SmartRecruiters' documentation gives the list's fields plus these.
    expect(Object.keys(detail).sort()).toEqual(
      [...Object.keys(listed), 'creator', 'postingUrl', 'applyUrl', 'referralUrl', 'jobAd'].sort(),
    );
    const sections = (detail.jobAd as { sections: Record<string, { title: string; text: string }> }).sections;
    expect(Object.keys(sections)).toEqual([
      'companyDescription',
      'jobDescription',
      'qualifications',
      'additionalInformation',
    ]);
    for (const section of Object.values(sections)) {
      expect(Object.keys(section)).toEqual(['title', 'text']);
      expect(typeof section.text).toBe('string');
    }
  });

  it('Recruitee, Workable (descriptions only with details=true)', async () => {
    const f = await start();
    const offers = await getJson(`${f.url}/recruitee/tidewater/api/offers/`);
    expect(shapeDifferences(shapeOf([offers]), shapeOf(captures('recruitee')))).toEqual([]);

    const widget = await getJson(`${f.url}/api/v1/widget/accounts/lumen-loom?details=true`);
    expect(shapeDifferences(shapeOf([widget]), shapeOf(captures('workable')))).toEqual([]);
    const short = await getJson<{ jobs: Array<Record<string, unknown>> }>(
      `${f.url}/api/v1/widget/accounts/lumen-loom`,
    );
    expect(short.jobs.length).toBe(6);
    expect(short.jobs.some((job) => 'description' in job)).toBe(false);
  });

  it('Remotive (with its byte-order mark and notices first), Arbeitnow, Remote OK (the legal notice first)', async () => {
    const f = await start();
    // fetch's text() drops a byte-order mark: read the bytes.
    const remotiveBytes = Buffer.from(await (await fetch(`${f.url}/api/remote-jobs`)).arrayBuffer());
    expect([...remotiveBytes.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x7b]);
    const remotive = JSON.parse(remotiveBytes.toString('utf8').slice(1)) as Record<string, unknown>;
    const devops = await getJson<{ 'job-count': number; jobs: Array<{ title: string; category: string }> }>(
      `${f.url}/api/remote-jobs?category=devops-sysadmin&limit=3`,
    );
    expect(devops['job-count']).toBe(3);
    for (const job of devops.jobs) {
      expect(job.category).toBe('DevOps / Sysadmin');
      expect(job.title).toMatch(/DevOps|Site Reliability|Cloud|Platform/);
    }
    expect(Object.keys(remotive)).toEqual([
      '00-warning',
      '0-legal-notice',
      'job-count',
      'total-job-count',
      'jobs',
    ]);
    expect(shapeDifferences(shapeOf([remotive]), shapeOf(captures('remotive')))).toEqual([]);

    const arbeitnow = await getJson(`${f.url}/api/job-board-api?page=1`);
    expect(shapeDifferences(shapeOf([arbeitnow]), shapeOf(captures('arbeitnow')))).toEqual([]);

    const remoteOk = await getJson<unknown[]>(`${f.url}/api`);
    const [realRemoteOk] = captures('remoteok') as unknown[][];
    expect(shapeDifferences(shapeOf([remoteOk[0]]), shapeOf([realRemoteOk![0]]))).toEqual([]);
    expect(shapeDifferences(shapeOf(remoteOk.slice(1)), shapeOf(realRemoteOk!.slice(1)))).toEqual([]);
  });

  it('the comparison catches a stray key, a wrong type and a missing key', () => {
    const real = shapeOf([
      { a: 1, b: { c: 'x' } },
      { a: 2, b: { c: 'y' }, d: true },
    ]);
    expect(shapeDifferences(shapeOf([{ a: 1, b: { c: 'z' } }]), real)).toEqual([]);
    expect(shapeDifferences(shapeOf([{ a: '1', b: { c: 'z' }, e: 0 }]), real)).toEqual([
      '$.a: string, the real answers have number',
      '$.e: not in the real answers',
    ]);
    expect(shapeDifferences(shapeOf([{ a: 1, b: {} }]), real)).toEqual([
      "$.b.c: in every real object, in 0 of 1 of the fake's",
    ]);
  });
});

/* -------------------------------------------------------------------------------------------------
 * Contents, knobs and the board API
 * -----------------------------------------------------------------------------------------------*/

describe('what the listings hold', () => {
  it('lists the catalogue: ids, titles and pay in each kind own fields', async () => {
    const f = await start();
    const greenhouse = f.board('greenhouse:northwind');
    const listing = await getJson<{
      jobs: Array<{ id: number; title: string; content: string }>;
      meta: { total: number };
    }>(`${f.url}/v1/boards/northwind/jobs?content=true`);
    expect(listing.meta.total).toBe(24);
    expect(listing.jobs.map((job) => String(job.id))).toEqual(greenhouse.jobs.map((job) => job.id));
    expect(listing.jobs.map((job) => job.title)).toEqual(greenhouse.jobs.map((job) => job.title));
    // Greenhouse's content is entity-escaped HTML, pay inside it.
    for (const job of listing.jobs) {
      expect(job.content).not.toMatch(/[<>]/);
      expect(job.content).toContain('&lt;p&gt;');
    }
    const paid = greenhouse.jobs.findIndex((job) => job.pay !== null);
    expect(paid).toBeGreaterThanOrEqual(0);
    expect(listing.jobs[paid]!.content).toContain('&lt;div class=&quot;pay-range&quot;&gt;');

    const lever = await getJson<Array<{ id: string; salaryRange?: Record<string, unknown> }>>(
      `${f.url}/v0/postings/pinecrest-robotics?mode=json`,
    );
    for (const [i, job] of f.board('lever:pinecrest-robotics').jobs.entries()) {
      expect(lever[i]!.id).toBe(job.id);
      expect(lever[i]!.salaryRange?.min).toBe(job.pay?.min);
      expect(lever[i]!.salaryRange?.currency).toBe(job.pay?.currency);
    }

    const ashby = await getJson<{
      jobs: Array<{ compensation: { summaryComponents: Array<Record<string, unknown>> } }>;
    }>(`${f.url}/posting-api/job-board/quantix-finance?includeCompensation=true`);
    for (const [i, job] of f.board('ashby:quantix-finance').jobs.entries()) {
      const salary = ashby.jobs[i]!.compensation.summaryComponents[0];
      expect(salary?.minValue).toBe(job.pay?.min);
      expect(salary?.interval).toBe(job.pay ? `1 ${job.pay.period.toUpperCase()}` : undefined);
    }
  });

  it("states Greenhouse pay in the content the way djs's salary parser reads it", async () => {
    const f = await start({ boards: [{ kind: 'greenhouse', name: 'paid', company: 'Paid Inc', count: 80 }] });
    const listing = await getJson<{ jobs: Array<{ content: string }> }>(
      `${f.url}/v1/boards/paid/jobs?content=true`,
    );
    const unescape = (text: string): string =>
      text
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
    const jobs = f.board('greenhouse:paid').jobs;
    const paid = jobs.filter((job) => job.pay !== null);
    expect(paid.length).toBeGreaterThan(20);
    expect(new Set(paid.map((job) => job.pay!.currency)).size).toBeGreaterThan(2);
    for (const [i, job] of jobs.entries()) {
      const pay = parseSalary(htmlToMarkdown(unescape(listing.jobs[i]!.content)) ?? '');
      expect(pay && { min: pay.min, max: pay.max, currency: pay.currency }, job.title).toEqual(
        job.pay && { min: job.pay.min, max: job.pay.max, currency: job.pay.currency },
      );
    }
  });

  it('is the same for the same seed and clock', async () => {
    const first = await start({ seed: 5 });
    const a = await get(`${first.url}/v1/boards/northwind/jobs?content=true`);
    const second = await startBoards({ seed: 5, now: fixedNow });
    try {
      const b = await get(`${second.fake.url}/v1/boards/northwind/jobs?content=true`);
      expect(b.text).toBe(a.text);
      expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    } finally {
      await second.fake.close();
    }
  });
});

describe('conditional requests', () => {
  it('answers 304 to its ETag or Last-Modified, and 200 with new validators once the board changes', async () => {
    const f = await start();
    const path = '/v1/boards/bluefinlabs/jobs';
    const first = await get(`${f.url}${path}?content=true`);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(new Date(lastModified).getTime()).toBeLessThanOrEqual(NOW.getTime());

    const byEtag = await get(`${f.url}${path}?content=true`, { 'if-none-match': etag });
    expect(byEtag.status).toBe(304);
    expect(byEtag.text).toBe('');
    expect(byEtag.headers.get('etag')).toBe(etag);
    expect((await get(`${f.url}${path}?content=true`, { 'if-modified-since': lastModified })).status).toBe(
      304,
    );

    // The fake's clock stands still, yet the change still moves Last-Modified forward.
    const board = f.board('greenhouse:bluefinlabs');
    board.removeJob(board.jobs[0]!.id);
    const afterEtag = await get(`${f.url}${path}?content=true`, { 'if-none-match': etag });
    expect(afterEtag.status).toBe(200);
    expect(afterEtag.headers.get('etag')).not.toBe(etag);
    const afterDate = await get(`${f.url}${path}?content=true`, { 'if-modified-since': lastModified });
    expect(afterDate.status).toBe(200);
    expect(Date.parse(afterDate.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(lastModified));
    expect(f.requests.filter((r) => r.path === path).map((r) => r.headers.ifNoneMatch ?? null)).toEqual([
      null,
      etag,
      null,
      etag,
      null,
    ]);
  });

  it('turns off per kind: validators ignored (always 200) or absent', async () => {
    const f = await start({ validators: { lever: 'ignored', ashby: 'absent' } });
    const lever = `${f.url}/v0/postings/pinecrest-robotics?mode=json`;
    const etag = (await get(lever)).headers.get('etag')!;
    const again = await get(lever, { 'if-none-match': etag });
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe(etag);
    const ashby = await get(`${f.url}/posting-api/job-board/quantix-finance`);
    expect(ashby.headers.get('etag')).toBeNull();
    expect(ashby.headers.get('last-modified')).toBeNull();
    f.setOptions({ validators: {} });
    expect((await get(lever, { 'if-none-match': etag })).status).toBe(304);
  });
});

describe('the board API', () => {
  it('removes, adds and changes jobs: the next listing shows it', async () => {
    const f = await start();
    const board = f.board('lever:pinecrest-robotics');
    const [gone, changed] = board.jobs;
    board.removeJob(gone!.id);
    board.changeJob(changed!.id, { title: 'Principal Kotlin Engineer' });
    const added = board.addJob({ title: 'Rust Developer', location: 'Lyon, Auvergne-Rhône-Alpes, France' });
    expect(added.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(added.company).toBe('Pinecrest Robotics');

    const listing = await getJson<Array<{ id: string; text: string }>>(
      `${f.url}/v0/postings/pinecrest-robotics?mode=json`,
    );
    expect(listing.map((p) => p.id)).not.toContain(gone!.id);
    expect(listing.find((p) => p.id === changed!.id)?.text).toBe('Principal Kotlin Engineer');
    expect(listing.at(-1)?.text).toBe('Rust Developer');
    expect(listing).toHaveLength(15);
    expect((await get(`${f.url}/v0/postings/pinecrest-robotics/${gone!.id}`)).status).toBe(404);
  });

  it('puts a fake LinkedIn posting on a board, behind the URL its applyUrl holds', async () => {
    const f = await start();
    const [posting] = generatePostings(1, 9, { now: NOW });
    const board = f.addBoard({ kind: 'greenhouse', name: 'acme', company: posting!.company, count: 2 });
    const job = board.addJob(jobFromPosting(posting!));
    expect(boardJobFromUrl(board.jobUrl(job.id))).toEqual({ kind: 'greenhouse', board: 'acme', id: job.id });

    const listed = await getJson<{ title: string; company_name: string; location: { name: string } }>(
      `${f.url}/v1/boards/acme/jobs/${job.id}`,
    );
    expect(listed).toMatchObject({
      title: posting!.title,
      company_name: posting!.company,
      location: { name: posting!.location },
    });
  });

  it('gives public URLs that boardJobFromUrl reads for Lever (both hosts) and Ashby', () =>
    start().then((f) => {
      for (const spec of ['lever:pinecrest-robotics', 'lever:nordlicht-games', 'ashby:quantix-finance']) {
        const board = f.board(spec);
        const id = board.jobs[0]!.id;
        expect(boardJobFromUrl(board.jobUrl(id))).toEqual({ kind: board.kind, board: board.name, id });
      }
      expect(f.board('lever:nordlicht-games').jobUrl(f.board('lever:nordlicht-games').jobs[0]!.id)).toMatch(
        /^https:\/\/jobs\.eu\.lever\.co\//,
      );
    }));
});

describe('errors, pages and unknown boards', () => {
  it('fails the requests failWith picks, per board, with Retry-After on a 429', async () => {
    const f = await start({
      failWith: (req) => (req.board === 'northwind' ? 500 : req.kind === 'remotive' ? 429 : null),
      retryAfterSeconds: 7,
    });
    expect((await get(`${f.url}/v1/boards/northwind/jobs`)).status).toBe(500);
    expect((await get(`${f.url}/v1/boards/bluefinlabs/jobs`)).status).toBe(200);
    const limited = await get(`${f.url}/api/remote-jobs`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(f.requests.map((r) => [r.kind, r.board, r.status])).toEqual([
      ['greenhouse', 'northwind', 500],
      ['greenhouse', 'bluefinlabs', 200],
      ['remotive', '', 429],
    ]);
    f.setOptions({ failWith: undefined });
    expect((await get(`${f.url}/v1/boards/northwind/jobs`)).status).toBe(200);
    expect(f.count('/v1/boards/northwind/jobs')).toBe(2);
  });

  it('sends the hostile answers it is told to: a gzip bomb, an oversized body, a redirect, a cut-off listing', async () => {
    const f = await start({
      hostile: (req) =>
        req.kind === 'greenhouse'
          ? { kind: 'gzip-bomb', inflatedBytes: 8 * 1024 * 1024 }
          : req.kind === 'ashby'
            ? { kind: 'oversized', bytes: 1024 * 1024 }
            : req.kind === 'lever'
              ? { kind: 'redirect', location: 'http://127.0.0.2:9/elsewhere', status: 301 }
              : req.kind === 'remoteok'
                ? { kind: 'truncated' }
                : undefined,
    });
    const raw = (path: string): Promise<{ headers: http.IncomingHttpHeaders; bytes: number }> =>
      new Promise((resolve, reject) => {
        http
          .get(`${f.url}${path}`, (res) => {
            let bytes = 0;
            res.on('data', (chunk: Buffer) => (bytes += chunk.length));
            res.on('end', () => resolve({ headers: res.headers, bytes }));
          })
          .on('error', reject);
      });
    const bomb = await raw('/v1/boards/northwind/jobs');
    expect(bomb.headers['content-encoding']).toBe('gzip');
    expect(bomb.bytes).toBeLessThan(64 * 1024);
    const oversized = await raw('/posting-api/job-board/quantix-finance');
    expect(oversized.headers['content-length']).toBeUndefined();
    expect(oversized.bytes).toBeGreaterThanOrEqual(1024 * 1024);
    const redirect = await fetch(`${f.url}/v0/postings/pinecrest-robotics?mode=json`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('http://127.0.0.2:9/elsewhere');
    const cut = await get(`${f.url}/api`);
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text) as unknown).toThrow();
    expect(cut.text.startsWith('[{"last_updated":')).toBe(true);
    expect((await get(`${f.url}/api/remote-jobs`)).status).toBe(200);
    expect(f.connections).toBeGreaterThanOrEqual(1);
  });

  it('answers after latencyMs', async () => {
    const f = await start({ latencyMs: 120 });
    const started = Date.now();
    expect((await get(`${f.url}/api`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('pages SmartRecruiters by limit and offset, and Arbeitnow by links.next', async () => {
    const f = await start();
    const ids: string[] = [];
    for (let offset = 0; ; offset += 10) {
      const page = await getJson<{ totalFound: number; content: Array<{ id: string }> }>(
        `${f.url}/v1/companies/HeliosEnergy/postings?limit=10&offset=${offset}`,
      );
      expect(page.totalFound).toBe(23);
      if (page.content.length === 0) break;
      ids.push(...page.content.map((posting) => posting.id));
    }
    expect(ids).toEqual(f.board('smartrecruiters:HeliosEnergy').jobs.map((job) => job.id));
    expect(new Set(ids).size).toBe(23);

    const slugs: string[] = [];
    let next: string | null = `${f.url}/api/job-board-api`;
    let pages = 0;
    while (next !== null) {
      expect(new URL(next).origin).toBe(f.url);
      const page: { data: Array<{ slug: string }>; links: { next: string | null } } = await getJson(next);
      slugs.push(...page.data.map((job) => job.slug));
      next = page.links.next;
      pages++;
    }
    expect(pages).toBe(2);
    expect(slugs).toEqual(f.board('arbeitnow').jobs.map((job) => job.id));
  });

  it('answers an unknown or removed board as each kind does', async () => {
    const f = await start();
    for (const path of [
      '/v1/boards/nosuchboard/jobs?content=true',
      '/posting-api/job-board/nosuchboard?includeCompensation=true',
      '/recruitee/nosuchcompany/api/offers/',
      '/api/v1/widget/accounts/nosuchaccount?details=true',
      '/v1/boards/northwind/jobs/1',
      '/no/such/path',
    ]) {
      expect((await get(`${f.url}${path}`)).status, path).toBe(404);
    }
    // SmartRecruiters lists nothing for a company it does not know.
    expect(await getJson(`${f.url}/v1/companies/NoSuchCompany/postings`)).toEqual({
      offset: 0,
      limit: 10,
      totalFound: 0,
      content: [],
    });
    f.board('ashby:quantix-finance').remove();
    expect((await get(`${f.url}/posting-api/job-board/quantix-finance`)).status).toBe(404);
    expect(() => f.board('ashby:quantix-finance')).toThrow(/no board/);
  });

  it("serves Lever's EU sites on the EU origin only", async () => {
    const f = await start();
    expect(new URL(f.euUrl).hostname).toBe('127.0.0.2');
    const eu = await getJson<unknown[]>(`${f.euUrl}/v0/postings/nordlicht-games?mode=json`);
    expect(eu).toHaveLength(8);
    expect((await get(`${f.url}/v0/postings/nordlicht-games?mode=json`)).status).toBe(404);
    expect((await get(`${f.euUrl}/v0/postings/pinecrest-robotics?mode=json`)).status).toBe(404);
    expect((await get(`${f.euUrl}/v1/boards/northwind/jobs`)).status).toBe(404);
    expect(f.requests.map((r) => r.eu)).toEqual([true, false, true, true]);
  });
});

describe('startBoards', () => {
  it('points every source URL setting at the fake', async () => {
    const { fake: started, env } = await startBoards();
    fake = started;
    const sourceSettings = (Object.keys(SETTINGS) as SettingName[]).filter(
      (name) => /^DJS_.+_URL$/.test(name) && !/LINKEDIN|GOOGLE/.test(name),
    );
    expect(sourceSettings.length).toBeGreaterThanOrEqual(9);
    for (const name of sourceSettings) {
      expect(env[name], name).toBeDefined();
      expect([started.url, started.euUrl], name).toContain(new URL(String(setting(env, name))).origin);
    }
    expect(env.DJS_LEVER_EU_URL).toBe(`${started.euUrl}/`);
    const recruitee = env.DJS_RECRUITEE_URL!.replace('{company}', 'tidewater');
    expect((await get(`${recruitee}api/offers/`)).status).toBe(200);
  });
});
