import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/errors.js';
import { CircuitBreaker, CircuitOpenError } from '../../src/net/circuit-breaker.js';
import { HttpError } from '../../src/net/errors.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay } from '../../src/net/retry.js';

describe('retry math', () => {
  it('retries 429 and 5xx only', () => {
    for (const s of [429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 301, 400, 401, 403, 404, 410, 999]) expect(isRetryableStatus(s)).toBe(false);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0); // in the past
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });

  it('backs off exponentially with full jitter, capped', () => {
    const o = { baseMs: 1000, maxMs: 10_000 };
    const top = (attempt: number): number => backoffDelay(attempt, { ...o, random: () => 0.999999 });
    expect([0, 1, 2, 3, 4, 5].map(top)).toEqual([999, 1999, 3999, 7999, 9999, 9999]);
    expect(backoffDelay(3, { ...o, random: () => 0 })).toBe(0);
    expect(backoffDelay(2, { ...o, random: () => 0.5 })).toBe(2000);
  });

  it('honours Retry-After: never sooner than asked, never longer than the cap', () => {
    const base = { baseMs: 100, maxMs: 1000, maxRetryAfterMs: 60_000, nowMs: 0 };
    expect(retryDelay(0, '5', { ...base, random: () => 0.5 })).toBe(5000);
    expect(retryDelay(0, '3600', { ...base, random: () => 0.5 })).toBe(60_000);
    expect(retryDelay(0, '0', { ...base, random: () => 0.5 })).toBe(50); // the backoff still applies
    expect(retryDelay(2, null, { ...base, random: () => 0.5 })).toBe(200);
    expect(retryDelay(2, 'garbage', { ...base, random: () => 0.5 })).toBe(200);
  });
});

describe('CircuitBreaker', () => {
  it('opens after `threshold` consecutive blocked outcomes; a success resets the count', () => {
    const b = new CircuitBreaker({ threshold: 3 });
    b.recordBlocked();
    b.recordBlocked();
    b.recordSuccess();
    expect(b.consecutiveBlocked).toBe(0);
    b.recordBlocked();
    b.recordBlocked();
    expect(b.isOpen).toBe(false);
    b.recordBlocked();
    expect(b.isOpen).toBe(true);
  });

  it('stays open once open', () => {
    const b = new CircuitBreaker({ threshold: 1 });
    b.recordBlocked();
    b.recordSuccess();
    expect(b.isOpen).toBe(true);
  });

  it('rejects a threshold below 1', () => {
    expect(() => new CircuitBreaker({ threshold: 0 })).toThrow(RangeError);
  });

  it('its errors carry the exit codes of SPEC §4', () => {
    const open = new CircuitOpenError();
    expect(open).toBeInstanceOf(Error);
    expect(open.exitCode).toBe(ExitCode.partial);
    expect(open.name).toBe('CircuitOpenError');
    const http = new HttpError('boom', 503, 'http://x/');
    expect(http).toMatchObject({
      status: 503,
      url: 'http://x/',
      exitCode: ExitCode.failure,
      name: 'HttpError',
    });
  });
});
