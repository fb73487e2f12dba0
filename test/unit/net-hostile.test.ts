import { afterEach, describe, expect, it } from 'vitest';
import { Agent, type Dispatcher } from 'undici';
import {
  DETAIL_PATH_PREFIX,
  generatePostings,
  startFakeLinkedIn,
  type FakeLinkedIn,
  type FakeLinkedInOptions,
  type HostileAnswer,
} from '../../src/fakes/linkedin-server.js';
import { boundedRequest } from '../../src/net/bounded-request.js';
import { FakeClock } from '../../src/core/clock.js';
import { ResponseRefusedError } from '../../src/net/errors.js';
import { PoliteClient, type PoliteClientOptions } from '../../src/net/polite-client.js';
import { hostKind, targetRefusal } from '../../src/net/target-policy.js';

const GB = 1024 * 1024 * 1024;
const MB = 1024 * 1024;
const posting = generatePostings(1, 3)[0]!;
const detailPath = `${DETAIL_PATH_PREFIX}${posting.jobId}`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fake(options: FakeLinkedInOptions = {}): Promise<FakeLinkedIn> {
  const server = await startFakeLinkedIn({ postings: [posting], ...options });
  cleanups.push(() => server.close());
  return server;
}

/** A fake that answers `answer` to every detail request (and normally to the rest). */
const hostileDetail = (answer: HostileAnswer): FakeLinkedInOptions => ({
  hostile: (req) => (req.path.startsWith(DETAIL_PATH_PREFIX) ? answer : undefined),
});

function client(baseUrl: string, o: Partial<PoliteClientOptions> = {}): PoliteClient {
  const c = new PoliteClient({
    baseUrl,
    perMinute: 0,
    concurrency: 2,
    timeoutMs: 10_000,
    baseBackoffMs: 1,
    maxBackoffMs: 2,
    clock: new FakeClock(Date.now()),
    random: () => 0,
    ...o,
  });
  cleanups.push(() => c.close());
  return c;
}

/** An undici agent that records the origin of every request it is asked to dispatch, before connecting. */
class RecordingAgent extends Agent {
  readonly origins: string[] = [];
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.origins.push(String(options.origin));
    return super.dispatch(options, handler);
  }
}

describe('targetRefusal: where a request or a redirect hop may go', () => {
  const linkedin = ['https://www.linkedin.com'];
  it.each([
    ['http://169.254.169.254/latest/meta-data/', linkedin, /link-local/],
    ['http://[fe80::1]/', linkedin, /link-local/],
    ['http://[::ffff:169.254.169.254]/', linkedin, /link-local/],
    ['http://2852039166/', linkedin, /link-local/], // 169.254.169.254 written as one number
    ['http://0.0.0.0:8080/', linkedin, /unspecified/],
    ['http://10.0.0.1/', linkedin, /private/],
    ['http://192.168.1.1/', linkedin, /private/],
    ['http://[fd00::1]/', linkedin, /private/],
    ['http://127.0.0.1:9/', linkedin, /loopback/],
    ['http://localhost:9/', linkedin, /loopback/],
    ['file:///etc/passwd', linkedin, /not http or https/],
    ['https://evil.example/jobs', linkedin, /not on https:\/\/www\.linkedin\.com/],
    ['http://www.linkedin.com/jobs', linkedin, /not on/], // a downgrade is another origin
    ['http://127.0.0.2:9/', ['http://127.0.0.1:8'], /not on http:\/\/127\.0\.0\.1:8/],
    ['http://169.254.169.254/', ['http://169.254.169.254'], /link-local/],
  ])('refuses %s', (target, allowed, reason) => {
    expect(targetRefusal(new URL(target), allowed)).toMatch(reason);
  });

  it.each([
    ['https://www.linkedin.com/authwall?trk=x', linkedin],
    ['http://127.0.0.1:8/jobs', ['http://127.0.0.1:8']],
    [
      'https://sheets.googleapis.com/v4/x',
      ['https://oauth2.googleapis.com', 'https://sheets.googleapis.com'],
    ],
  ])('allows %s', (target, allowed) => {
    expect(targetRefusal(new URL(target), allowed)).toBeNull();
  });

  it('tells public addresses and names apart from the special ranges', () => {
    expect(hostKind('8.8.8.8')).toBe('public');
    expect(hostKind('[2001:db8::1]')).toBe('public');
    expect(hostKind('www.linkedin.com')).toBe('name');
    expect(hostKind('[::1]')).toBe('loopback');
  });
});

