#!/usr/bin/env node
// Builds dist/ with esbuild (tsc only type-checks: npm run typecheck). Usage: node scripts/build.mjs
//
// dist/bundle/main.cjs is what bin/djs.js runs: the whole CLI in one CommonJS file, with the V8 code
// caches this build makes for it (main*.cache). Start-up time (SPEC §12) went, in this order, to module
// resolution (~60 ES modules), then to ES module files as such (~30 chunks of a split bundle, ~0.45 ms
// each, plus Node's ES module loader), then to V8 compiling whatever was loaded: one CommonJS file whose
// compiled code comes from the cache costs less than any of them. Code that only a few commands run stays
// lazy inside the file (esbuild wraps each module in an initialiser called on its first import()); the
// rarest (the demo's servers, croner, bcryptjs, marked: RARE_FILES) is in files of its own
// in dist/bundle/rare/, so that every start reads, and V8 sets up, less.
//
// dist/bundle/parse-worker.js is the LinkedIn parser's worker thread, which parser-worker-client.ts
// starts from the file beside the bundle.
//
// dist/<folder>/<file>.js, one module per source file, is for the benches and tools that import a
// single module (the fakes, the search service); the CLI never loads it.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

const execFileAsync = promisify(execFile);

const common = { platform: 'node', target: 'node20', logLevel: 'warning' };

/**
 * Loaded from node_modules as they are, not bundled: keytar is a native addon, and the rest are large
 * libraries that only a few commands load (lazily): bundling them saves those commands little and risks
 * their CommonJS tricks (optional requires, files read beside their own code). zod (600 KB, for the Google
 * client configuration only) would more than double the file every command reads; cli-table3 (with
 * string-width and its emoji pattern) draws only update-db's summary and the rare table drawTable leaves
 * to it (src/cli/render/table.ts).
 * Everything else (commander, env-paths, @noble/hashes …) is bundled: each bare import resolved in node_modules
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
  'zod',
  'cli-table3',
];
const external = EXTERNAL_PACKAGES.flatMap((name) => [name, `${name}/*`]);

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
 * How a bundle loads Node's own modules. The CommonJS bundle require()s them as they are, but for the
 * LOADED_ON_FIRST_USE ones. The ES module one (the worker) reads them through process.getBuiltinModule
 * instead of `import … from 'node:fs'`: an ES import of a builtin builds a module facade that reads every
 * export, and for node:fs that loads the whole streams implementation (~2 ms each time it starts); that
 * also serves the require() calls in bundled CommonJS packages, so it needs no createRequire.
 */
function builtinsFor(format) {
  const loadedOnFirstUse = (name, importer) =>
    LOADED_ON_FIRST_USE.some(([builtin, user]) => builtin === name && `/${importer}`.includes(user));
  return {
    name: 'builtins',
    setup(build) {
      // One small module per importing file, so each importer gets the loading its own rules ask for.
      build.onResolve({ filter: BUILTIN }, ({ path, importer }) =>
        format === 'esm' || loadedOnFirstUse(path, relative(root, importer))
          ? { path: `${path}?${relative(root, importer)}`, namespace: 'builtin' }
          : { path, external: true },
      );
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => {
        const [name, importer] = path.split('?');
        const load = `process.getBuiltinModule(${JSON.stringify(name)})`;
        return {
          contents: loadedOnFirstUse(name, importer)
            ? `let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= ${load})[key] });`
            : `module.exports = ${load};`,
          loader: 'js',
        };
      });
    },
  };
}

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

/**
 * Code that only a rare command runs, kept out of main.cjs in CommonJS files of its own
 * (dist/bundle/rare/<name>.cjs) that main.cjs require()s where it imports them. Every start reads main.cjs
 * whole, and V8 makes a function object of (and the code cache describes) every top-level function in it,
 * whether or not the run calls it: these ~230 KB cost every command ~1.5 ms. Each file is self-contained:
 * none of this code shares a module with state (a class, a cache) with the rest of djs.
 * name: what src/ imports, by package specifier or by its path in src/.
 */
