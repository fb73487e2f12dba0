import { readFileSync } from 'node:fs';
import { DjsError } from './errors.js';
import { writePrivateFileAtomic } from './files.js';

/** Non-secret settings kept in DJS_HOME/config.json. Secrets never go here. */
export interface DjsConfig {
  /** Path of the user's Google Desktop OAuth client file (client_secret_….json); the file itself stays where it is. */
  googleClientSecretFile?: string;
}

export function readConfig(path: string): DjsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const { googleClientSecretFile } = parsed as Record<string, unknown>;
      return typeof googleClientSecretFile === 'string' ? { googleClientSecretFile } : {};
    }
  } catch {
    // reported below
  }
  throw new DjsError(
    `The settings file ${path} is not valid JSON. Fix it or delete it (it holds no secrets).`,
  );
}

export function updateConfig(path: string, changes: Partial<DjsConfig>): DjsConfig {
  const next = { ...readConfig(path), ...changes };
  writePrivateFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
