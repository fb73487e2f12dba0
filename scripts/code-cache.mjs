#!/usr/bin/env node
// Makes one V8 code cache of dist/bundle/main.cjs (scripts/build.mjs runs it once per cache, each in a
// process of its own: a cache holds everything its process compiled of the script).
// Usage: node scripts/code-cache.mjs <cache file> <DJS_HOME> <command lines as JSON: [["status"], …]>
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startupEnv } from './startup-home.mjs';

const [file, home, commandLines] = process.argv.slice(2);
const { loadBundle } = createRequire(import.meta.url)('../bin/djs.js');
const env = startupEnv(home);
const { main, script } = loadBundle({ cachedData: undefined });
const discard = { write: () => true, isTTY: false };
// These commands read no input: stdin stays unbuilt, as in bin/djs.js.
const io = {
  get stdin() {
    return process.stdin;
  },
  stdout: discard,
  stderr: discard,
};
for (const args of JSON.parse(commandLines)) {
  const code = await main(args, io, env);
  if (code !== 0) throw new Error(`code cache: djs ${args.join(' ')} exited ${code}`);
}
writeFileSync(file, script.createCachedData());
