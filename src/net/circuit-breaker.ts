export { CircuitOpenError } from './errors.js';

export interface CircuitBreakerOptions {
  /** Consecutive "blocked" outcomes that open the breaker. */
  threshold: number;
}

/**
 * Counts consecutive blocked outcomes; a success resets the count. Once open it stays open (a run that is being
 * refused stops asking; the next run starts with a fresh breaker).
 */
export class CircuitBreaker {
  readonly threshold: number;
  #consecutive = 0;
  #open = false;

  constructor(o: CircuitBreakerOptions) {
    if (!Number.isFinite(o.threshold) || o.threshold < 1) {
      throw new RangeError(`breaker threshold must be ≥ 1, got ${o.threshold}`);
    }
    this.threshold = Math.floor(o.threshold);
  }

  recordBlocked(): void {
    this.#consecutive++;
    if (this.#consecutive >= this.threshold) this.#open = true;
  }

  recordSuccess(): void {
    if (!this.#open) this.#consecutive = 0;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  get consecutiveBlocked(): number {
    return this.#consecutive;
  }
}
