import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { boundedRequest } from './bounded-request.js';
import { abortReason, systemClock, throwIfAborted, type Clock } from '../core/clock.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { CircuitOpenError, HttpError, ResponseRefusedError } from './errors.js';
import { DEFAULT_BURST, RateLimiter } from './rate-limiter.js';
import { isRetryableStatus, retryDelay } from './retry.js';
import { Semaphore } from './semaphore.js';

export { CircuitOpenError, HttpError, ResponseRefusedError } from './errors.js';

export interface PoliteResponse {
  status: number;
  body: string;
  /** The final URL, after redirects. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export type PoliteEvent = {
  type: 'retry' | 'blocked' | 'circuit-open';
  url: string;
  status?: number;
  /** 1-based number of the attempt that just failed (retry) or was blocked. */
  attempt?: number;
  /** The wait before the next attempt (retry). */
  waitMs?: number;
  /** Why the attempt failed when there was no response (retry). */
  error?: string;
};

export interface PoliteClientOptions {
  /** DJS_LINKEDIN_URL, e.g. https://www.linkedin.com or http://127.0.0.1:PORT. */
  baseUrl: string;
  /** Requests per minute (DJS_RATE_LIMIT); 0 = off. Every attempt, retries included, counts. */
  perMinute: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** Rate limiter bucket size. Default 3. */
  burst?: number;
  /** Random extra wait added to rate-limit waits. Default: a quarter of the interval, at most 1 s. */
  jitterMs?: number;
  /** Per attempt, body included. Default 15000. */
  timeoutMs?: number;
  /** The largest page accepted, as it arrives and after decompression. Default 4 MB. */
  maxResponseBytes?: number;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** Default 1000. Backoff is exponential with full jitter. */
  baseBackoffMs?: number;
  /** Ceiling of the exponential backoff. Default 30000. */
  maxBackoffMs?: number;
  /** Ceiling of a server-requested Retry-After. Default 60000. */
  maxRetryAfterMs?: number;
  /** HTTPS_PROXY / https_proxy; every request goes through it when set. */
  proxyUrl?: string | null;
  userAgent?: string;
  clock?: Clock;
  random?: () => number;
  /** Auth-wall detection. A blocked response is returned, not retried, and counts toward the breaker. */
  isBlocked?: (res: PoliteResponse) => boolean;
  /** Consecutive blocked (or 429-exhausted) outcomes that open the breaker. Default 3. */
  breakerThreshold?: number;
  /** For --verbose logs. */
  onEvent?: (e: PoliteEvent) => void;
}

export interface PoliteStats {
  /** Attempts sent, retries included. */
  requests: number;
  retries: number;
  /** get() calls that ended in HttpError. */
  failures: number;
  /** Responses judged blocked. */
  blocked: number;
}

export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_BREAKER_THRESHOLD = 3;
/** A LinkedIn page is well under 1 MB; a few MB leave room for a long description and none for a gzip bomb. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

type Outcome = { res: PoliteResponse } | { error: unknown; timedOut: boolean };

/**
 * The one way djs talks to LinkedIn: rate limited, bounded concurrency, per-attempt timeout, retries with
 * backoff on 429/5xx/network errors/timeouts, and a circuit breaker for when the site keeps blocking us.
 */
export class PoliteClient {
  readonly #base: URL;
  readonly #limiter: RateLimiter;
  readonly #gate: Semaphore;
  readonly #breaker: CircuitBreaker;
  readonly #dispatcher: Dispatcher;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #maxRetries: number;
  readonly #baseBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #headers: Record<string, string>;
  readonly #isBlocked: (res: PoliteResponse) => boolean;
  readonly #onEvent: (e: PoliteEvent) => void;
  readonly #stats: PoliteStats = { requests: 0, retries: 0, failures: 0, blocked: 0 };

