/**
 * Node's crypto module, loaded when first used rather than imported: loading it (and its fifteen internal
 * modules) costs about 2.5 ms, which `djs --help` and the commands without a session never need (SPEC §12).
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}
