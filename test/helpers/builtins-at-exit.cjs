// Preloaded with `node --require` (NODE_OPTIONS) by the start-up test: at exit, writes to the file named by
// DJS_BUILTIN_TRACE the internal modules of Node's the process loaded, one a line. Unlike module-trace.mjs,
// it starts no ES module loader of its own, so it shows whether the program itself needed one.
const { writeFileSync } = process.getBuiltinModule('node:fs');

process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule '));
  writeFileSync(
    process.env.DJS_BUILTIN_TRACE,
    builtins.map((entry) => `${entry.slice('NativeModule '.length)}\n`).join(''),
  );
});