describe('PoliteClient against a hostile LinkedIn', () => {
  it('refuses a 1 GB gzip bomb at 4 MB, once, without retrying it', async () => {
    const server = await fake(hostileDetail({ kind: 'gzip-bomb', inflatedBytes: GB }));
    const c = client(server.url);
    const started = performance.now();
    const error = await c.get(detailPath).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseRefusedError);
    expect((error as Error).message).toMatch(/the response is larger than 4 MB\.$/);
    expect(server.requests).toHaveLength(1);
    expect(c.stats).toMatchObject({ requests: 1, retries: 0, failures: 1 });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('refuses a body that is simply too large (64 MB, chunked), once', async () => {
    const server = await fake(hostileDetail({ kind: 'oversized', bytes: 64 * MB }));
    const c = client(server.url);
    await expect(c.get(detailPath)).rejects.toThrow(/larger than 4 MB/);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const server = await fake();
    await expect(client(server.url, { maxResponseBytes: 1024 }).get(detailPath)).rejects.toThrow(
      /larger than 1 KB/,
    );
  });

  it('serves a 10 MB description when asked (the knob), and the default cap refuses it', async () => {
    const server = await fake(hostileDetail({ kind: 'long-description', bytes: 10 * MB }));
    const res = await client(server.url, { maxResponseBytes: 32 * MB }).get(detailPath);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(10 * MB);
    expect(res.body).toContain(posting.title);
    await expect(client(server.url).get(detailPath)).rejects.toThrow(/larger than 4 MB/);
  });

  it('follows a redirect within its origin', async () => {
    const server = await fake(hostileDetail({ kind: 'redirect', location: '/authwall?trk=guest' }));
    const res = await client(server.url).get(detailPath);
    expect(res.url).toBe(`${server.url}/authwall?trk=guest`);
    expect(res.body).toMatch(/authwall|join/i);
  });

  it('refuses a redirect to another origin (127.0.0.2) without connecting to it, and does not retry', async () => {
    const other = await fake({ host: '127.0.0.2' });
    const server = await fake(
      hostileDetail({ kind: 'redirect', location: `${other.url}${detailPath}`, status: 307 }),
    );
    const c = client(server.url);
    await expect(c.get(detailPath)).rejects.toThrow(
      `refusing the redirect to ${other.url}${detailPath}: it is not on ${server.url}.`,
    );
    expect(other.connections).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/iam/', /169\.254\.169\.254 is a link-local address/],
    ['http://10.0.0.1/admin', /10\.0\.0\.1 is a private address/],
    ['file:///etc/passwd', /file: is not http or https/],
    ['http://[fe80::1]:8080/', /\[fe80::1\] is a link-local address/],
  ])('refuses a redirect to %s before any connection is made', async (location, reason) => {
    const server = await fake(hostileDetail({ kind: 'redirect', location }));
    await expect(client(server.url).get(detailPath)).rejects.toThrow(reason);
    expect(server.requests).toHaveLength(1);

    // The same exchange with a dispatcher that records every request it is handed: only the fake's origin.
    const agent = new RecordingAgent();
    cleanups.push(() => agent.close());
    const refused = boundedRequest(`${server.url}${detailPath}`, {
      dispatcher: agent,
      maxBytes: MB,
      allowedOrigins: [server.url],
    });
    await expect(refused).rejects.toBeInstanceOf(ResponseRefusedError);
    expect(agent.origins).toEqual([server.url]);
  });

  it('gives up after 5 redirects', async () => {
    const server = await fake({ hostile: () => ({ kind: 'redirect', location: detailPath }) });
    await expect(client(server.url).get(detailPath)).rejects.toThrow(/more than 5 redirects/);
    expect(server.requests).toHaveLength(6);
  });
});
