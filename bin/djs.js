#!/usr/bin/env node
// Start-up path kept minimal: `djs --version` answers without loading the CLI at all (SPEC §12).
import { readFileSync } from 'node:fs';

// `djs search python | head`: a reader that stops early is not an error; leave quietly like other tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  // Only now, and only for --verbose: a stack trace then names src/ files and lines (scripts/build.mjs),
  // and every other run is spared the cost of reading the source maps.
  if (args.includes('--verbose')) process.setSourceMapsEnabled(true);
  const { main } = await import('../dist/bundle/main.js');
  process.exitCode = await main(
    args,
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    process.env,
  );
}
