import { DjsError, ExitCode } from '../core/errors.js';

/** A request that kept failing (429, 5xx, network error, timeout) until the retries ran out. */
export class HttpError extends DjsError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, ExitCode.failure, options);
  }
}

/** The circuit breaker is open: the site keeps refusing us, so no more requests are made (SPEC §7: exit 3). */
export class CircuitOpenError extends DjsError {
  constructor(
    message = 'LinkedIn keeps refusing our requests, so djs stopped asking. Everything collected so far is saved; try again later.',
  ) {
    super(message, ExitCode.partial);
  }
}

/**
 * A response djs will not take: a body over the size cap, or a redirect off the expected origin. Asking again
 * would get the same answer, so it is never retried.
 */
export class ResponseRefusedError extends HttpError {
  /** For libraries that read `code` (gaxios copies it onto its own error). */
  readonly code = 'ERR_DJS_RESPONSE_REFUSED';
}
