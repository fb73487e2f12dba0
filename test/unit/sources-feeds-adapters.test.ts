import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { UsageError } from '../../src/core/errors.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import type { FakeBoards, FakeBoardsOptions } from '../../src/fakes/boards-server.js';
import type { ListingResult, ListingSource, Validators } from '../../src/jobs/job-source.js';
import { parseSourceSpec, type ListedPosting } from '../../src/jobs/model.js';
import { HttpError, ResponseRefusedError } from '../../src/net/errors.js';
import { SourceClients } from '../../src/sources/common/clients.js';
import { openListingSource, type SourceDeps } from '../../src/sources/registry.js';
import { CACHE_HOURS } from '../../src/sources/remotive/source.js';
import { startBoards } from '../helpers/boards.js';

const START = Date.parse('2026-09-01T08:00:00Z');

let fake: FakeBoards;
let dir: string;
let db: Db;
let clock: FakeClock;
const clientSets: SourceClients[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-feeds-adapters-'));
  db = openDatabase(join(dir, 'djs.db'));
  clock = new FakeClock(START);
});

afterEach(async () => {
  await Promise.all(clientSets.splice(0).map((clients) => clients.close()));
  await fake?.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: FakeBoardsOptions = {}): Promise<void> {
  ({ fake } = await startBoards(options));
}

/** The adapter for `spec` as update-db makes it: its own polite clients, the fake's URLs, this database. */
async function open(spec: string): Promise<ListingSource> {
  const clients = new SourceClients({ concurrency: 2, timeoutMs: 5_000, proxyUrl: null });
  clientSets.push(clients);
  const deps: SourceDeps = { clients, env: fake.env, clock, db };
  return openListingSource(parseSourceSpec(spec), deps);
}

const signal = (): AbortSignal => AbortSignal.timeout(60_000);

function listing(result: ListingResult): Extract<ListingResult, { kind: 'listing' }> {
  expect(result.kind).toBe('listing');
  return result as Extract<ListingResult, { kind: 'listing' }>;
}

const ids = (postings: ListedPosting[]): string[] => postings.map((p) => p.jobId).sort();
const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);

