import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  generatePostings,
  startFakeLinkedIn,
  type FakeLinkedIn,
  type FakePosting,
  type FakeRequestInfo,
} from '../../src/fakes/linkedin-server.js';
import { DEFAULT_MAX_RETRIES } from '../../src/net/polite-client.js';
import { baseEnv, DJS_BIN, expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';

/** A catalogue where what each search must return is known: every posting is tagged with its query. */
function catalogue(): FakePosting[] {
  const base = generatePostings(48, 7);
  return base.map((posting, index) => ({
    ...posting,
    // 0–19 "alpha", 20–39 "beta", 40–47 both (served under two queries, stored once).
    queries: index < 20 ? ['alpha'] : index < 40 ? ['beta'] : ['alpha', 'beta'],
    location: index % 2 === 0 ? 'Berlin, Germany' : 'Lisbon, Portugal',
  }));
}

function postingsIn(home: string): Array<{ job_id: string; job_title: string | null }> {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return db.prepare('SELECT job_id, job_title FROM job_postings ORDER BY job_id').all() as Array<{
      job_id: string;
      job_title: string | null;
    }>;
  } finally {
    db.close();
  }
}

const SEARCH_ARGS = ['-q', 'alpha', '-q', 'beta', '-l', 'Berlin', '-l', 'Lisbon'];

