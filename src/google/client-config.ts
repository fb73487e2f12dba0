import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { readConfig } from '../core/config.js';
import { AuthError, UsageError } from '../core/errors.js';
import { setting, type Environment } from '../core/settings.js';

export interface GoogleClientConfig {
  clientId: string;
  clientSecret: string;
  /** Where the settings came from, for messages and `doctor`. */
  source: string;
}

export const HOW_TO_CREATE_CLIENT = [
  'djs needs your own Google OAuth client of type "Desktop app":',
  '  1. In https://console.cloud.google.com create (or pick) a project and enable the Google Sheets API and the Google Drive API.',
  '  2. APIs & Services → OAuth consent screen: set it up (External), and publish it — in "Testing" status refresh tokens expire after 7 days.',
  '  3. APIs & Services → Credentials → Create credentials → OAuth client ID → Application type "Desktop app" → Download JSON.',
  '  4. Run `djs login --google --client-secret-file ~/Downloads/client_secret_….json`',
  '     (or set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET).',
].join('\n');

// Google's download for a Desktop client: {"installed": {...}}; a Web client file has "web" instead.
const clientFileSchema = z.object({
  installed: z.object({
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
  }),
});

/** Reads a downloaded client_secret.json, explaining exactly what is wrong with a bad one. */
export function readClientSecretFile(path: string): GoogleClientConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `The client secret file ${absolute} does not exist.`
        : `Cannot read the client secret file ${absolute} (${code}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(
      `The client secret file ${absolute} is not JSON. Download it again from the Google Cloud console.`,
    );
  }
  if (json && typeof json === 'object' && 'web' in json) {
    throw new UsageError(
      `${absolute} is for a "Web application" client; djs needs a "Desktop app" OAuth client (Create credentials → OAuth client ID → Desktop app).`,
    );
  }
  const parsed = clientFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(
      `${absolute} is not a Google OAuth client file (expected {"installed": {"client_id", "client_secret", …}}).`,
    );
  }
  return {
    clientId: parsed.data.installed.client_id,
    clientSecret: parsed.data.installed.client_secret,
    source: absolute,
  };
}

/**
 * The user's Google OAuth client: GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET win, then the client file
 * recorded in config.json. Without either, exit 4 with the steps to create one.
 */
export function resolveClientConfig(env: Environment, configPath: string): GoogleClientConfig {
  const id = setting(env, 'GOOGLE_CLIENT_ID');
  const secret = setting(env, 'GOOGLE_CLIENT_SECRET');
  if (id && secret)
    return { clientId: id, clientSecret: secret, source: 'GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET' };
  if (id || secret) throw new UsageError('Set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or neither.');
  const file = readConfig(configPath).googleClientSecretFile;
  if (file) return readClientSecretFile(file);
  throw new AuthError(`No Google OAuth client is configured.\n${HOW_TO_CREATE_CLIENT}`);
}
