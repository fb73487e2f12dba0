export { systemClock, FakeClock, abortReason, throwIfAborted, type Clock } from './clock.js';
export { RateLimiter, DEFAULT_BURST, type RateLimiterOptions } from './rate-limiter.js';
export { Semaphore } from './semaphore.js';
export { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export { CircuitOpenError, HttpError, ResponseRefusedError } from './errors.js';
export { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay } from './retry.js';
export {
  PoliteClient,
  DEFAULT_USER_AGENT,
  type PoliteClientOptions,
  type PoliteEvent,
  type PoliteResponse,
  type PoliteStats,
} from './polite-client.js';
