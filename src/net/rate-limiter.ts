import { systemClock, throwIfAborted, type Clock } from '../core/clock.js';

export interface RateLimiterOptions {
  /** Sustained rate; 0 = unlimited (acquire never waits). */
  perMinute: number;
  /** Bucket size: how many requests may go at once after an idle spell. Default 3. */
  burst?: number;
  /** A random 0..jitterMs is added to every wait (and charged to the bucket, so the rate still holds). */
  jitterMs?: number;
  clock?: Clock;
  random?: () => number;
}

export const DEFAULT_BURST = 3;

/**
 * Token bucket. Callers reserve a token synchronously (the bucket may go into debt) and then sleep until their
 * reservation matures, so concurrent callers are served in arrival order without a queue. Over any window of
 * length W at most `burst + W * perMinute / 60000` acquisitions complete.
 */
export class RateLimiter {
  readonly #perMs: number;
  readonly #capacity: number;
  readonly #jitterMs: number;
  readonly #clock: Clock;
  readonly #random: () => number;
  #tokens: number;
  #last: number;

  constructor(o: RateLimiterOptions) {
    if (!Number.isFinite(o.perMinute) || o.perMinute < 0) {
      throw new RangeError(`rate limit must be a number of requests per minute ≥ 0, got ${o.perMinute}`);
    }
    const burst = o.burst ?? DEFAULT_BURST;
    if (!Number.isFinite(burst) || burst < 1) throw new RangeError(`burst must be ≥ 1, got ${burst}`);
    this.#perMs = o.perMinute / 60_000;
    this.#capacity = Math.floor(burst);
    this.#jitterMs = Math.max(0, o.jitterMs ?? 0);
    this.#clock = o.clock ?? systemClock;
    this.#random = o.random ?? Math.random;
    this.#tokens = this.#capacity;
    this.#last = this.#clock.now().getTime();
  }

  get unlimited(): boolean {
    return this.#perMs === 0;
  }

  /** Waits until one more request is allowed. Rejects with the signal's reason if it aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.unlimited) return;
    const now = this.#clock.now().getTime();
    this.#tokens = Math.min(this.#capacity, this.#tokens + Math.max(0, now - this.#last) * this.#perMs);
    this.#last = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    const jitter = this.#jitterMs > 0 ? this.#random() * this.#jitterMs : 0;
    const wait = -this.#tokens / this.#perMs + jitter;
    const charge = jitter * this.#perMs;
    this.#tokens -= charge;
    try {
      await this.#clock.sleep(wait, signal);
    } catch (err) {
      this.#tokens += 1 + charge; // the request never went: give its reservation back
      throw err;
    }
  }
}
