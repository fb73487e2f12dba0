import { readFileSync, rmSync } from 'node:fs';
import { writePrivateFileAtomic } from '../core/files.js';

/** The active session of one DJS_HOME: a JWT access token and an opaque refresh token. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

export type SessionFileState =
  { kind: 'absent' } | { kind: 'invalid' } | { kind: 'present'; tokens: SessionTokens };

export class SessionFile {
  constructor(readonly path: string) {}

  read(): SessionFileState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<SessionTokens>;
      if (typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string') {
        return {
          kind: 'present',
          tokens: { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken },
        };
      }
    } catch {
      // a damaged file is reported as invalid below
    }
    return { kind: 'invalid' };
  }

  write(tokens: SessionTokens): void {
    writePrivateFileAtomic(this.path, `${JSON.stringify({ version: 1, ...tokens }, null, 2)}\n`);
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }
}
