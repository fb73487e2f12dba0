import { setting, type Environment } from '../../core/settings.js';
import { PoliteClient, type PoliteEvent, type PoliteResponse } from '../../net/polite-client.js';
import { looksLikeAuthWall } from './auth-wall.js';

/** How djs reaches LinkedIn (SPEC §3), the one reading of it that update-db and doctor share. */
export interface LinkedInClientSettings {
  /** The origin of DJS_LINKEDIN_URL. */
  baseUrl: string;
  perMinute: number;
  timeoutMs: number;
  proxyUrl: string | null;
}

/** Parsed up front, so a typo fails (exit 2, naming the variable) before any request. */
export function linkedInClientSettings(env: Environment): LinkedInClientSettings {
  return {
    baseUrl: new URL(setting(env, 'DJS_LINKEDIN_URL')).origin,
    perMinute: setting(env, 'DJS_RATE_LIMIT'),
    timeoutMs: setting(env, 'DJS_LINKEDIN_TIMEOUT_MS'),
    proxyUrl: setting(env, 'HTTPS_PROXY') ?? null,
  };
}

/** LinkedIn answered with its sign-in wall: the page itself, or a redirect that ended on it. */
export function isAuthWall(response: PoliteResponse): boolean {
  return (
    looksLikeAuthWall(response.body) || /\/(authwall|login|checkpoint)\b/.test(new URL(response.url).pathname)
  );
}

/** The polite client for LinkedIn: its rate, timeout and proxy from the settings; the auth wall trips the breaker. */
export function linkedInClient(
  settings: LinkedInClientSettings,
  options: { concurrency: number; onEvent: (event: PoliteEvent) => void },
): PoliteClient {
  return new PoliteClient({
    baseUrl: settings.baseUrl,
    perMinute: settings.perMinute,
    concurrency: options.concurrency,
    timeoutMs: settings.timeoutMs,
    proxyUrl: settings.proxyUrl,
    isBlocked: isAuthWall,
    onEvent: options.onEvent,
  });
}
