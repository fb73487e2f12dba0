/**
 * Time, injected everywhere djs reads or waits for it: `now()` for the dates it writes (lockouts, session
 * expiry, relative dates) and `sleep()` for every wait (rate limiting, backoff), so that tests swap in a
 * FakeClock and run instantly.
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`; rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The reason an aborted signal carries, or a standard AbortError when it carries none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      if (!(ms > 0)) {
        resolve();
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/** A clock for tests: it moves only when told to, and `sleep` records the wait, advances by it and resolves at once. */
export class FakeClock implements Clock {
  /** Every wait requested, in order. */
  readonly sleeps: number[] = [];

  /** `time`: milliseconds since the epoch. */
  constructor(public time = 0) {}

  now(): Date {
    return new Date(this.time);
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
  }

  advance(ms: number): void {
    this.time += ms;
  }

  get totalSlept(): number {
    return this.sleeps.reduce((a, b) => a + Math.max(0, b), 0);
  }
}
