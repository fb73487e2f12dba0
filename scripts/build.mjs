#!/usr/bin/env node
// Builds dist/ with esbuild (tsc only type-checks: npm run typecheck). Usage: node scripts/build.mjs
//
// dist/bundle/ is what bin/djs.js runs: one file per entry point plus shared chunks, all in one folder.
// Resolving ~60 ES modules one by one was most of djs's start-up time (SPEC §12); a command now loads
// main.js and the few chunks its own code needs. Every `import()` in src/ stays a lazy chunk, so the
// heavy commands (Google, the LinkedIn parser, the prompts) cost nothing to the others.
//
// dist/<folder>/<file>.js, one module per source file, is for the benches and tools that import a
// single module (the fakes, the search service); the CLI never loads it.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

const common = { platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning' };

/**
 * Loaded from node_modules as they are, not bundled: keytar is a native addon, and the rest are large
 * libraries that only a few commands load (lazily): bundling them saves those commands little and risks
 * their CommonJS tricks (optional requires, files read beside their own code).
 * Everything else (commander, env-paths, jose …) is bundled: each bare import resolved in node_modules
 * costs start-up time. That includes better-sqlite3's JavaScript (13 small CommonJS files, every command
 * loads them); its compiled addon is loaded by path (src/db/database.ts), so its `bindings` helper, which
 * would search for it with a require() the bundle lacks, is never called.
 */
const EXTERNAL_PACKAGES = [
  'bindings',
  'keytar',
  '@googleapis/sheets',
  'google-auth-library',
  '@inquirer/prompts',
  'cheerio',
  'turndown',
  'undici',
];

const BUILTIN = new RegExp(`^(node:.*|${builtinModules.map((name) => name.replace('/', '\\/')).join('|')})$`);

/**
 * Builtins a bundled package requires at load time but uses only on a path djs never or rarely takes:
 * [builtin, package folder]. Commander needs child_process only for stand-alone executable subcommands,
 * which djs has none of; loading it (and the net and stream code behind it) cost every command ~1.5 ms.
 * They become an object that loads the builtin on its first property read (the package reads them as
 * `childProcess.spawn(…)`, at call time). The importer is relative to the repository, and may lie
 * outside it (a linked node_modules), so it is matched with a leading slash.
 */
const LOADED_ON_FIRST_USE = [['node:child_process', '/node_modules/commander/']];

/**
 * Node's own modules through process.getBuiltinModule instead of `import … from 'node:fs'`: an ES import
 * of a builtin builds a module facade that reads every export, and for node:fs that loads the whole
 * streams implementation (~2 ms each time djs starts). Also serves the require() calls in bundled
 * CommonJS packages, so the bundle needs no createRequire.
 */
const builtinsWithoutFacade = {
  name: 'builtins-without-facade',
  setup(build) {
    // One small module per importing file, so it lands in its importer's chunk instead of a chunk of its own.
    build.onResolve({ filter: BUILTIN }, ({ path, importer }) => ({
      path: `${path}?${relative(root, importer)}`,
      namespace: 'builtin',
    }));
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => {
      const [name, importer] = path.split('?');
      const load = `process.getBuiltinModule(${JSON.stringify(name)})`;
      return {
        contents: LOADED_ON_FIRST_USE.some(
          ([builtin, user]) => builtin === name && `/${importer}`.includes(user),
        )
          ? `let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= ${load})[key] });`
          : `module.exports = ${load};`,
        loader: 'js',
      };
    });
  },
};

/**
 * chalk detects colour support when it is imported, and that loads node:tty (a few ms that `djs --version`
 * would pay). djs decides colour itself (colorWanted: --no-color, NO_COLOR, TERM=dumb, pipes) and gives
 * chalk that level, so the bundle's chalk gets a detector that finds nothing.
 */
const chalkWithoutDetection = {
  name: 'chalk-without-detection',
  setup(build) {
    build.onResolve({ filter: /^#supports-color$/ }, () => ({
      path: 'none',
      namespace: 'no-color-detection',
    }));
    build.onLoad({ filter: /.*/, namespace: 'no-color-detection' }, () => ({
      contents: 'export default { stdout: false, stderr: false };',
      loader: 'js',
    }));
  },
};

rmSync(dist, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    // The CLI, and the LinkedIn parser's worker thread, which parser-pool.ts starts from the file beside
    // its own chunk (one flat folder keeps that true).
    entryPoints: [join(src, 'main.ts'), join(src, 'sources/linkedin/parse-worker.ts')],
    outdir: join(dist, 'bundle'),
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    external: EXTERNAL_PACKAGES.flatMap((name) => [name, `${name}/*`]),
    plugins: [builtinsWithoutFacade, chalkWithoutDetection],
    // bin/djs.js turns source maps on for --verbose, so its stack traces name src/ files and lines.
    sourcemap: 'linked',
    sourcesContent: false,
    // Less for V8 to scan at start-up (commander alone is 126 KB as written); names are kept, so a stack
    // trace stays readable even without the source maps.
    minifyWhitespace: true,
    minifySyntax: true,
  }),
  build({
    ...common,
    entryPoints: readdirSync(src, { recursive: true })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(src, file)),
    outdir: dist,
    outbase: src,
  }),
]);
