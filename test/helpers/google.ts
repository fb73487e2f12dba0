import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGoogle } from '../../src/fakes/google-server.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/fakes/google-server.js';
import { REPO_ROOT } from './cli.js';

/** A $BROWSER that approves at once (follows the consent URL and the redirect). */
export const AUTO_APPROVE_BROWSER = `${process.execPath} ${join(REPO_ROOT, 'test', 'helpers', 'follow-url.mjs')}`;

/** What points djs at the fake Google: the user's own OAuth client and the endpoint overrides (SPEC §3). */
export function googleEnv(fake: FakeGoogle): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: DEFAULT_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
    DJS_GOOGLE_AUTH_URL: fake.authUrl,
    DJS_GOOGLE_TOKEN_URL: fake.tokenUrl,
    DJS_GOOGLE_REVOKE_URL: fake.revokeUrl,
    DJS_GOOGLE_API_URL: fake.apiUrl,
  };
}

export function databaseIdOf(home: string): string {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string }).value;
  } finally {
    db.close();
  }
}

export function googleRows(home: string): Array<Record<string, unknown>> {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM user_google_credentials').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

/** The file SecretStore's entries (DJS_SECRET_STORE=file). */
export function fileSecrets(home: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(home, 'secrets.json'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** Every byte of the database and its WAL, to prove a secret is not in there. */
export function databaseBytes(home: string): string {
  return ['djs.db', 'djs.db-wal']
    .map((file) => {
      try {
        return readFileSync(join(home, file)).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');
}
