import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempHome } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A separate Node process storing `count` entries of its own in the built FileSecretStore. */
function writer(path: string, name: string, count: number): Promise<number | null> {
  const store = join(REPO_ROOT, 'dist', 'secrets', 'file-store.js');
  const script = `
    const { FileSecretStore } = await import(${JSON.stringify(store)});
    const store = new FileSecretStore(${JSON.stringify(path)});
    for (let i = 0; i < ${count}; i++) await store.set('${name}:' + i, 'secret-' + i);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe('the file secret store under concurrent writers', () => {
  it('keeps every entry when several processes write at once, in a 0600 file, leaving no lock behind', async () => {
    const { home, cleanup } = tempHome('djs-secrets-');
    cleanups.push(cleanup);
    const path = join(home, 'secrets.json');
    const names = ['a', 'b', 'c', 'd'];
    const codes = await Promise.all(names.map((name) => writer(path, name, 40)));
    expect(codes).toEqual([0, 0, 0, 0]);
    const stored = Object.keys(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>);
    expect(stored).toHaveLength(names.length * 40);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