const RARE_FILES = {
  // djs demo's built-in servers (100 KB), in one file: the three share their helpers.
  fakes: ['fakes/linkedin-server.ts', 'fakes/google-server.ts', 'fakes/boards-server.ts'],
  // djs schedule install.
  croner: ['croner'],
  // register, login and password changes.
  bcryptjs: ['bcryptjs'],
  // jobs show, for the descriptions its own Markdown lexer leaves to marked.
  marked: ['marked'],
};
const rareFile = (name) => `./rare/${name}.cjs`;

/** Where main.cjs imports a RARE_FILES module, a small module that require()s it from its file. */
const rareFilesRequired = {
  name: 'rare-files',
  setup(build) {
    const rare = new Map(
      Object.entries(RARE_FILES).flatMap(([name, modules]) =>
        modules.map((module, index) => [module, { name, index }]),
      ),
    );
    build.onResolve({ filter: /.*/ }, ({ path, importer, namespace }) => {
      if (namespace === 'rare') return { path, external: true };
      const inSrc = path.startsWith('.')
        ? relative(src, join(dirname(importer), path)).replace(/\.js$/, '.ts')
        : path;
      const found = rare.get(inSrc);
      return found && { path: `${found.name}/${found.index}`, namespace: 'rare' };
    });
    build.onLoad({ filter: /.*/, namespace: 'rare' }, ({ path }) => {
      const [name, index] = path.split('/');
      // Marked as an ES module's namespace, so that an import of its default export gets that export.
      return {
        contents: `module.exports = { ...require(${JSON.stringify(rareFile(name))}).m${index}, __esModule: true };`,
        loader: 'js',
      };
    });
  },
};

/** The RARE_FILES, each exporting its modules' namespaces as m0, m1 …, in the order listed. */
function buildRareFiles() {
  return Object.entries(RARE_FILES).map(([name, modules]) =>
    build({
      ...commonJsBundle,
      plugins: [builtinsFor('cjs')],
      stdin: {
        contents: modules
          // A file of src/ by its path from there, a package by its name.
          .map((module, index) => {
            const specifier = module.endsWith('.ts') ? `./${module}` : module;
            return `export * as m${index} from ${JSON.stringify(specifier)};`;
          })
          .join('\n'),
        resolveDir: src,
        sourcefile: `rare-${name}.js`,
        loader: 'js',
      },
      outfile: join(bundleDir, rareFile(name)),
    }),
  );
}

/** Options of every bundle. */
const bundled = {
  ...common,
  bundle: true,
  external,
  // bin/djs.js turns source maps on for --verbose, so its stack traces name src/ files and lines.
  sourcemap: 'linked',
  sourcesContent: false,
  // Less for V8 to read at start-up (commander alone is 126 KB as written); names are kept, so a stack
  // trace stays readable even without the source maps.
  minifyWhitespace: true,
  minifySyntax: true,
};

/** Options of the CommonJS bundles (main.cjs and the RARE_FILES). */
const commonJsBundle = {
  ...bundled,
  format: 'cjs',
  // A CommonJS file has no import.meta: its folder and URL are the file's own, as they were for the ES
  // modules. The URL is made when first read (rarely): making it cost every start ~0.3 ms.
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': 'import_meta.url' },
  banner: {
    js: 'var import_meta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
  },
};

/**
 * A script V8 compiled from a code cache has lost what Node needs to run its import() calls (Node 20:
 * "A dynamic import callback was not specified"). So main.cjs's import() of the packages left outside it
 * call esLoad instead, which bin/djs.js defines: an import() in bin/djs.js, which Node compiled itself.
 * The name is as long as `import`, so the source map stays right.
 */
function importsThroughBin(code) {
  return code.replace(/\bimport\(("[^"]*")?/g, (call, specifier) => {
    const name = specifier && JSON.parse(specifier);
    if (!EXTERNAL_PACKAGES.some((external) => name === external || name?.startsWith(`${external}/`)))
      throw new Error(`main.cjs: ${call}…) is not an import() of a package left outside the bundle`);
    return `esLoad(${specifier}`;
  });
}

/**
 * esbuild writes non-ASCII characters as escapes, but not in String.raw templates or regular expressions: one
 * such character and bin/djs.js reads main.cjs into a two-byte string, twice the memory, decoded by the
 * slow path, which cost every start a garbage collection or more.
 */
function assertAscii(code) {
  const at = code.search(/[^\0-\x7f]/);
  if (at >= 0) {
    throw new Error(
      `main.cjs: a non-ASCII character in ${JSON.stringify(code.slice(Math.max(0, at - 60), at + 20))}: write it as \\u escape`,
    );
  }
}

