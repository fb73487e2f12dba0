/** 429 and 5xx are worth retrying; every other status is the caller's to judge. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP date (a past date gives 0).
 * Returns null when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  if (!/[a-z]/i.test(v)) return null; // e.g. "-5": not a date either
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

/** Exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs · 2^attempt)); attempt counts from 0. */
export function backoffDelay(attempt: number, o: BackoffOptions): number {
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(o.random() * ceiling);
}

export interface RetryDelayOptions extends BackoffOptions {
  /** Upper bound on a server-requested wait. */
  maxRetryAfterMs: number;
  nowMs: number;
}

/**
 * The wait before retry number `attempt + 1`. A `Retry-After` is honoured (never retry sooner than asked, up to
 * `maxRetryAfterMs`); without one, the jittered exponential backoff applies.
 */
export function retryDelay(
  attempt: number,
  retryAfter: string | null | undefined,
  o: RetryDelayOptions,
): number {
  const backoff = backoffDelay(attempt, o);
  const asked = parseRetryAfter(retryAfter, o.nowMs);
  if (asked == null) return backoff;
  return Math.min(o.maxRetryAfterMs, Math.max(asked, backoff));
}
