import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Runs `npm run lint`'s dependency check on a small tree of files laid out like src/. */
async function cruise(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const home = tempHome('djs-arch-');
  cleanup = home.cleanup;
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' },
    }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(home.home, path)), { recursive: true });
    writeFileSync(join(home.home, path), text);
  }
  try {
    const { stdout } = await promisify(execFile)(DEPCRUISE, ['src', '--config', CONFIG], { cwd: home.home });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

describe('the dependency rule (npm run lint)', () => {
  it('passes a tree whose arrows point down', async () => {
    const result = await cruise({
      'src/commands/jobs.ts': "import { show } from '../jobs/tracking.js';\nexport const run = show;\n",
      'src/jobs/tracking.ts': "import { now } from '../core/clock.js';\nexport const show = now;\n",
      'src/core/clock.ts': 'export const now = (): number => 0;\n',
    });
    expect(result.output).not.toMatch(/error/);
    expect(result.code).toBe(0);
  });

  it('fails a domain that imports cli/', async () => {
    const result = await cruise({
      'src/jobs/tracking.ts':
        "import type { Context } from '../cli/context.js';\nexport type Ctx = Context;\n",
      'src/cli/context.ts': 'export interface Context { json: boolean }\n',
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/domain-not-up: src\/jobs\/tracking\.ts → src\/cli\/context\.ts/);
  });

  it('fails the product code that imports a fake', async () => {
    const result = await cruise({
      'src/net/client.ts': "import { serve } from '../fakes/linkedin-server.js';\nexport const s = serve;\n",
      'src/fakes/linkedin-server.ts': 'export const serve = (): void => {};\n',
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/fakes-only-for-demo-tests-benches|adapter-not-up/);
  });

  it('fails two folders that import each other, even without a module cycle', async () => {
    const result = await cruise({
      'src/jobs/collector.ts':
        "import type { Source } from '../sources/source.js';\nexport type S = Source;\n",
      'src/jobs/model.ts': 'export interface Link { id: string }\n',
      'src/sources/source.ts':
        "import type { Link } from '../jobs/model.js';\nexport interface Source { link: Link }\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/no-circular-folders/);
  });
});