  constructor(o: PoliteClientOptions) {
    this.#base = new URL(o.baseUrl);
    if (this.#base.protocol !== 'http:' && this.#base.protocol !== 'https:') {
      throw new TypeError(`base URL must be http(s), got ${o.baseUrl}`);
    }
    this.#clock = o.clock ?? systemClock;
    this.#random = o.random ?? Math.random;
    const intervalMs = o.perMinute > 0 ? 60_000 / o.perMinute : 0;
    this.#limiter = new RateLimiter({
      perMinute: o.perMinute,
      burst: o.burst ?? DEFAULT_BURST,
      jitterMs: o.jitterMs ?? Math.min(1000, intervalMs / 4),
      clock: this.#clock,
      random: this.#random,
    });
    this.#gate = new Semaphore(o.concurrency);
    this.#breaker = new CircuitBreaker({ threshold: o.breakerThreshold ?? DEFAULT_BREAKER_THRESHOLD });
    this.#timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxResponseBytes = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#maxRetries = Math.max(0, Math.floor(o.maxRetries ?? DEFAULT_MAX_RETRIES));
    this.#baseBackoffMs = o.baseBackoffMs ?? 1000;
    this.#maxBackoffMs = o.maxBackoffMs ?? 30_000;
    this.#maxRetryAfterMs = o.maxRetryAfterMs ?? 60_000;
    this.#isBlocked = o.isBlocked ?? (() => false);
    this.#onEvent = o.onEvent ?? (() => {});
    this.#headers = {
      'user-agent': o.userAgent ?? DEFAULT_USER_AGENT,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'en-US,en;q=0.9',
      'accept-encoding': 'gzip, deflate, br',
    };
    this.#dispatcher = o.proxyUrl ? new ProxyAgent(o.proxyUrl) : new Agent();
  }

  get breakerOpen(): boolean {
    return this.#breaker.isOpen;
  }

  get stats(): PoliteStats {
    return { ...this.#stats };
  }

  /** The absolute URL for a path and query; refuses anything outside the base URL's origin. */
  resolve(pathAndQuery: string): URL {
    const url = new URL(pathAndQuery, this.#base);
    if (url.origin !== this.#base.origin) {
      throw new TypeError(`refusing to request ${url.href}: not on ${this.#base.origin}`);
    }
    return url;
  }

  /**
   * GET a page (`options.headers` add to or replace the client's own: a JSON `accept`, `if-none-match`).
   * Returns every response that is not retryable (2xx, 3xx, 404, blocked pages …) for the caller to
   * judge. Throws HttpError once retries on 429/5xx/network errors/timeouts are exhausted, ResponseRefusedError
   * at once (no retry) for a body over the cap or a redirect off LinkedIn's origin, CircuitOpenError when the
   * breaker is open (without making a request), and the signal's reason when `signal` aborts.
   */
  async get(
    pathAndQuery: string,
    signal?: AbortSignal,
    options: { headers?: Record<string, string> } = {},
  ): Promise<PoliteResponse> {
    const url = this.resolve(pathAndQuery).href;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(signal);
      this.#assertClosed();
      let outcome: Outcome;
      const release = await this.#gate.acquire(signal);
      try {
        await this.#limiter.acquire(signal);
        this.#assertClosed(); // it may have opened while we waited for a slot or a token
        this.#stats.requests++;
        outcome = await this.#attempt(url, signal, options.headers);
      } finally {
        release();
      }

      const n = attempt + 1;
      if ('res' in outcome) {
        const res = outcome.res;
        if (this.#isBlocked(res)) {
          this.#stats.blocked++;
          this.#onEvent({ type: 'blocked', url, status: res.status, attempt: n });
          this.#recordBlocked(url);
          return res;
        }
        if (!isRetryableStatus(res.status)) {
          this.#breaker.recordSuccess();
          return res;
        }
        if (attempt >= this.#maxRetries) {
          this.#stats.failures++;
          if (res.status === 429) this.#recordBlocked(url);
          throw new HttpError(`GET ${url} failed: HTTP ${res.status} after ${n} attempts.`, res.status, url);
        }
        const waitMs = this.#delay(attempt, res.headers['retry-after']);
        this.#onEvent({ type: 'retry', url, status: res.status, attempt: n, waitMs });
        this.#stats.retries++;
        await this.#clock.sleep(waitMs, signal);
      } else if (outcome.error instanceof ResponseRefusedError) {
        this.#stats.failures++;
        throw outcome.error;
      } else {
        const reason = outcome.timedOut
          ? `timed out after ${this.#timeoutMs} ms`
          : describeError(outcome.error);
        if (attempt >= this.#maxRetries) {
          this.#stats.failures++;
          throw new HttpError(`GET ${url} failed: ${reason} (after ${n} attempts).`, null, url, {
            cause: outcome.error,
          });
        }
        const waitMs = this.#delay(attempt, undefined);
        this.#onEvent({ type: 'retry', url, attempt: n, waitMs, error: reason });
        this.#stats.retries++;
        await this.#clock.sleep(waitMs, signal);
      }
    }
  }

  /** Closes the connection pool (pending requests finish first). */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  #assertClosed(): void {
    if (this.#breaker.isOpen) throw new CircuitOpenError();
  }

  #recordBlocked(url: string): void {
    const wasOpen = this.#breaker.isOpen;
    this.#breaker.recordBlocked();
    if (!wasOpen && this.#breaker.isOpen) this.#onEvent({ type: 'circuit-open', url });
  }

  #delay(attempt: number, retryAfter: string | undefined): number {
    return retryDelay(attempt, retryAfter, {
      baseMs: this.#baseBackoffMs,
      maxMs: this.#maxBackoffMs,
      maxRetryAfterMs: this.#maxRetryAfterMs,
      random: this.#random,
      nowMs: this.#clock.now().getTime(),
    });
  }

  /** One attempt under its own timeout, tied to the caller's signal. Throws only when the caller aborts. */
  async #attempt(
    url: string,
    signal: AbortSignal | undefined,
    headers: Record<string, string> | undefined,
  ): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`timed out after ${this.#timeoutMs} ms`, 'TimeoutError'));
    }, this.#timeoutMs);
    const onAbort = (): void => controller.abort(signal ? abortReason(signal) : undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await boundedRequest(url, {
        dispatcher: this.#dispatcher,
        headers: headers ? { ...this.#headers, ...headers } : this.#headers,
        signal: controller.signal,
        maxBytes: this.#maxResponseBytes,
        allowedOrigins: [this.#base.origin],
      });
      return { res: { ...res, body: new TextDecoder().decode(res.body) } };
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      return { error, timedOut };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
