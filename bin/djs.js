#!/usr/bin/env node
// Start-up path kept minimal (SPEC §12): `djs --version` answers without loading the CLI at all, and this
// file is CommonJS (bin/package.json), since starting Node's ES module loader for it alone costs about
// as much again as the rest of `--version`. The CLI itself is an ES module bundle (dist/bundle/).
/* global __dirname */
const { readFileSync, writeSync } = process.getBuiltinModule('node:fs');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8'));
  // Straight to the file descriptor: process.stdout would first build a stream (and load its code).
  try {
    writeSync(1, `${version}\n`);
  } catch (error) {
    if (error.code !== 'EPIPE') throw error;
  }
} else {
  // `djs search python | head`: a reader that stops early is not an error; leave quietly like other tools.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  // Only now, and only for --verbose: a stack trace then names src/ files and lines (scripts/build.mjs),
  // and every other run is spared the cost of reading the source maps.
  if (args.includes('--verbose')) process.setSourceMapsEnabled(true);
  import('../dist/bundle/main.js').then(async ({ main }) => {
    const io = {
      // Read only by the commands that take input: building the stream costs every other run.
      get stdin() {
        return process.stdin;
      },
      stdout: process.stdout,
      stderr: process.stderr,
    };
    process.exitCode = await main(args, io, process.env);
  });
}
