import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceKind } from '../../src/jobs/model.js';
import { startFakeBoards, type FakeBoards, type FakeBoardsOptions } from '../../src/fakes/boards-server.js';
import { REAL_FIXTURES } from './cli.js';

export { REAL_FIXTURES };

/**
 * Starts the fake boards and feeds (src/fakes/boards-server.ts) and gives the environment that points
 * every DJS_*_URL setting at it, for runDjs: `runDjs(args, { home, env: boards.env })`. Close it with
 * `boards.fake.close()` in afterEach/afterAll.
 */
export async function startBoards(
  options: FakeBoardsOptions = {},
): Promise<{ fake: FakeBoards; env: Record<string, string> }> {
  const fake = await startFakeBoards(options);
  return { fake, env: { ...fake.env } };
}

/** The real captures of a kind, parsed (a UTF-8 byte-order mark skipped), by file name; none when absent. */
export function realCaptures(kind: SourceKind): Array<{ file: string; json: unknown }> {
  const folder = join(REAL_FIXTURES, kind);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      json: JSON.parse(readFileSync(join(folder, file), 'utf8').replace(/^\uFEFF/, '')) as unknown,
    }));
}
