#!/usr/bin/env node
// Start-up path kept minimal (SPEC §12): `djs --version` answers without loading the CLI at all, and this
// file is CommonJS (bin/package.json), like the CLI bundle it loads: Node's ES module loader alone costs
// about as much again as the rest of `--version`.
/* global __dirname, module, require */
const { fstatSync, readFileSync, writeSync } = process.getBuiltinModule('node:fs');

const BUNDLE = `${__dirname}/../dist/bundle/main.cjs`;
const BUNDLE_CACHE = `${__dirname}/../dist/bundle/main.cache`;
/**
 * The everyday command lines with a code cache of their own, made from that command alone ('help': a
 * command line naming no command). V8 deserialises the whole cache at every start, and the shared one also
 * holds what the other everyday commands compiled: about a third more to read and deserialise.
 */
const OWN_CACHES = ['help', 'status', 'search', 'jobs'];

/** The code cache `djs <args>` starts from (scripts/build.mjs makes them all). */
function codeCacheFor(args) {
  // The global options are all flags, so the first word that is not an option names the command.
  const command = args.find((arg) => !arg.startsWith('-')) ?? 'help';
  return OWN_CACHES.includes(command) ? `${__dirname}/../dist/bundle/main.${command}.cache` : BUNDLE_CACHE;
}

/**
 * The bundle's import() of the packages left outside it (scripts/build.mjs): a script V8 compiled from a
 * code cache cannot run an import() of its own, this file's can.
 */
globalThis.esLoad = (specifier) => import(specifier);

/**
 * Runs the CLI bundle's top level and returns its exports and its compiled script. Compiled here rather
 * than by require(), which has no way to take V8's code cache: with the cache the build made
 * (scripts/build.mjs), V8 skips parsing and compiling most of the bundle. A cache V8 rejects (made by
 * another Node) costs nothing but the compiling it would have saved.
 */
function loadBundle({ cachedData }) {
  const { Script } = process.getBuiltinModule('node:vm');
  const { createRequire } = process.getBuiltinModule('node:module');
  // main.cjs is the function Node would wrap a module in (scripts/build.mjs): compiled as read, with no
  // joined copy of it for V8 to make. It is ASCII (the build checks), so read as Latin-1: no UTF-8 decoding.
  const script = new Script(readFileSync(BUNDLE, 'latin1'), { filename: BUNDLE, cachedData });
  const bundle = { exports: {} };
  const dir = `${__dirname}/../dist/bundle`;
  script.runInThisContext()(bundle.exports, createRequire(BUNDLE), bundle, BUNDLE, dir);
  return { ...bundle.exports, script };
}

function readCodeCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // not built: V8 compiles the bundle from its source
  }
}

/** `djs search python | head`: a reader that stops early is not an error; leave quietly like other tools. */
function quitOnEpipe(error) {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
}

/**
 * process.stdout or process.stderr (`name`, file descriptor `fd`) as the CLI writes to it. Node builds the
 * stream on first use, and for a pipe, a socket (what a parent process's spawn hands out) or a file that
 * loads its stream and socket code: 2-5 ms of every start. Text to those goes out with writeSync instead
 * (as synchronously as Node's stream writes it on Linux), and the stream is built only when something needs
 * more than write(), isTTY and columns (a prompt, a spinner); from then on everything goes through it, so
 * nothing is reordered. A terminal or anything else gets the stream itself.
 */
function outputStream(fd, name) {
  let stream;
  const built = () => {
    if (stream === undefined) {
      stream = process[name];
      stream.on('error', quitOnEpipe);
    }
    return stream;
  };
  const kind = (() => {
    try {
      return fstatSync(fd);
    } catch {
      return undefined;
    }
  })();
  if (!kind?.isFIFO() && !kind?.isSocket() && !kind?.isFile()) return built();
  const write = (chunk, encoding, callback) => {
    if (typeof encoding === 'function') [encoding, callback] = [undefined, encoding];
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : chunk;
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (error) {
      if (error.code !== 'EAGAIN') quitOnEpipe(error);
      // A non-blocking pipe its reader has let fill up: the stream waits until it drains.
      return built().write(bytes.subarray(written), callback);
    }
    if (callback) process.nextTick(callback);
    return true;
  };
  return new Proxy(
    {},
    {
      get(_, key) {
        if (stream === undefined) {
          if (key === 'write') return write;
          if (key === 'isTTY' || key === 'columns') return undefined; // as on Node's stream to a pipe or file
        }
        const value = built()[key];
        return typeof value === 'function' ? value.bind(stream) : value;
      },
      set(_, key, value) {
        built()[key] = value;
        return true;
      },
      has: (_, key) => key in built(),
    },
  );
}

function runCli(args) {
  // --verbose: Node's own loader and source maps, so a stack trace names src/ files and lines (a script
  // compiled by node:vm gets no source maps); every other run is spared reading them, and compiling.
  const verbose = args.includes('--verbose');
  if (verbose) process.setSourceMapsEnabled(true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file, loaded as one
  const { main } = verbose ? require(BUNDLE) : loadBundle({ cachedData: readCodeCache(codeCacheFor(args)) });
  const io = {
    // Read only by the commands that take input: building the stream costs every other run.
    get stdin() {
      return process.stdin;
    },
    stdout: outputStream(1, 'stdout'),
    stderr: outputStream(2, 'stderr'),
  };
  main(args, io, process.env).then((code) => (process.exitCode = code));
}

if (require.main !== module) {
  // Required, not run: by the build, which makes the code caches with loadBundle (and by the start-up test).
  module.exports = { loadBundle, BUNDLE_CACHE, OWN_CACHES, codeCacheFor };
} else if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-V')) {
  const { version } = JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8'));
  // Straight to the file descriptor: process.stdout would first build a stream (and load its code).
  try {
    writeSync(1, `${version}\n`);
  } catch (error) {
    if (error.code !== 'EPIPE') throw error;
  }
} else {
  runCli(process.argv.slice(2));
}
