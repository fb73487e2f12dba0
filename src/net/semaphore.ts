import { abortReason, throwIfAborted } from '../core/clock.js';

interface Waiter {
  grant: () => void;
}

/** Bounded concurrency: at most `limit` holders at a time, granted in FIFO order. */
export class Semaphore {
  readonly limit: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError(`concurrency must be ≥ 1, got ${limit}`);
    this.limit = Math.floor(limit);
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Resolves with a release function (safe to call twice) once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    throwIfAborted(signal);
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(abortReason(signal as AbortSignal));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      this.#queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next)
        next.grant(); // the slot passes straight to the next waiter
      else this.#active--;
    };
  }
}
