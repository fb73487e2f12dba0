import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { CircuitOpenError, HttpError } from '../../src/net/errors.js';
import {
  DEFAULT_USER_AGENT,
  PoliteClient,
  type PoliteClientOptions,
  type PoliteEvent,
} from '../../src/net/polite-client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface TestServer {
  url: string;
  /** Requests received, in order. */
  log: { path: string; at: number; headers: http.IncomingHttpHeaders }[];
  inFlight: number;
  peakInFlight: number;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function startServer(handler: Handler): Promise<TestServer> {
  const s: TestServer = { url: '', log: [], inFlight: 0, peakInFlight: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    s.log.push({ path: req.url ?? '', at: performance.now(), headers: req.headers });
    s.inFlight++;
    s.peakInFlight = Math.max(s.peakInFlight, s.inFlight);
    let done = false;
    const finish = (): void => {
      if (!done) s.inFlight--;
      done = true;
    };
    res.on('finish', finish);
    res.on('close', finish);
    handler(req, res, s.log.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  cleanups.push(s.close);
  return s;
}

function client(o: Partial<PoliteClientOptions> & { baseUrl: string }): PoliteClient {
  const c = new PoliteClient({
    perMinute: 0,
    concurrency: 4,
    timeoutMs: 2000,
    baseBackoffMs: 10,
    maxBackoffMs: 50,
    clock: new FakeClock(Date.now()),
    random: () => 0,
    ...o,
  });
  cleanups.push(() => c.close());
  return c;
}

const send = (res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
};

const AUTH_WALL = '<html><body><form class="join-form">Join LinkedIn</form> authwall</body></html>';
const isBlocked = (r: { body: string }): boolean => r.body.includes('authwall');

describe('PoliteClient against a local server', () => {
  it('429 with Retry-After, 429 without, then 200: succeeds on the third attempt, honouring Retry-After', async () => {
    const srv = await startServer((_req, res, n) => {
      if (n === 1) send(res, 429, 'slow down', { 'retry-after': '2' });
      else if (n === 2) send(res, 429, 'slow down');
      else send(res, 200, '<ul><li>job</li></ul>');
    });
    const clock = new FakeClock(Date.now());
    const events: PoliteEvent[] = [];
    const c = client({
      baseUrl: srv.url,
      clock,
      baseBackoffMs: 100,
      maxBackoffMs: 1000,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
    });
    const res = await c.get('/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=dev&start=0');
    expect(res.status).toBe(200);
    expect(res.body).toBe('<ul><li>job</li></ul>');
    expect(res.url).toBe(`${srv.url}/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=dev&start=0`);
    expect(res.headers['content-type']).toContain('text/html');
    expect(srv.log).toHaveLength(3);
    expect(clock.sleeps).toEqual([2000, 100]); // Retry-After: 2 s; then the jittered backoff (0.5 × 100 × 2¹)
    expect(events.map((e) => [e.type, e.status, e.attempt, e.waitMs])).toEqual([
      ['retry', 429, 1, 2000],
      ['retry', 429, 2, 100],
    ]);
    expect(c.stats).toMatchObject({ requests: 3, retries: 2, failures: 0 });
  });

  it('Retry-After as an HTTP date is honoured', async () => {
    const clock = new FakeClock(Date.parse('2030-06-01T12:00:00Z'));
    const srv = await startServer((_req, res, n) => {
      if (n === 1) send(res, 503, 'down', { 'retry-after': 'Sat, 01 Jun 2030 12:00:05 GMT' });
      else send(res, 200, 'ok');
    });
    const c = client({ baseUrl: srv.url, clock });
    expect((await c.get('/x')).status).toBe(200);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('a 503 storm exhausts the retries and throws HttpError', async () => {
    const srv = await startServer((_req, res) => send(res, 503, 'unavailable'));
    const clock = new FakeClock(Date.now());
    const c = client({
      baseUrl: srv.url,
      clock,
      maxRetries: 3,
      baseBackoffMs: 1000,
      maxBackoffMs: 5000,
      random: () => 0.999,
    });
    const err = await c.get('/jobs-guest/jobs/api/jobPosting/4012345678').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 503, url: `${srv.url}/jobs-guest/jobs/api/jobPosting/4012345678` });
    expect(srv.log).toHaveLength(4);
    expect(clock.sleeps).toEqual([999, 1998, 3996]);
    expect(c.stats).toEqual({ requests: 4, retries: 3, failures: 1, blocked: 0 });
    expect(c.breakerOpen).toBe(false); // 5xx is a fault, not a refusal
  });

  it('a hanging request times out and is retried', async () => {
    const srv = await startServer((_req, res, n) => {
      if (n === 1) return; // never answers
      send(res, 200, 'finally');
    });
    const events: PoliteEvent[] = [];
    const c = client({ baseUrl: srv.url, timeoutMs: 400, onEvent: (e) => events.push(e) });
    const t0 = Date.now();
    const res = await c.get('/slow');
    expect(res.body).toBe('finally');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    expect(srv.log).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'retry', attempt: 1, error: 'timed out after 400 ms' });
  });

  it('a server that never answers ends in HttpError with no status', async () => {
    const srv = await startServer(() => {});
    const c = client({ baseUrl: srv.url, timeoutMs: 300, maxRetries: 2 });
    const err = await c.get('/hang').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: null });
    expect((err as Error).message).toContain('timed out');
    expect(srv.log).toHaveLength(3);
  });

  it('network errors (connection refused) are retried, then reported', async () => {
    const srv = await startServer(() => {});
    const url = srv.url;
    await srv.close();
    const c = client({ baseUrl: url, maxRetries: 2 });
    const err = await c.get('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(c.stats).toMatchObject({ requests: 3, retries: 2, failures: 1 });
  });

  it('404 and other non-retryable responses are returned, not retried', async () => {
    const srv = await startServer((req, res) => send(res, req.url === '/gone' ? 404 : 403, 'nope'));
    const c = client({ baseUrl: srv.url });
    expect((await c.get('/gone')).status).toBe(404);
    expect((await c.get('/forbidden')).status).toBe(403);
    expect(srv.log).toHaveLength(2);
    expect(c.stats.retries).toBe(0);
  });

  it('follows redirects and reports the final URL', async () => {
    const srv = await startServer((req, res) => {
      if (req.url === '/jobs/view/1') send(res, 302, '', { location: '/authwall?trk=x' });
      else send(res, 200, AUTH_WALL);
    });
    const c = client({ baseUrl: srv.url });
    const res = await c.get('/jobs/view/1');
    expect(res.url).toBe(`${srv.url}/authwall?trk=x`);
  });

  it('sends a realistic browser user agent', async () => {
    const srv = await startServer((_req, res) => send(res, 200, 'ok'));
    const c = client({ baseUrl: srv.url });
    await c.get('/');
    expect(srv.log[0]?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).toMatch(/^Mozilla\/5\.0 \(Windows NT 10\.0; Win64; x64\).*Chrome\/\d+/);
    expect(srv.log[0]?.headers['accept-language']).toBeTruthy();
  });

  it('auth-wall pages open the breaker after the threshold; no further request reaches the server', async () => {
    const srv = await startServer((req, res) => send(res, 200, req.url === '/ok' ? 'a job' : AUTH_WALL));
    const events: PoliteEvent[] = [];
    const c = client({ baseUrl: srv.url, isBlocked, breakerThreshold: 3, onEvent: (e) => events.push(e) });
    // blocked, blocked, success (resets), then three in a row
    await c.get('/b1');
    await c.get('/b2');
    await c.get('/ok');
    expect(c.breakerOpen).toBe(false);
    for (const p of ['/b3', '/b4', '/b5']) {
      const res = await c.get(p); // blocked pages are handed back, not retried
      expect(isBlocked(res)).toBe(true);
    }
    expect(c.breakerOpen).toBe(true);
    expect(srv.log).toHaveLength(6);
    await expect(c.get('/ok')).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(c.get('/b6')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(srv.log).toHaveLength(6);
    expect(events.filter((e) => e.type === 'blocked')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'circuit-open')).toEqual([
      { type: 'circuit-open', url: `${srv.url}/b5` },
    ]);
    expect(c.stats).toMatchObject({ requests: 6, retries: 0, blocked: 5 });
  });

  it('requests queued behind the gate do not go out once the breaker opens', async () => {
    const srv = await startServer((_req, res) => setTimeout(() => send(res, 200, AUTH_WALL), 30));
    const c = client({ baseUrl: srv.url, isBlocked, breakerThreshold: 2, concurrency: 2 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => c.get(`/p${i}`)));
    // at most threshold + concurrency − 1 requests: the ones already on the wire when the breaker opened
    expect(srv.log.length).toBeLessThanOrEqual(3);
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof CircuitOpenError);
    expect(refused).toHaveLength(10 - srv.log.length);
    expect(c.stats.requests).toBe(srv.log.length);
  });

  it('429s that exhaust the retries count toward the breaker', async () => {
    const srv = await startServer((_req, res) => send(res, 429, 'too many'));
    const c = client({ baseUrl: srv.url, maxRetries: 1, breakerThreshold: 2 });
    await expect(c.get('/a')).rejects.toBeInstanceOf(HttpError);
    expect(c.breakerOpen).toBe(false);
    await expect(c.get('/b')).rejects.toBeInstanceOf(HttpError);
    expect(c.breakerOpen).toBe(true);
    await expect(c.get('/c')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(srv.log).toHaveLength(4);
  });

  it('never has more requests in flight than the concurrency limit', async () => {
    const srv = await startServer((_req, res) => setTimeout(() => send(res, 200, 'ok'), 40));
    const c = client({ baseUrl: srv.url, concurrency: 3 });
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => c.get(`/job/${i}`)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(srv.log).toHaveLength(12);
    expect(srv.peakInFlight).toBe(3);
  });

  it('retries go through the same gate: concurrency holds under a 503 storm too', async () => {
    const srv = await startServer((_req, res, n) => setTimeout(() => send(res, n % 2 ? 503 : 200, 'x'), 20));
    const c = client({ baseUrl: srv.url, concurrency: 2, maxRetries: 10 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.get(`/r/${i}`)));
    expect(srv.peakInFlight).toBeLessThanOrEqual(2);
    expect(c.stats.retries).toBeGreaterThan(0);
    expect(c.stats.requests).toBe(srv.log.length);
  });

  it('perMinute=600 burst 2: 12 requests stay within the rate (real clock, server-side timestamps)', async () => {
    const srv = await startServer((_req, res) => send(res, 200, 'ok'));
    const c = new PoliteClient({ baseUrl: srv.url, perMinute: 600, burst: 2, concurrency: 4 }); // real clock, real jitter
    cleanups.push(() => c.close());
    await Promise.all(Array.from({ length: 12 }, (_, i) => c.get(`/q/${i}`)));
    const at = srv.log.map((e) => e.at).sort((a, b) => a - b);
    expect(at).toHaveLength(12);
    // in any window [at[i], at[j]]: at most burst + elapsed × rate requests (a few ms of slack for timers)
    for (let i = 0; i < at.length; i++) {
      for (let j = i; j < at.length; j++) {
        const elapsed = (at[j] as number) - (at[i] as number);
        expect(j - i + 1).toBeLessThanOrEqual(2 + (elapsed + 15) / 100);
      }
    }
    const total = (at[11] as number) - (at[0] as number);
    expect(total).toBeGreaterThanOrEqual(985); // 10 requests beyond the burst, 100 ms apart
    expect(total).toBeLessThan(3000);
  });

  it('goes through the proxy when proxyUrl is set', async () => {
    const target = await startServer((req, res) => send(res, 200, `hello ${req.url}`));
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      // absolute-form forwarding (proxyTunnel: false style)
      seen.push(`${req.method} ${req.url}`);
      const up = http.request(req.url ?? '', { method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    proxy.on('connect', (req: IncomingMessage, socket: net.Socket, head: Buffer) => {
      seen.push(`${req.method} ${req.url}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          proxy.closeAllConnections();
          proxy.close(() => r());
        }),
    );
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const c = client({ baseUrl: target.url, proxyUrl });
    const res = await c.get('/via-proxy?x=1');
    expect(res.body).toBe('hello /via-proxy?x=1');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain(new URL(target.url).host);
    expect(target.log).toHaveLength(1);
  });

  it('refuses absolute URLs to another origin, accepts its own', async () => {
    const srv = await startServer((_req, res) => send(res, 200, 'ok'));
    const c = client({ baseUrl: srv.url });
    await expect(c.get('https://evil.example/x')).rejects.toThrow(/refusing/);
    await expect(c.get('//evil.example/x')).rejects.toThrow(/refusing/);
    expect((await c.get(`${srv.url}/same`)).status).toBe(200);
    expect(srv.log.map((e) => e.path)).toEqual(['/same']);
  });

  describe('the caller’s signal (Ctrl-C)', () => {
    it('aborts an in-flight request at once', async () => {
      const srv = await startServer(() => {});
      const c = client({ baseUrl: srv.url, timeoutMs: 10_000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const t0 = Date.now();
      await expect(c.get('/hang', ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(c.stats.retries).toBe(0);
    });

    it('aborts a backoff wait at once, with the signal’s reason', async () => {
      const srv = await startServer((_req, res) => send(res, 503, 'down', { 'retry-after': '30' }));
      const c = new PoliteClient({ baseUrl: srv.url, perMinute: 0, concurrency: 1 }); // real clock
      cleanups.push(() => c.close());
      const ac = new AbortController();
      const reason = new Error('interrupted');
      setTimeout(() => ac.abort(reason), 100);
      const t0 = Date.now();
      await expect(c.get('/x', ac.signal)).rejects.toBe(reason);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(srv.log).toHaveLength(1);
    });

    it('aborts a rate-limit wait and a concurrency wait at once', async () => {
      const srv = await startServer((_req, res) => setTimeout(() => send(res, 200, 'ok'), 300));
      const c = new PoliteClient({ baseUrl: srv.url, perMinute: 1, burst: 1, concurrency: 1 }); // real clock
      cleanups.push(() => c.close());
      const first = c.get('/1');
      const ac = new AbortController();
      const second = c.get('/2', ac.signal); // waits for the slot, then for a token a minute away
      const third = c.get('/3', ac.signal);
      setTimeout(() => ac.abort(), 400);
      const t0 = Date.now();
      await expect(second).rejects.toMatchObject({ name: 'AbortError' });
      await expect(third).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - t0).toBeLessThan(1000);
      expect((await first).status).toBe(200);
      expect(srv.log).toHaveLength(1);
    });

    it('an already-aborted signal sends nothing', async () => {
      const srv = await startServer((_req, res) => send(res, 200, 'ok'));
      const c = client({ baseUrl: srv.url });
      await expect(c.get('/x', AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
      expect(srv.log).toHaveLength(0);
    });
  });
});
