import { rmSync } from 'node:fs';
import { readPrivateFile, writePrivateFileAtomic, type Warn } from '../core/files.js';

/** The active session of one DJS_HOME: a JWT access token and an opaque refresh token. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

export type SessionFileState =
  { kind: 'absent' } | { kind: 'invalid' } | { kind: 'present'; tokens: SessionTokens };

export class SessionFile {
  /** `warn` is told when the file had to be made private again. */
  constructor(
    readonly path: string,
    private readonly warn: Warn = () => {},
  ) {}

  read(): SessionFileState {
    const text = readPrivateFile(this.path, this.warn);
    if (text === null) return { kind: 'absent' };
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
