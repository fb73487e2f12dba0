import { setting, type Environment } from '../core/settings.js';

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

export function googleEndpoints(env: Environment): GoogleEndpoints {
  return {
    authUrl: setting(env, 'DJS_GOOGLE_AUTH_URL'),
    tokenUrl: setting(env, 'DJS_GOOGLE_TOKEN_URL'),
    revokeUrl: setting(env, 'DJS_GOOGLE_REVOKE_URL'),
    apiUrl: setting(env, 'DJS_GOOGLE_API_URL'),
  };
}
