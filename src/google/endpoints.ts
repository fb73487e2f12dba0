import { UsageError } from '../core/errors.js';

/** Where Google's OAuth and API calls go (SPEC §3): Google's own hosts unless a test or the demo redirects them. */
export interface GoogleEndpoints {
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** rootUrl for the Sheets/Drive clients. */
  apiUrl: string;
}

/** Real spreadsheet ids are 44 characters of [A-Za-z0-9_-]; accept a sensible range of that alphabet. */
export const SPREADSHEET_ID = /^[A-Za-z0-9_-]{20,128}$/;

export const DRIVE_FILE_SCOPE = 'https://www.googleapis.com/auth/drive.file';

export function googleEndpoints(env: NodeJS.ProcessEnv): GoogleEndpoints {
  return {
    authUrl: url(env, 'DJS_GOOGLE_AUTH_URL', 'https://accounts.google.com/o/oauth2/v2/auth'),
    tokenUrl: url(env, 'DJS_GOOGLE_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
    revokeUrl: url(env, 'DJS_GOOGLE_REVOKE_URL', 'https://oauth2.googleapis.com/revoke'),
    apiUrl: url(env, 'DJS_GOOGLE_API_URL', 'https://sheets.googleapis.com/'),
  };
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim();
  if (!value) return fallback;
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return parsed.toString();
  } catch {
    // reported below
  }
  throw new UsageError(`${name} must be an http(s) URL, not "${value}".`);
}
