/**
 * Exit codes are the contract with scripts and cron (SPEC §4): the seed's HTTP statuses, mapped.
 */
export const ExitCode = {
  ok: 0,
  failure: 1, // 500: network, Google, database
  usage: 2, // 400: invalid input or usage
  partial: 3, // finished, but part of the work failed
  auth: 4, // 401: not logged in, wrong credentials, locked, expired, Google link missing
  locked: 75, // EX_TEMPFAIL: another update-db holds the lock
  interrupted: 130, // Ctrl-C
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: its message is one or two plain sentences saying what happened and what to do. */
export class DjsError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UsageError extends DjsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
  }
}

export class AuthError extends DjsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.auth, options);
  }
}

export class LockHeldError extends DjsError {
  constructor(message: string) {
    super(message, ExitCode.locked);
  }
}

export class InterruptedError extends DjsError {
  constructor(message = 'Interrupted; the work done so far is kept.') {
    super(message, ExitCode.interrupted);
  }
}

export const notLoggedIn = (): AuthError =>
  new AuthError('You are not logged in. Run `djs login` (or `djs register` to create an account).');
