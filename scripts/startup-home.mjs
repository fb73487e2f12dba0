// A DJS_HOME as an everyday start finds it: one logged-in person (file secret store) with a few postings.
// bench/startup.mjs times the commands in it; scripts/build.mjs runs them in it to make the code cache.
// Needs dist/ built (the CLI registers the person; the postings are stored the way update-db stores them).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../dist/db/database.js';
import { resolvePaths } from '../dist/core/paths.js';
import { JobStore } from '../dist/jobs/store.js';

const BIN = fileURLToPath(new URL('../bin/djs.js', import.meta.url));
const POSTINGS = 20;
/** The job id of the first posting: `djs jobs show` shows it. */
export const FIRST_JOB_ID = '4100000000';

/** The environment of a djs run in `home`. */
export function startupEnv(home) {
  return { ...process.env, DJS_HOME: home, DJS_SECRET_STORE: 'file', NO_COLOR: '1' };
}

/** Registers the person in `home` (an empty folder) and stores the postings; returns its environment. */
export function prepareStartupHome(home) {
  const env = startupEnv(home);
  const registered = spawnSync(
    process.execPath,
    [BIN, 'register', '--email', 'bench@example.com', '--password-stdin'],
    { env, input: 'Bench-Passw0rd!\n', encoding: 'utf8' },
  );
  if (registered.status !== 0)
    throw new Error(`djs register exited ${registered.status}: ${registered.stderr}`);
  const db = openDatabase(resolvePaths(env).database);
  try {
    const { id } = db.prepare('SELECT id FROM users').get();
    const store = new JobStore(db, id);
    const now = new Date().toISOString();
    for (let i = 0; i < POSTINGS; i++) {
      const jobId = String(Number(FIRST_JOB_ID) + i);
      store.savePosting(
        {
          jobId,
          link: `https://www.linkedin.com/jobs/view/${jobId}/`,
          title: i % 2 === 0 ? 'Senior Python Developer' : 'Data Engineer',
          company: `Company ${i}`,
          location: 'Berlin',
          dateText: '1 day ago',
          applicantsText: null,
          salary: null,
          description: `We build data pipelines in Python and SQL. Posting ${i}.`,
          seniority: null,
          employmentType: 'Full-time',
          jobFunction: null,
          industries: null,
          companyUrl: null,
          applyUrl: null,
          postedDate: now.slice(0, 10),
          applicants: null,
        },
        now,
      );
    }
  } finally {
    db.close();
  }
  return env;
}
