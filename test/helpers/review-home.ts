import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.js';
import { join } from 'node:path';
import { insertPosting } from './postings.js';

/** A posting to seed, with only what the review and `search --new` look at. */
export interface ReviewSeed {
  jobId: string;
  title: string;
  company?: string;
  location?: string;
  description?: string;
  salary?: string;
  postedDate: string;
  applyUrl?: string;
}

/** Stores postings for the (only) user of a registered home, the way update-db stores them. */
export function seedPostings(home: string, postings: ReviewSeed[]): void {
  const db = openDatabase(join(home, 'djs.db'));
  try {
    const userId = db.prepare('SELECT id FROM users ORDER BY id LIMIT 1').pluck().get() as number;
    for (const posting of postings) {
      insertPosting(
        db,
        userId,
        {
          jobId: posting.jobId,
          title: posting.title,
          company: posting.company ?? 'Acme',
          location: posting.location ?? 'Berlin, Germany',
          description: posting.description ?? `${posting.title}. A job.`,
          salary: posting.salary ?? null,
          postedDate: posting.postedDate,
          applyUrl: posting.applyUrl ?? null,
        },
        '2025-04-01T00:00:00.000Z',
      );
    }
  } finally {
    db.close();
  }
}

/** One value of the home's database, read-only (`sql` returns one column of one row). */
export function readValue(home: string, sql: string, ...params: unknown[]): unknown {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return db
      .prepare(sql)
      .pluck()
      .get(...params);
  } finally {
    db.close();
  }
}

/** Five postings: two mention python, one python and react, two neither (the newest of all among them). */
export const MORNING: ReviewSeed[] = [
  {
    jobId: '4200000001',
    title: 'Python Developer',
    description: 'Django and python.',
    postedDate: '2025-03-01',
  },
  {
    jobId: '4200000002',
    title: 'Full-stack Engineer',
    description: 'Python backend, React frontend.',
    salary: '€60,000 – €80,000/yr',
    postedDate: '2025-03-02',
    applyUrl: 'https://jobs.example.com/apply/2',
  },
  { jobId: '4200000003', title: 'Barista', description: 'Coffee.', postedDate: '2025-03-20' },
  { jobId: '4200000004', title: 'Data Scientist', description: 'Some python.', postedDate: '2025-03-05' },
  { jobId: '4200000005', title: 'Gardener', description: 'Plants and trees.', postedDate: '2025-03-10' },
];
