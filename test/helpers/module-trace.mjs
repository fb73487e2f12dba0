// Preloaded with `node --import` (NODE_OPTIONS) by the start-up test: appends to the file named by
// DJS_MODULE_TRACE every file module the process loads ("file <url>") and, at exit, every file it loaded
// through require() ("cjs <path>", which the module hooks do not see) and every internal module of Node's
// it loaded ("builtin <name>"), so a test can say what a command's start-up costs.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const trace = process.env.DJS_MODULE_TRACE;
register(new URL('./module-trace-hooks.mjs', import.meta.url), { data: { trace } });
process.on('exit', () => {
  const required = Object.keys(createRequire(import.meta.url).cache);
  const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule '));
  appendFileSync(
    trace,
    [
      ...required.map((path) => `cjs ${path}\n`),
      ...builtins.map((entry) => `builtin ${entry.slice('NativeModule '.length)}\n`),
    ].join(''),
  );
});