describe('djs update-db against the LinkedIn fake', () => {
  let fake: FakeLinkedIn;
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  let postings: FakePosting[];
  const expectedIds = (): string[] => postings.map((p) => p.jobId).sort();

  beforeAll(async () => {
    homes = await registeredHome();
  });
  afterAll(() => homes.cleanup());
  afterEach(async () => fake?.close());

  const run = (home: string, args: string[], env: Record<string, string> = {}) =>
    runDjs(['update-db', ...args], {
      home,
      env: { DJS_LINKEDIN_URL: fake.url, DJS_RATE_LIMIT: '0', ...env },
      timeoutMs: 120_000,
    });

  it('stores exactly the distinct postings of 2 queries × 2 locations, once, and a second run adds none', async () => {
    postings = catalogue();
    fake = await startFakeLinkedIn({ postings });
    const home = homes.clone();

    const first = await run(home, [...SEARCH_ARGS, '--json']);
    // Under --json, stderr carries nothing but the file SecretStore's warning: no progress, no errors.
    expect(first.stderr.replace(/^warning: secrets are kept in the file .*\n/m, '')).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({
      searches: 4,
      postingsFetched: 48,
      failed: 0,
      blocked: false,
      outcome: 'ok',
    });
    // 20 alpha + 8 both in the alpha searches, 20 beta + 8 both in the beta ones: 56 links, 48 distinct.
    expect(summary.linksFound).toBe(56);
    expect(summary.newLinks).toBe(48);
    expect(postingsIn(home).map((p) => p.job_id)).toEqual(expectedIds());

    const detailRequests = fake.requests.filter((r) => r.path.includes('/jobPosting/')).length;
    const second = await run(home, [...SEARCH_ARGS, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ newLinks: 0, postingsFetched: 0, outcome: 'ok' });
    expect(fake.requests.filter((r) => r.path.includes('/jobPosting/')).length).toBe(detailRequests);
    expect(postingsIn(home)).toHaveLength(48);

    const status = await runDjs(['status', '--json'], { home });
    expect(JSON.parse(status.stdout)).toMatchObject({
      postings: 48,
      lastUpdate: { outcome: 'ok', postingsFetched: 0 },
    });
  });

  it('stores what each detail page says', async () => {
    postings = catalogue().slice(0, 10);
    fake = await startFakeLinkedIn({ postings });
    const home = homes.clone();
    expect((await run(home, ['-q', 'alpha', '-l', 'Berlin'])).code).toBe(0);
    const db = new Database(join(home, 'djs.db'), { readonly: true });
    const stored = db.prepare('SELECT * FROM job_postings ORDER BY job_id').all() as Array<
      Record<string, unknown>
    >;
    db.close();
    const berlin = postings.filter((p) => p.location.startsWith('Berlin'));
    expect(stored.map((row) => row.job_id)).toEqual(berlin.map((p) => p.jobId).sort());
    for (const row of stored) {
      const source = berlin.find((p) => p.jobId === row.job_id)!;
      expect(row).toMatchObject({
        job_title: source.title,
        job_company: source.company,
        job_location: source.location,
        link: `https://www.linkedin.com/jobs/view/${source.jobId}/`,
        status: 'new',
        source: 'linkedin',
      });
      expect(String(row.job_description)).toContain(source.description.split('\n')[0]!.slice(0, 40));
    }
  });

  it.each([3, 42])(
    'stores every posting in one run under the fault storm (30/10/5: 429, 5xx, timeouts) and exits 0, seed %i',
    async (seed) => {
      postings = catalogue();
      // Besides the random storm, one posting and one search page answer 503 more often than the client
      // retries a request: the main pass must leave them undone, for the final pass to finish.
      const straggler = postings[7]!.jobId;
      const served = new Map<string, number>();
      const failWith = (req: FakeRequestInfo): number | null => {
        const isStraggler =
          req.path.endsWith(`/jobPosting/${straggler}`) ||
          (req.query.keywords === 'beta' && req.query.location === 'Lisbon' && req.query.start === '10');
        if (!isStraggler) return null;
        const key = `${req.path}?${req.query.start ?? ''}`;
        served.set(key, (served.get(key) ?? 0) + 1);
        return served.get(key)! <= 1 + DEFAULT_MAX_RETRIES ? 503 : null;
      };
      fake = await startFakeLinkedIn({
        postings,
        rateOf429: 0.3,
        rateOf5xx: 0.1,
        rateOfTimeout: 0.05,
        seed,
        failWith,
      });
      const home = homes.clone();
      const result = await run(home, [...SEARCH_ARGS, '--json'], { DJS_LINKEDIN_TIMEOUT_MS: '300' });
      expectNoStackTrace(result);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ postingsFetched: 48, failed: 0, outcome: 'ok' });
      expect(postingsIn(home).map((p) => p.job_id)).toEqual(expectedIds());
      expect(fake.requests.filter((r) => r.status === 429 || r.status >= 500).length).toBeGreaterThan(10);
    },
  );

  // 3 MB ran the old parse worker out of its heap (10 MB too); it stays under the response-size cap of src/net.
  it('stores a posting with a 3 MB description, cut to a sane size and saying so', async () => {
    postings = catalogue().slice(0, 6);
    const paragraph = 'Build reliable systems with care, tests and documentation. '.repeat(30);
    const huge = Array.from({ length: Math.ceil(3_000_000 / paragraph.length) }, () => paragraph).join(
      '\n\n',
    );
    postings[0] = { ...postings[0]!, description: huge };
    fake = await startFakeLinkedIn({ postings });
    const home = homes.clone();
    const result = await run(home, ['-q', 'alpha', '-l', 'Berlin', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const db = new Database(join(home, 'djs.db'), { readonly: true });
    const { description } = db
      .prepare('SELECT job_description AS description FROM job_postings WHERE job_id = ?')
      .get(postings[0]!.jobId) as { description: string };
    db.close();
    const cutAt = Number(/\n\n\[description cut at (\d+) characters by djs\]$/.exec(description)?.[1]);
    expect(cutAt).toBeGreaterThan(50_000);
    expect(description.length).toBeLessThan(200_000);
    expect(description.startsWith(paragraph.trim().slice(0, 40))).toBe(true);
    expect(postingsIn(home)).toHaveLength(postings.filter((p) => p.location.startsWith('Berlin')).length);
  });

  it('gives up on a posting that fails on 3 runs: reported once, shown by status, retried with --retry-failed', async () => {
    postings = catalogue().slice(0, 6);
    const brokenId = postings[0]!.jobId;
    // A detail page without a title cannot be read as a posting, on every try.
    fake = await startFakeLinkedIn({ postings: [{ ...postings[0]!, title: '' }, ...postings.slice(1)] });
    const home = homes.clone();
    const args = ['-q', 'alpha', '-l', 'Berlin'];
    const asked = (): number =>
      fake.requests.filter((r) => r.path.endsWith(`/jobPosting/${brokenId}`)).length;

    const first = await run(home, [...args, '--verbose']);
    expectNoStackTrace(first);
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/1 posting failed; the next run retries it\./);
    expect(first.stderr).toContain(`failed: posting ${brokenId}: LinkedIn sent an unreadable page`);
    expect(first.stderr).not.toContain('item(s)');
    // Tried in the main pass and once more in the final pass, not more.
    expect(asked()).toBe(2);

    expect((await run(home, args)).code).toBe(3);
    const third = await run(home, args);
    expect(third.code).toBe(3);
    expect(third.stderr).toMatch(/1 posting failed; it has now failed on 3 runs and is no longer asked for/);
    expect(third.stderr).toContain('--retry-failed');

    const fourth = await run(home, [...args, '--json']);
    expect(fourth.code).toBe(0);
    expect(JSON.parse(fourth.stdout)).toMatchObject({ failed: 0, failures: [], outcome: 'ok' });
    expect(asked()).toBe(6);

    const status = await runDjs(['status'], { home });
    expect(status.stdout).toMatch(/Failed +1 posting failed for good/);
    expect(status.stdout).toContain(`${brokenId}: LinkedIn sent an unreadable page`);
    const statusJson = JSON.parse((await runDjs(['status', '--json'], { home })).stdout);
    expect(statusJson.failedForGood).toEqual([
      expect.objectContaining({
        jobId: brokenId,
        attempts: 3,
        lastError: expect.stringMatching(/unreadable/),
      }),
    ]);

    // LinkedIn fixes the page; only --retry-failed asks for it again.
    fake.setOptions({ postings });
    const retried = await run(home, [...args, '--retry-failed', '--json']);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ postingsFetched: 1, outcome: 'ok' });
    expect(postingsIn(home).map((p) => p.job_id)).toContain(brokenId);
    expect(JSON.parse((await runDjs(['status', '--json'], { home })).stdout).failedForGood).toEqual([]);
  });

  it('stops asking at the auth wall, keeps what it has, exits 3, and the next run picks up the rest', async () => {
    postings = catalogue();
    let served = 0;
    // Let the searches and the first 10 postings through, then show the sign-in wall.
    fake = await startFakeLinkedIn({
      postings,
      authWall: (req) => req.path.includes('/jobPosting/') && ++served > 10,
    });
    const home = homes.clone();
    const blocked = await run(home, [...SEARCH_ARGS, '--json', '--concurrency', '1']);
    expectNoStackTrace(blocked);
    expect(blocked.code).toBe(3);
    expect(JSON.parse(blocked.stdout)).toMatchObject({
      blocked: true,
      postingsFetched: 10,
      outcome: 'partial',
    });
    expect(blocked.stderr).toMatch(/blocked|sign-in wall/i);
    const requestsWhenBlocked = fake.requests.length;
    // The breaker opened after a few blocked answers: it did not go on through all 38 remaining postings.
    expect(requestsWhenBlocked).toBeLessThan(4 + 10 + 10);
    expect(postingsIn(home)).toHaveLength(10);

    fake.setOptions({ authWall: false });
    const resumed = await run(home, ['--json', ...SEARCH_ARGS]);
    expect(resumed.code).toBe(0);
    expect(postingsIn(home).map((p) => p.job_id)).toEqual(expectedIds());
  });

  it('marks postings LinkedIn took down as gone: not a failure, and not asked for again', async () => {
    postings = catalogue();
    // First run: the searches go through, every detail page hits the sign-in wall (links stay pending).
    fake = await startFakeLinkedIn({ postings, authWall: (req) => req.path.includes('/jobPosting/') });
    const home = homes.clone();
    expect((await run(home, SEARCH_ARGS)).code).toBe(3);
    expect(postingsIn(home)).toHaveLength(0);

    // Then 5 of them are taken down: their detail pages answer 404.
    const takenDown = postings.slice(0, 5).map((p) => p.jobId);
    fake.setOptions({ authWall: false, postings: postings.slice(5) });
    // Off a terminal and without --json: the log lines a cron run writes.
    const second = await run(home, ['-q', 'alpha', '-l', 'Berlin']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/update-db ok: .*postingsFetched=43 failed=0 .*gone=5 /);
    expect(second.stderr).toMatch(/Job \d+ is no longer on LinkedIn; it will not be asked for again/);

    const asked = () =>
      fake.requests.filter((r) => takenDown.some((id) => r.path.endsWith(`/jobPosting/${id}`))).length;
    const before = asked();
    const third = await run(home, ['-q', 'alpha', '-l', 'Berlin', '--json']);
    expect(JSON.parse(third.stdout)).toMatchObject({ gone: 0, failed: 0, outcome: 'ok' });
    expect(asked()).toBe(before);
  });

  it('lets one run proceed and makes a concurrent second one exit 75 at once', async () => {
    postings = catalogue();
    fake = await startFakeLinkedIn({ postings, latencyMs: 100 });
    const home = homes.clone();
    const first = run(home, [...SEARCH_ARGS, '--concurrency', '1']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const started = Date.now();
    const second = await run(home, SEARCH_ARGS);
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(/already running/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await first).code).toBe(0);
    expect(postingsIn(home)).toHaveLength(48);
  });

  it('holds DJS_RATE_LIMIT=60: never more than the burst plus one request a second', async () => {
    postings = catalogue().slice(0, 12);
    fake = await startFakeLinkedIn({ postings });
    const home = homes.clone();
    const result = await run(home, ['-q', 'alpha', '-l', 'Berlin', '--json'], { DJS_RATE_LIMIT: '60' });
    expect(result.code).toBe(0);
    const times = fake.requests.map((r) => r.time).sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(7);
    const burst = 3;
    // In any window of W ms at most burst + W/1000 requests may start (plus a little clock slack).
    for (let i = 0; i < times.length; i++) {
      for (let j = i + 1; j < times.length; j++) {
        const window = times[j]! - times[i]!;
        expect(j - i + 1).toBeLessThanOrEqual(burst + Math.floor((window + 50) / 1000));
      }
    }
  });

  it('survives SIGKILL at 20 random moments: the database stays intact, the final run stores each posting once', async () => {
    postings = catalogue();
    fake = await startFakeLinkedIn({ postings, latencyMs: 15 });
    const home = homes.clone();
    const env = { ...baseEnv(home), DJS_LINKEDIN_URL: fake.url, DJS_RATE_LIMIT: '0' };
    for (let kill = 0; kill < 20; kill++) {
      const child = spawn(process.execPath, [DJS_BIN, 'update-db', ...SEARCH_ARGS], { env, stdio: 'ignore' });
      // Listened for from the start: once everything is stored, a run can end before its kill comes.
      const closed = new Promise((resolve) => child.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 600));
      child.kill('SIGKILL');
      await closed;
      const db = new Database(join(home, 'djs.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    const final = await run(home, [...SEARCH_ARGS, '--json']);
    expect(final.code).toBe(0);
    const stored = postingsIn(home);
    expect(stored.map((p) => p.job_id)).toEqual(expectedIds());
    expect(stored.every((p) => p.job_title)).toBe(true);
  });

  it('refuses bad input with exit 2 and no stack trace, before any request', async () => {
    postings = catalogue();
    fake = await startFakeLinkedIn({ postings });
    const home = homes.clone();
    const cases: string[][] = [
      ['-q', 'alpha'],
      ['--per-search', '0', ...SEARCH_ARGS],
      ['--since', 'yesterday', ...SEARCH_ARGS],
      ['--concurrency', 'lots', ...SEARCH_ARGS],
      ['-q', '   ', '-l', 'Berlin'],
      ['-q', 'x'.repeat(10_000), '-l', 'Berlin'],
      ['-q', 'a\u001b[31mb', '-l', 'Berlin'],
      [],
    ];
    for (const args of cases) {
      const result = await run(home, args);
      expectNoStackTrace(result);
      expect(result.code, args.join(' ').slice(0, 60)).toBe(2);
    }
    expect(fake.requests).toHaveLength(0);
    expect(postingsIn(home)).toHaveLength(0);
  });
});