/** The CLI bundle, written once its import() calls go through bin/djs.js. */
async function buildCli() {
  const { outputFiles } = await build({
    ...commonJsBundle,
    plugins: [rareFilesRequired, builtinsFor('cjs'), chalkWithoutDetection],
    entryPoints: [join(src, 'main.ts')],
    outfile: join(bundleDir, 'main.cjs'),
    write: false,
  });
  mkdirSync(bundleDir, { recursive: true });
  for (const { path, text } of outputFiles) {
    if (path.endsWith('.cjs')) assertAscii(text);
    writeFileSync(path, path.endsWith('.cjs') ? asModuleFunction(importsThroughBin(text)) : text);
  }
}

/**
 * main.cjs as one expression: the module's code inside the function Node would wrap it in, which a script
 * (bin/djs.js compiles it with node:vm) evaluates to, while require() (--verbose) runs it as a module.
 * Had bin/djs.js wrapped it, V8 would copy the joined text into one string of its own before compiling it:
 * 570 KB more of every start's memory, and with it a garbage collection. The prefix goes on the banner's
 * line, so the source map's lines stay right.
 */
function asModuleFunction(code) {
  const parts = code.match(/^([\s\S]*\n)(\/\/# sourceMappingURL=\S+\n?)$/);
  if (!parts) throw new Error('main.cjs: esbuild wrote no source map comment at its end');
  const [, body, sourceMapComment] = parts;
  const parameters = 'exports, require, module, __filename, __dirname';
  return (
    // A script's top level runs with the global object as `this`, a module's with its exports.
    `((main) => this === globalThis ? main : main(${parameters}))(function (${parameters}) {` +
    `${body}})\n${sourceMapComment}`
  );
}

const bundleDir = join(dist, 'bundle');
rmSync(dist, { recursive: true, force: true });
await Promise.all([
  buildCli(),
  ...buildRareFiles(),
  build({
    ...bundled,
    format: 'esm',
    plugins: [builtinsFor('esm'), chalkWithoutDetection],
    entryPoints: [join(src, 'sources/linkedin/parse-worker.ts')],
    outfile: join(bundleDir, 'parse-worker.js'),
  }),
  build({
    ...common,
    format: 'esm',
    entryPoints: readdirSync(src, { recursive: true })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(src, file)),
    outdir: dist,
    outbase: src,
  }),
]);
await writeCodeCaches();

/**
 * A code cache holds what V8 compiled of main.cjs while djs ran some command lines for a logged-in person
 * with a few postings: the functions those run then need no parsing or compiling at start-up (each command
 * module is loaded on demand, so its functions are compiled only if a run used them). Each everyday command
 * (bin/djs.js OWN_CACHES) gets a cache made from it alone, so it deserialises nothing the others compiled;
 * main.cache, for every other command line, is made from all of them (the help sets up every command).
 * Each is made in a process of its own, the same home shared. A cache only fits the Node (V8 version and
 * flags) that made it; any other rejects it and compiles main.cjs as usual (slower).
 */
async function writeCodeCaches() {
  const { BUNDLE_CACHE, OWN_CACHES, codeCacheFor } = createRequire(import.meta.url)('../bin/djs.js');
  // Imported now: it uses the dist/ modules this build has just written.
  const { FIRST_JOB_ID, prepareStartupHome } = await import('./startup-home.mjs');
  const commandLines = {
    help: [['--help']],
    status: [['status']],
    search: [['search', 'python', 'sql']],
    jobs: [['jobs', 'show', FIRST_JOB_ID]],
  };
  const home = mkdtempSync(join(tmpdir(), 'djs-build-'));
  try {
    // Registered by the CLI before any cache is made: the training runs start from a clean one.
    prepareStartupHome(home);
    const make = (file, lines) =>
      execFileAsync(process.execPath, [
        join(root, 'scripts', 'code-cache.mjs'),
        file,
        home,
        JSON.stringify(lines),
      ]);
    await Promise.all([
      make(BUNDLE_CACHE, Object.values(commandLines).flat()),
      ...OWN_CACHES.map((name) => make(codeCacheFor(commandLines[name][0]), commandLines[name])),
    ]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
