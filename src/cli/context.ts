import type { Readable } from 'node:stream';
import { systemClock, type Clock } from '../core/clock.js';
import { resolvePaths, type DjsPaths } from '../core/paths.js';
import { setting } from '../core/settings.js';
import type { Db } from '../db/database.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { Output, type TerminalStream } from './output.js';

export interface InputStream extends Readable {
  isTTY?: boolean;
}

export interface IOStreams {
  stdin: InputStream;
  stdout: TerminalStream;
  stderr: TerminalStream;
}

/**
 * The collaborators a caller hands in instead of the ones the environment picks: an in-process test builds
 * a Context around a temporary database, a FileSecretStore and a FakeClock. The servers djs talks to are
 * chosen by the env the Context is given (DJS_LINKEDIN_URL, the Google URLs), so a test points them at
 * the fakes in src/fakes/ through that env.
 */
export interface ContextOverrides {
  clock?: Clock;
  /** Opens the database on first use (default: the 0600 djs.db under DJS_HOME); the Context closes it. */
  openDb?: () => Db;
  secrets?: SecretStore;
}

/**
 * What every command gets handed (the GitHub CLI's factory): streams, environment, clock, paths, and
 * the database and SecretStore opened lazily on first use, so a command that needs neither pays for
 * neither. Tests swap the clock, the database and the secret store through ContextOverrides.
 */
export class Context {
  readonly paths: DjsPaths;
  readonly out: Output;
  readonly clock: Clock;
  /** Aborted on Ctrl-C: long-running work stops at the next safe point and keeps what it has. */
  readonly abort = new AbortController();
  private database: Db | undefined;
  private secretStore: SecretStore | undefined;
  private readonly openDb: (() => Db) | undefined;

  constructor(
    readonly io: IOStreams,
    readonly env: NodeJS.ProcessEnv,
    options: { json: boolean; verbose: boolean; color: boolean },
    overrides: ContextOverrides = {},
  ) {
    this.paths = resolvePaths(env);
    this.out = new Output(io.stdout, io.stderr, options);
    this.clock = overrides.clock ?? systemClock;
    this.openDb = overrides.openDb;
    this.secretStore = overrides.secrets;
  }

  /** Prompts are allowed only when a person is at both ends (SPEC §4). */
  get interactive(): boolean {
    return this.io.stdin.isTTY === true && this.io.stdout.isTTY === true;
  }

  async db(): Promise<Db> {
    if (!this.database) {
      if (this.openDb) {
        this.database = this.openDb();
      } else {
        const { openDatabase } = await import('../db/database.js');
        this.database = openDatabase(this.paths.database, {
          now: () => this.clock.now(),
          warn: (message) => this.out.warn(message),
          notify: (text) => this.out.info(text),
        });
      }
    }
    return this.database;
  }

  async secrets(): Promise<SecretStore> {
    if (!this.secretStore) {
      if (setting(this.env, 'DJS_SECRET_STORE') === 'file') {
        const { FileSecretStore } = await import('../secrets/file-store.js');
        this.out.warn(
          `secrets are kept in the file ${this.paths.secretsFile} (DJS_SECRET_STORE=file), not in the OS keychain.`,
        );
        this.secretStore = new FileSecretStore(this.paths.secretsFile, (message) => this.out.warn(message));
      } else {
        const { KeytarSecretStore } = await import('../secrets/keytar-store.js');
        this.secretStore = new KeytarSecretStore(this.env);
      }
    }
    return this.secretStore;
  }

  close(): void {
    this.database?.close();
    this.database = undefined;
  }
}
