import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { REPO_ROOT, registeredHome, runDjs } from '../helpers/cli.js';
import { insertPosting } from '../helpers/postings.js';

/**
 * SPEC §12 / issue 14: what an everyday command loads before it can answer. Wall time is too noisy for a
 * test (bench/startup.mjs measures it); the modules loaded are not. The CLI runs from the esbuild bundle
 * (one file per entry point plus shared chunks), resolves no package in node_modules but the native
 * better-sqlite3, and verifies the session without WebCrypto, whose loading alone cost milliseconds.
 */

const JOB_ID = '4000000001';
const TRACER = pathToFileURL(join(REPO_ROOT, 'test', 'helpers', 'module-trace.mjs')).href;
const ALLOWED_FILES = [
  pathToFileURL(join(REPO_ROOT, 'bin', 'djs.js')).href,
  pathToFileURL(join(REPO_ROOT, 'dist', 'bundle')).href + '/',
  // Native: loaded from node_modules as it is (scripts/build.mjs).
  pathToFileURL(realpathSync(join(REPO_ROOT, 'node_modules', 'better-sqlite3'))).href + '/',
];

let home: string;
let homes: Awaited<ReturnType<typeof registeredHome>>;

beforeAll(async () => {
  homes = await registeredHome();
  home = homes.clone();
  const db = openDatabase(join(home, 'djs.db'));
  const { id } = db.prepare('SELECT id FROM users').get() as { id: number };
  insertPosting(
    db,
    id,
    { jobId: JOB_ID, title: 'Senior Python Developer', description: 'Python and SQL.' },
    '2026-03-01T12:00:00.000Z',
  );
  db.close();
}, 60_000);

afterAll(() => homes?.cleanup());

describe('start-up of the everyday commands', () => {
  it.each([[['status']], [['search', 'python']], [['jobs', 'show', JOB_ID]], [['--help']]])(
    'djs %j loads only the bundle and better-sqlite3, and no WebCrypto',
    async (args) => {
      const trace = join(home, `trace-${args.join('-')}.txt`);
      const result = await runDjs(args, {
        home,
        env: { NODE_OPTIONS: `--import=${TRACER}`, DJS_MODULE_TRACE: trace },
      });
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.code).toBe(0);
      const lines = readFileSync(trace, 'utf8').trim().split('\n');
      const files = lines
        .filter((line) => line.startsWith('file '))
        .map((line) => line.slice('file '.length));
      const builtins = lines
        .filter((line) => line.startsWith('builtin '))
        .map((line) => line.slice('builtin '.length));
      expect(files.length).toBeGreaterThan(1);
      expect(files.filter((url) => !ALLOWED_FILES.some((allowed) => url.startsWith(allowed)))).toEqual([]);
      expect(builtins).toContain('internal/crypto/hash');
      expect(builtins.filter((name) => name.includes('webcrypto'))).toEqual([]);
    },
  );
});
