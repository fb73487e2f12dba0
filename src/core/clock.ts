/** Time is injected so that lockouts, session expiry and relative dates can be tested without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
