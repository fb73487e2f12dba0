import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../src/fakes/google-server.js';
import {
  DETAIL_PATH_PREFIX,
  generatePostings,
  startFakeLinkedIn,
  type FakeLinkedIn,
  type HostileAnswer,
} from '../../src/fakes/linkedin-server.js';
import { expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';
import { AUTO_APPROVE_BROWSER, fileSecrets, googleEnv, googleRows } from '../helpers/google.js';

const GB = 1024 * 1024 * 1024;

function storedJobIds(home: string): string[] {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return (db.prepare('SELECT job_id FROM job_postings ORDER BY job_id').all() as { job_id: string }[]).map(
      (row) => row.job_id,
    );
  } finally {
    db.close();
  }
}

/** The real CLI against servers that attack it (issue 10): every attack is refused, the rest is collected. */
describe('djs against hostile servers', () => {
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  const servers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    homes = await registeredHome();
  });
  afterAll(() => homes.cleanup());
  afterEach(async () => {
    while (servers.length) await servers.pop()?.close();
  });

  it('update-db refuses a gzip bomb, a huge body and off-origin redirects, once each, and stores the rest', async () => {
    const other = await startFakeLinkedIn({ host: '127.0.0.2' });
    servers.push(other);
    const postings = generatePostings(10, 5).map((p) => ({ ...p, queries: ['hostile'] }));
    const detail = (i: number): string => `${DETAIL_PATH_PREFIX}${postings[i]!.jobId}`;
    const attacks = new Map<string, HostileAnswer>([
      [detail(0), { kind: 'gzip-bomb', inflatedBytes: GB }],
      [detail(1), { kind: 'oversized', bytes: 256 * 1024 * 1024 }],
      [detail(2), { kind: 'redirect', location: `${other.url}${detail(2)}` }],
      [detail(3), { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/' }],
      [detail(4), { kind: 'redirect', location: 'http://10.0.0.1/' }],
      [detail(5), { kind: 'redirect', location: 'file:///etc/passwd' }],
    ]);
    const linkedin: FakeLinkedIn = await startFakeLinkedIn({
      postings,
      hostile: (req) => attacks.get(req.path),
    });
    servers.push(linkedin);
    const home = homes.clone();

    const started = performance.now();
    const result = await runDjs(['update-db', '-q', 'hostile', '-l', 'Berlin', '--verbose'], {
      home,
      env: { DJS_LINKEDIN_URL: linkedin.url, DJS_RATE_LIMIT: '0' },
      timeoutMs: 60_000,
    });
    expectNoStackTrace(result);
    expect(result.code).toBe(3);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(storedJobIds(home)).toEqual(
      postings
        .slice(6)
        .map((p) => p.jobId)
        .sort(),
    );
    for (const path of attacks.keys()) {
      expect(linkedin.requests.filter((r) => r.path === path)).toHaveLength(1); // refused, not retried
    }
    expect(other.connections).toBe(0);
    expect(result.stderr).toContain(`${detail(0)} failed: the response is larger than 4 MB.`);
    expect(result.stderr).toContain(`${detail(1)} failed: the response is larger than 4 MB.`);
    expect(result.stderr).toContain(`refusing the redirect to ${other.url}${detail(2)}: it is not on`);
    expect(result.stderr).toContain('169.254.169.254 is a link-local address');
    expect(result.stderr).toContain('10.0.0.1 is a private address');
    expect(result.stderr).toContain('file: is not http or https');
  });

  it('update-db refuses a search page that redirects to another origin, without connecting there', async () => {
    const other = await startFakeLinkedIn({ host: '127.0.0.2' });
    servers.push(other);
    const linkedin = await startFakeLinkedIn({
      hostile: (req) =>
        req.path.startsWith(DETAIL_PATH_PREFIX)
          ? undefined
          : { kind: 'redirect', location: `${other.url}/jobs-guest/jobs/api/seeMoreJobPostings/search` },
    });
    servers.push(linkedin);
    const result = await runDjs(['update-db', '-q', 'python', '-l', 'Berlin', '--verbose'], {
      home: homes.clone(),
      env: { DJS_LINKEDIN_URL: linkedin.url, DJS_RATE_LIMIT: '0' },
    });
    expectNoStackTrace(result);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('it is not on');
    expect(linkedin.requests).toHaveLength(1);
    expect(other.connections).toBe(0);
  });

  it('login --google refuses a gzip bomb from the token endpoint at 64 KB, asks once and stores nothing', async () => {
    const google: FakeGoogle = await startFakeGoogle({ hostileToken: 'gzip-bomb' });
    servers.push(google);
    const home = homes.clone();
    const result = await runDjs(['login', '--google'], {
      home,
      env: { ...googleEnv(google), BROWSER: AUTO_APPROVE_BROWSER },
    });
    expectNoStackTrace(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/token failed: the response is larger than 64 KB\./);
    expect(google.requests.filter((r) => r.path === '/token')).toHaveLength(1);
    expect(Object.keys(fileSecrets(home)).filter((key) => key.startsWith('google:'))).toEqual([]);
    expect(googleRows(home)).toEqual([]);
  });
});