describe('SmartRecruiters', () => {
  const PATH = '/v1/companies/HeliosEnergy/postings';

  it('pages with limit=100 until totalFound, and a steady listing is complete', async () => {
    await start();
    const board = fake.board('smartrecruiters:HeliosEnergy');
    for (let i = 0; i < 180; i++) board.addJob();
    const source = await open('smartrecruiters:HeliosEnergy');
    const result = listing(await source.list(null, signal()));
    expect(result.postings).toHaveLength(203);
    expect(new Set(ids(result.postings)).size).toBe(203);
    expect(ids(result.postings)).toEqual(board.jobs.map((job) => `smartrecruiters:${job.id}`).sort());
    expect(result.complete).toBe(true);
    expect(result.validators.etag).not.toBeNull();
    expect(requestsTo(PATH).map((r) => [r.query.limit, r.query.offset])).toEqual([
      ['100', '0'],
      ['100', '100'],
      ['100', '200'],
    ]);
    expect(result.postings[0]).toMatchObject({ source: 'smartrecruiters', company: 'Helios Energy Systems' });
  });

  it('asks the first page conditionally: an unchanged board costs one request', async () => {
    await start();
    const source = await open('smartrecruiters:HeliosEnergy');
    const first = listing(await source.list(null, signal()));
    const before = fake.requests.length;
    expect(await source.list(first.validators, signal())).toEqual({ kind: 'unchanged' });
    expect(fake.requests.length - before).toBe(1);
    expect(fake.requests.at(-1)!.headers.ifNoneMatch).toBe(first.validators.etag);
  });

  it('is not complete, and gives no validators, when the board changed between its pages', async () => {
    await start();
    const board = fake.board('smartrecruiters:HeliosEnergy');
    for (let i = 0; i < 180; i++) board.addJob();
    fake.setOptions({
      failWith: (req) => {
        // A posting is taken down while djs reads page 2: the pages shift under the reader.
        if (req.query.offset === '100') board.removeJob(board.jobs[0]!.id);
        return null;
      },
    });
    const result = listing(await (await open('smartrecruiters:HeliosEnergy')).list(null, signal()));
    expect(result.complete).toBe(false);
    expect(result.validators).toEqual({ etag: null, lastModified: null });
  });

  it('detail() reads the ad of one posting; a posting gone meanwhile is null', async () => {
    await start();
    const board = fake.board('smartrecruiters:HeliosEnergy');
    const source = await open('smartrecruiters:HeliosEnergy');
    const [first, second] = listing(await source.list(null, signal())).postings;
    expect(first!.description).toBeNull();
    const full = await source.detail!(first!, signal());
    expect(full).toMatchObject({ jobId: first!.jobId, title: first!.title, link: first!.link });
    expect(full!.description).toMatch(/^## Company Description\n\n.+\n\n## Job Description\n\n/s);
    expect(requestsTo(`${PATH}/${first!.jobId.slice('smartrecruiters:'.length)}`)).toHaveLength(1);
    // Pay is stated in the ad's additional information, as the companies that publish it there do.
    const paidJob = board.jobs.find((job) => job.pay !== null && job.pay.currency === 'USD')!;
    const paid = listing(await source.list(null, signal())).postings.find(
      (p) => p.jobId === `smartrecruiters:${paidJob.id}`,
    )!;
    expect(paid.salaryMin).toBeNull();
    expect(await source.detail!(paid, signal())).toMatchObject({
      salaryMin: paidJob.pay!.min,
      salaryMax: paidJob.pay!.max,
      salaryCurrency: 'USD',
      salaryPeriod: paidJob.pay!.period,
    });
    board.removeJob(second!.jobId.slice('smartrecruiters:'.length));
    expect(await source.detail!(second!, signal())).toBeNull();
  });
});

describe('Recruitee', () => {
  it('reads <DJS_RECRUITEE_URL with the company>/api/offers/, complete, conditionally', async () => {
    await start();
    const source = await open('recruitee:Tidewater');
    const result = listing(await source.list(null, signal()));
    expect(result.postings).toHaveLength(8);
    expect(result.complete).toBe(true);
    expect(requestsTo('/recruitee/tidewater/api/offers/')).toHaveLength(1);
    expect(await source.list(result.validators, signal())).toEqual({ kind: 'unchanged' });
  });

  it('an unknown company is not-found', async () => {
    await start();
    expect(await (await open('recruitee:nosuchco')).list(null, signal())).toEqual({ kind: 'not-found' });
  });

  it('refuses a name that cannot be a host label, before any request', async () => {
    await start();
    for (const name of ['tide_water', 'tide.water', '-tide', 'tide-']) {
      await expect(open(`recruitee:${name}`)).rejects.toThrow(UsageError);
    }
    await expect(open('recruitee:tide.water')).rejects.toThrow(
      /"recruitee:tide\.water": a Recruitee company name has only letters, digits and inner "-"/,
    );
    expect(fake.requests).toHaveLength(0);
    expect(fake.connections).toBe(0);
  });
});

describe('Workable', () => {
  it('reads the account with details=true, complete; an unknown account is not-found', async () => {
    await start();
    const result = listing(await (await open('workable:lumen-loom')).list(null, signal()));
    expect(result.postings).toHaveLength(6);
    expect(result.complete).toBe(true);
    expect(result.postings.every((p) => p.description !== null)).toBe(true);
    expect(requestsTo('/api/v1/widget/accounts/lumen-loom')[0]!.query).toEqual({ details: 'true' });
    // Workable has no pay field: the pay the fake states in each description is read from the text.
    const stated = fake
      .board('workable:lumen-loom')
      .jobs.map((job) => [`workable:${job.id.toLowerCase()}`, job.pay?.min ?? null, job.pay?.max ?? null]);
    expect(stated.some(([, min]) => min !== null)).toBe(true);
    expect(result.postings.map((p) => [p.jobId, p.salaryMin, p.salaryMax])).toEqual(
      expect.arrayContaining(stated),
    );
    expect(await (await open('workable:nobody')).list(null, signal())).toEqual({ kind: 'not-found' });
  });

  it('a server error is retried, then an HttpError', { timeout: 60_000 }, async () => {
    await start({ failWith: () => 503 });
    await expect((await open('workable:lumen-loom')).list(null, signal())).rejects.toThrow(HttpError);
    expect(requestsTo('/api/v1/widget/accounts/lumen-loom')).toHaveLength(5); // the first try and 4 retries
  });
});

describe('Remotive: one answer a machine-wide 6 hours', () => {
  const PATH = '/api/remote-jobs';

  it('a second run within 6 hours, from any account, makes no request; after 6 hours one, conditional', async () => {
    await start();
    const first = listing(await (await open('remotive')).list(null, signal()));
    expect(first.postings).toHaveLength(35);
    expect(first.complete).toBe(false);
    expect(requestsTo(PATH)).toHaveLength(1);

    // Another account (its own clients, no validators yet) an hour later: the cached answer.
    clock.advance(60 * 60_000);
    const other = listing(await (await open('remotive')).list(null, signal()));
    expect(ids(other.postings)).toEqual(ids(first.postings));
    expect(requestsTo(PATH)).toHaveLength(1);
    // The first account again, having stored that answer's validators: nothing new for it.
    expect(await (await open('remotive')).list(first.validators, signal())).toEqual({ kind: 'unchanged' });
    expect(requestsTo(PATH)).toHaveLength(1);

    // Past 6 hours: one request with the cache's validators; the feed has not changed (304).
    clock.advance(CACHE_HOURS * 60 * 60_000);
    expect(await (await open('remotive')).list(first.validators, signal())).toEqual({ kind: 'unchanged' });
    expect(requestsTo(PATH)).toHaveLength(2);
    expect(requestsTo(PATH)[1]!.headers.ifNoneMatch).toBe(first.validators.etag);
    expect(requestsTo(PATH)[1]!.status).toBe(304);
    // The 304 renewed the cache: 5 hours on, still no request.
    clock.advance(5 * 60 * 60_000);
    listing(await (await open('remotive')).list(null, signal()));
    expect(requestsTo(PATH)).toHaveLength(2);
  });

  it('a changed feed is read in full once the cache is old, and cached anew', async () => {
    await start();
    const first = listing(await (await open('remotive')).list(null, signal()));
    const added = fake.board('remotive').addJob();
    clock.advance(CACHE_HOURS * 60 * 60_000 + 1);
    const second = listing(await (await open('remotive')).list(first.validators, signal()));
    expect(second.postings).toHaveLength(36);
    expect(ids(second.postings)).toContain(`remotive:${added.id}`);
    expect(second.validators.etag).not.toBe(first.validators.etag);
    const row = db.prepare('SELECT url, fetched_at, etag FROM feed_cache').all();
    expect(row).toEqual([
      {
        url: `${fake.url}${PATH}`,
        fetched_at: new Date(clock.time).toISOString(),
        etag: second.validators.etag,
      },
    ]);
  });

  it('a failing feed throws and keeps the cache as it was', async () => {
    await start();
    listing(await (await open('remotive')).list(null, signal()));
    const cached = db.prepare('SELECT fetched_at, body FROM feed_cache').get();
    clock.advance(CACHE_HOURS * 60 * 60_000);
    // A refusal is not retried (a 5xx is, under Remotive's 4 a minute: see Workable for the retries).
    fake.setOptions({ failWith: () => 403 });
    await expect((await open('remotive')).list(null, signal())).rejects.toThrow(HttpError);
    expect(requestsTo(PATH)).toHaveLength(2);
    expect(db.prepare('SELECT fetched_at, body FROM feed_cache').get()).toEqual(cached);
  });
});

describe('Arbeitnow', () => {
  it('follows links.next up to 5 pages, asking its own base URL, and is never complete', async () => {
    await start({ arbeitnowPageSize: 20 }); // 130 jobs: 7 pages of 20
    const result = listing(await (await open('arbeitnow')).list(null, signal()));
    expect(result.postings).toHaveLength(100);
    expect(result.complete).toBe(false);
    expect(requestsTo('/api/job-board-api').map((r) => r.query.page)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('stops at the last page, and an unchanged first page costs one request', async () => {
    await start(); // 130 jobs: 2 pages of 100
    const source = await open('arbeitnow');
    const result = listing(await source.list(null, signal()));
    expect(result.postings).toHaveLength(130);
    expect(requestsTo('/api/job-board-api')).toHaveLength(2);
    expect(await source.list(result.validators, signal())).toEqual({ kind: 'unchanged' });
    expect(requestsTo('/api/job-board-api')).toHaveLength(3);
  });
});

describe('Remote OK', () => {
  it('reads /api without its legal notice, never complete, conditionally', async () => {
    await start();
    const source = await open('remoteok');
    const result = listing(await source.list(null, signal()));
    expect(result.postings).toHaveLength(40);
    expect(result.complete).toBe(false);
    expect(result.postings.every((p) => p.source === 'remoteok' && p.workplaceType === 'remote')).toBe(true);
    const validators: Validators = result.validators;
    expect(await source.list(validators, signal())).toEqual({ kind: 'unchanged' });
    expect(requestsTo('/api')).toHaveLength(2);
  });

  it('an answer cut off half-way is an HttpError, not an empty feed', async () => {
    await start({ hostile: () => ({ kind: 'truncated' }) });
    await expect((await open('remoteok')).list(null, signal())).rejects.toThrow(/is not JSON/);
  });
});

describe('a gzip bomb is refused by the body cap', () => {
  it('Arbeitnow (8 MB)', async () => {
    await start({ hostile: () => ({ kind: 'gzip-bomb', inflatedBytes: 64 * 1024 * 1024 }) });
    await expect((await open('arbeitnow')).list(null, signal())).rejects.toThrow(ResponseRefusedError);
  });
});
