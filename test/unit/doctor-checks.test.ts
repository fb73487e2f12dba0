import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/core/paths.js';
import { runChecks, type DoctorDeps } from '../../src/doctor/checks.js';

/** The checks in process, every collaborator passed in: no CLI context, no network, no crontab. */
function deps(env: Record<string, string>, probed: Array<[string, string | null]>): DoctorDeps {
  const home = mkdtempSync(join(tmpdir(), 'djs-doctor-'));
  const unused = (): never => {
    throw new Error('not reached without a database');
  };
  return {
    paths: resolvePaths({ DJS_HOME: home }),
    env,
    db: unused,
    secrets: async () => ({ kind: 'file', list: async () => [] }) as never,
    login: unused,
    googleLink: unused,
    probe: async (origin, proxyUrl) => {
      probed.push([origin, proxyUrl]);
      return 204;
    },
    crontab: unused,
  };
}

describe('doctor checks', () => {
  it('probe LinkedIn and Google where the settings point, through the proxy for LinkedIn', async () => {
    const probed: Array<[string, string | null]> = [];
    const results = await runChecks(
      deps(
        {
          DJS_LINKEDIN_URL: 'http://127.0.0.1:9/jobs',
          https_proxy: 'http://127.0.0.1:3128',
          DJS_GOOGLE_TOKEN_URL: 'http://127.0.0.2:9/token',
        },
        probed,
      ),
    );
    expect(probed).toEqual([
      ['http://127.0.0.1:9', 'http://127.0.0.1:3128'],
      ['http://127.0.0.2:9', null],
    ]);
    expect(results.find((result) => result.check === 'linkedin')).toMatchObject({
      state: 'ok',
      detail: 'http://127.0.0.1:9 answered (204)',
    });
  });

  it('fail the LinkedIn check on a bad LinkedIn setting, naming it, without a request', async () => {
    const probed: Array<[string, string | null]> = [];
    const results = await runChecks(deps({ DJS_RATE_LIMIT: 'fast' }, probed));
    expect(results.find((result) => result.check === 'linkedin')).toMatchObject({
      state: 'fail',
      detail: expect.stringMatching(/^DJS_RATE_LIMIT must be a whole number/),
    });
    expect(probed.map(([origin]) => origin)).toEqual(['https://oauth2.googleapis.com']);
  });
});
