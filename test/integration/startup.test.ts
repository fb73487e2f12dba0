import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { baseEnv, DJS_BIN, REPO_ROOT, registeredHome, runDjs } from '../helpers/cli.js';
import { insertPosting } from '../helpers/postings.js';

/**
 * SPEC §12 / issue 14: what an everyday command loads before it can answer. Wall time is too noisy for a
 * test (bench/startup.mjs measures it); the modules loaded are not. The CLI runs from one CommonJS bundle
 * (dist/bundle/main.cjs) that bin/djs.js compiles with the V8 code cache the build made; it starts no ES
 * module loader, loads nothing from node_modules but better-sqlite3's compiled addon (by its path, without
 * the `bindings` search), and verifies the session without WebCrypto, whose loading alone cost
 * milliseconds. `--version` loads no more of Node than `node -e 0` does.
 */

const JOB_ID = '4000000001';
/** A posting whose description (a code span, an autolink) the own Markdown lexer leaves to marked. */
const MARKED_JOB_ID = '4000000002';
const TRACER = pathToFileURL(join(REPO_ROOT, 'test', 'helpers', 'module-trace.mjs')).href;
const BUILTIN_TRACER = join(REPO_ROOT, 'test', 'helpers', 'builtins-at-exit.cjs');
/** The one file the ES module loader sees: the tracer's --import makes Node load even a CommonJS main with it. */
const ALLOWED_FILES = [pathToFileURL(DJS_BIN).href];
/**
 * What may be loaded through require(): the bin script alone. better-sqlite3's addon is opened by its path
 * in djs's node_modules (src/db/database.ts), not resolved by require() through the folders above.
 */
const ALLOWED_REQUIRED = [DJS_BIN];

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
  insertPosting(
    db,
    id,
    {
      jobId: MARKED_JOB_ID,
      title: 'Data Engineer',
      description: 'We run `dbt build` nightly; see https://example.com/stack for more.',
    },
    '2026-03-01T12:00:00.000Z',
  );
  db.close();
}, 60_000);

afterAll(() => homes?.cleanup());

/** What `djs <args>` loads: ES module files (URLs), files loaded by require() and Node's internal modules. */
async function traceOf(args: string[]): Promise<{ files: string[]; required: string[]; builtins: string[] }> {
  const trace = join(home, `trace-${args.join('-')}.txt`);
  const result = await runDjs(args, {
    home,
    env: { NODE_OPTIONS: `--import=${TRACER}`, DJS_MODULE_TRACE: trace },
  });
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.code).toBe(0);
  const lines = readFileSync(trace, 'utf8').trim().split('\n');
  const linesOf = (kind: string): string[] =>
    lines.filter((line) => line.startsWith(`${kind} `)).map((line) => line.slice(kind.length + 1));
  return { files: linesOf('file'), required: linesOf('cjs'), builtins: linesOf('builtin') };
}

/**
 * The modules of ours whose top level `djs <args>` ran, from V8's coverage of the bundle: a module loaded on
 * demand is an esbuild initialiser named after its source file, called (count > 0) when it was loaded.
 */
async function modulesInitialised(args: string[]): Promise<string[]> {
  const coverage = join(home, `coverage-${args.join('-')}`);
  const result = await runDjs(args, { home, env: { NODE_V8_COVERAGE: coverage } });
  expect(result.code).toBe(0);
  const bundle = readdirSync(coverage)
    .flatMap((file) => (JSON.parse(readFileSync(join(coverage, file), 'utf8')) as V8Coverage).result)
    .find(({ url }) => url.endsWith('/dist/bundle/main.cjs'));
  return (bundle?.functions ?? [])
    .filter(({ functionName, ranges }) => /^src\/.*\.ts$/.test(functionName) && ranges[0]!.count > 0)
    .map(({ functionName }) => functionName);
}

interface V8Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

