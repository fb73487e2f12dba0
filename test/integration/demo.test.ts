import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectNoStackTrace, runDjs, tempHome } from '../helpers/cli.js';

interface JobListings {
  /** Its listings' printable ids, sources and URLs, space-separated. */
  ids: string;
  sources: string;
  urls: string;
}

describe('djs demo', () => {
  it('runs the whole flow offline against its own servers, shows one job found on two sources, and says where to look', async () => {
    const { home, cleanup } = tempHome();
    try {
      // Anything that tried to leave 127.0.0.1 would fail here: no proxy, no real endpoints reachable.
      const result = await runDjs(['demo', '--postings', '40'], { home, timeoutMs: 180_000 });
      expectNoStackTrace(result);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Step 12\/12/);
      expect(result.stdout).toMatch(/The demo ran end to end/);
      expect(result.stderr).not.toMatch(/error:/);
      // Node's own warnings (a listener leak, a deprecation) have no place in a narrated demo.
      expect(result.stderr).not.toMatch(/[A-Z][a-z]+Warning\b/);
      const demoHome = /Data folder for this demo: (\S+)/.exec(result.stdout)![1]!;
      expect(existsSync(`${demoHome}/djs.db`)).toBe(true);
      // The person's own DJS_HOME was not touched.
      expect(existsSync(`${home}/djs.db`)).toBe(false);

      const db = new Database(`${demoHome}/djs.db`, { readonly: true });
      const { jobs, sources, shared } = (() => {
        try {
          return {
            jobs: (db.prepare('SELECT count(*) AS n FROM job_postings').get() as { n: number }).n,
            sources: (
              db.prepare('SELECT DISTINCT source FROM posting_links ORDER BY source').all() as Array<{
                source: string;
              }>
            ).map((row) => row.source),
            shared: db
              .prepare(
                `SELECT group_concat(l.source_job_id, ' ') AS ids, group_concat(l.source, ' ') AS sources, group_concat(l.url, ' ') AS urls
                 FROM job_postings p JOIN posting_links l ON l.posting_id = p.id
                 GROUP BY p.id HAVING count(*) > 1`,
              )
              .all() as JobListings[],
          };
        } finally {
          db.close();
        }
      })();
      // LinkedIn, the two watched boards and the feed each gave postings.
      expect(sources).toEqual(['greenhouse', 'lever', 'linkedin', 'remotive']);
      // Exactly one job is listed twice: the LinkedIn posting whose Apply link is a Northwind Greenhouse job.
      expect(shared).toHaveLength(1);
      const [job] = shared as [JobListings];
      expect(job.sources.split(' ').sort()).toEqual(['greenhouse', 'linkedin']);
      const shownId = /\$ djs jobs show (\d+)/.exec(result.stdout)?.[1];
      // The demo shows it by its LinkedIn id (the job may have been stored first from either listing).
      expect(job.ids.split(' ')).toContain(shownId);
      // `jobs show` printed both places it is listed.
      const shownJob = result.stdout.slice(result.stdout.indexOf(`$ djs jobs show ${shownId}`));
      for (const url of job.urls.split(' ')) expect(shownJob).toContain(url);
      expect(job.urls).toMatch(/greenhouse\.io\/northwind\/jobs\/\d+/);
      // The Sheet holds one row per job, the shared one once.
      expect(result.stdout).toContain(`Synced "Dream Job Search": ${jobs} postings`);
      rmSync(demoHome, { recursive: true, force: true });
    } finally {
      cleanup();
    }
  });
});
