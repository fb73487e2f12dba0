import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder djs is installed in (bin/, dist/, migrations/, package.json). Found by walking up from this
 * code's own file rather than by a fixed `../..`: the same code runs from src/ under vitest and from a
 * bundled chunk in dist/, at different depths.
 */
export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);

/** Files of the package, by their path from its root, e.g. `packagePath('bin', 'djs.js')`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