describe('start-up of the everyday commands', () => {
  it.each([[['status']], [['search', 'python']], [['jobs', 'show', JOB_ID]], [['--help']]])(
    'djs %j requires only the bundle (no cli-table3, no addon resolved by name), no crypto module or child_process',
    async (args) => {
      const { files, required, builtins } = await traceOf(args);
      expect(files.filter((url) => !ALLOWED_FILES.includes(url))).toEqual([]);
      expect(required.filter((path) => !ALLOWED_REQUIRED.includes(path))).toEqual([]);
      // The session check hashes in JavaScript (core/sha256.ts): neither node:crypto nor WebCrypto is loaded
      // until a session is created or rotated and needs random bytes.
      expect(builtins.filter((name) => name.includes('crypto'))).toEqual([]);
      // Commander requires it for executable subcommands, which djs has none of (scripts/build.mjs).
      expect(builtins).not.toContain('child_process');
    },
  );

  it.each([
    [['status'], 'status'],
    [['search', 'python'], 'search'],
    [['jobs', 'show', JOB_ID], 'jobs'],
  ])('djs %j runs the top level of its own command module only', async (args, command) => {
    const commandModules = (await modulesInitialised(args)).filter((name) =>
      name.startsWith('src/commands/'),
    );
    expect(commandModules).toEqual([`src/commands/${command}.ts`]);
  });

  /** Node's internal modules `djs <args>` loaded, its stdin on /dev/null and its output on pipes. */
  function builtinsWithPipes(args: string[]): string[] {
    const trace = join(home, `builtins-${args.join('-')}.txt`);
    const result = spawnSync(process.execPath, [DJS_BIN, ...args], {
      env: { ...baseEnv(home), NODE_OPTIONS: `--require=${BUILTIN_TRACER}`, DJS_BUILTIN_TRACE: trace },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toBe('');
    return readFileSync(trace, 'utf8').trim().split('\n');
  }

  it('djs status starts no ES module loader and leaves stdin alone when it reads no input', () => {
    const builtins = builtinsWithPipes(['status']);
    expect(builtins).not.toContain('internal/modules/esm/module_job');
    // process.stdin on /dev/null is a file stream: building it loads Node's file streams.
    expect(builtins).not.toContain('internal/fs/streams');
  });

  it.each([[['status']], [['search', 'python']], [['--help']]])(
    'djs %j writes to pipes without building process.stdout and stderr (net sockets)',
    (args) => {
      const builtins = builtinsWithPipes(args);
      expect(builtins).not.toContain('net');
      // Nothing of --help needs streams at all (a session's crypto hashes load them for the others).
      if (args[0] === '--help') expect(builtins).not.toContain('internal/streams/writable');
    },
  );

  /** The code cache bin/djs.js starts `djs <args>` from, and the one every other command line shares. */
  function codeCaches(args: string[]): { own: string; shared: string } {
    const check = [
      `const { codeCacheFor, BUNDLE_CACHE } = require(${JSON.stringify(DJS_BIN)});`,
      `process.stdout.write(JSON.stringify({ own: codeCacheFor(${JSON.stringify(args)}), shared: BUNDLE_CACHE }));`,
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', check], { env: baseEnv(home), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as { own: string; shared: string };
  }

  it.each([[['--help']], [['status']], [['search', 'python']], [['jobs', 'show', JOB_ID]], [['review']]])(
    'the code cache djs %j starts from was made by the build and is accepted by this Node',
    (args) => {
      const check = [
        `const { loadBundle, codeCacheFor } = require(${JSON.stringify(DJS_BIN)});`,
        `const cachedData = require('node:fs').readFileSync(codeCacheFor(${JSON.stringify(args)}));`,
        `process.stdout.write(String(loadBundle({ cachedData }).script.cachedDataRejected));`,
      ].join('\n');
      const result = spawnSync(process.execPath, ['-e', check], { env: baseEnv(home), encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('false');
    },
  );

  it.each([[['--help']], [['--json', 'status']], [['search', 'python']], [['jobs', 'show', JOB_ID]]])(
    'djs %j deserialises a code cache of its own, without what the other everyday commands compiled',
    (args) => {
      const { own, shared } = codeCaches(args);
      expect(own).not.toBe(shared);
      // V8 deserialises a whole cache at start-up: the shared one is about a third larger.
      expect(statSync(own).size).toBeLessThan(statSync(shared).size * 0.9);
    },
  );

  it.each([[['--help']], [['status']], [['search', 'python']], [['jobs', 'show', JOB_ID]]])(
    'the code cache already holds what djs %j compiles: running it adds next to nothing to the cache',
    (args) => {
      // V8 adds to a script's cache every function compiled since: what the build's cache lacked.
      const check = [
        `const { loadBundle, codeCacheFor } = require(${JSON.stringify(DJS_BIN)});`,
        `const cachedData = require('node:fs').readFileSync(codeCacheFor(${JSON.stringify(args)}));`,
        `const { main, script } = loadBundle({ cachedData });`,
        `const discard = { write: () => true, isTTY: false };`,
        `main(${JSON.stringify(args)}, { stdout: discard, stderr: discard }, process.env).then((code) =>`,
        `  process.stdout.write(JSON.stringify({ code, grown: script.createCachedData().length - cachedData.length })));`,
      ].join('\n');
      const result = spawnSync(process.execPath, ['-e', check], { env: baseEnv(home), encoding: 'utf8' });
      expect(result.stderr).toBe('');
      const { code, grown } = JSON.parse(result.stdout) as { code: number; grown: number };
      expect(code).toBe(0);
      // A command the cache was not made with compiles 40-90 KB of it again at every start.
      expect(grown).toBeLessThan(4_000);
    },
  );

  it('main.cjs holds no code of the demo servers, croner, bcryptjs or marked (files of their own), nor jose', () => {
    const sourcesOf = (file: string): string[] =>
      (
        JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'bundle', `${file}.map`), 'utf8')) as {
          sources: string[];
        }
      ).sources;
    const rare = /\/src\/fakes\/|\/node_modules\/(croner|bcryptjs|jose|marked)\//;
    expect(sourcesOf('main.cjs').filter((source) => rare.test(`/${source}`))).toEqual([]);
    for (const file of ['fakes', 'croner', 'bcryptjs', 'marked'])
      expect(sourcesOf(`rare/${file}.cjs`).some((source) => rare.test(`/${source}`))).toBe(true);
  });

  it('djs jobs show requires marked from its own file for a description the own lexer leaves to it', async () => {
    const trace = join(home, 'trace-marked.txt');
    const result = await runDjs(['jobs', 'show', MARKED_JOB_ID], {
      home,
      env: { NODE_OPTIONS: `--import=${TRACER}`, DJS_MODULE_TRACE: trace },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dbt build');
    expect(result.stdout).toContain('https://example.com/stack');
    const required = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('cjs '))
      .map((line) => line.slice('cjs '.length));
    expect(required).toEqual([DJS_BIN, join(REPO_ROOT, 'dist', 'bundle', 'rare', 'marked.cjs')]);
  });

  it('main.cjs is the module function itself: compiled as read, with no wrapped copy made at start-up', () => {
    const bundle = join(REPO_ROOT, 'dist', 'bundle', 'main.cjs');
    // Evaluated on its own, it runs nothing and gives the function bin/djs.js calls.
    expect(typeof new Script(readFileSync(bundle, 'latin1')).runInNewContext({})).toBe('function');
    // require() (--verbose) still runs it as a module.
    const check = `process.stdout.write(typeof require(${JSON.stringify(bundle)}).main);`;
    const result = spawnSync(process.execPath, ['-e', check], { env: baseEnv(home), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('function');
  });

  it.each([[['status']], [['--help']]])('djs %j makes no file URL of its own path at start-up', (args) => {
    // Counts the calls of url.pathToFileURL (which CommonJS code, like the bundle, reaches through require).
    const counter = join(home, 'count-file-urls.cjs');
    writeFileSync(
      counter,
      [
        `const url = require('node:url');`,
        `const { pathToFileURL } = url;`,
        `let calls = 0;`,
        `url.pathToFileURL = (...args) => (calls++, pathToFileURL(...args));`,
        `process.on('exit', () => require('node:fs').writeFileSync(process.env.DJS_URL_CALLS, String(calls)));`,
      ].join('\n'),
    );
    const calls = join(home, `url-calls-${args.join('-')}.txt`);
    const result = spawnSync(process.execPath, [DJS_BIN, ...args], {
      env: { ...baseEnv(home), NODE_OPTIONS: `--require=${counter}`, DJS_URL_CALLS: calls },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(calls, 'utf8')).toBe('0');
  });

  it('the bundle is ASCII: V8 holds it as a one-byte string, read without UTF-8 decoding', () => {
    const bundle = readFileSync(join(REPO_ROOT, 'dist', 'bundle', 'main.cjs'), 'latin1');
    expect(bundle.match(/[^\0-\x7f].{0,20}/)?.[0]).toBeUndefined();
  });

  it('djs --version loads no more of Node than `node -e 0`: no ES module loader, no stdout stream', () => {
    const builtinsOf = (name: string, args: string[]): string[] => {
      const trace = join(home, `builtins-${name}.txt`);
      const result = spawnSync(process.execPath, args, {
        env: { ...baseEnv(home), NODE_OPTIONS: `--require=${BUILTIN_TRACER}`, DJS_BUILTIN_TRACE: trace },
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      return readFileSync(trace, 'utf8').trim().split('\n');
    };
    const bareNode = new Set(builtinsOf('node', ['-e', '0']));
    expect(builtinsOf('version', [DJS_BIN, '--version']).filter((name) => !bareNode.has(name))).toEqual([]);
  });
});
