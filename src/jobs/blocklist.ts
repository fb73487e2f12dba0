/**
 * Companies a person never wants to see (`djs blocklist`): their postings are left out of search, the
 * review and its counts, `djs jobs`, and the rows appended to the Sheet. A company is compared by its key
 * (core/job-identity.ts companyKey: case, accents, punctuation and a trailing legal form ignored), so
 * blocking "Acme" hides "ACME GmbH" too.
 */
import { UsageError } from '../core/errors.js';
import { companyKey } from '../core/job-identity.js';
import { hasControlCharacter } from '../core/sanitize.js';
import type { Db } from '../db/database.js';

export interface BlockedCompany {
  /** The name as the person typed it. */
  company: string;
  companyKey: string;
  createdAt: string;
}

const MAX_COMPANY_LENGTH = 200;

/** A company name as typed → the name and its key, or exit 2 (empty, control characters, no letters). */
export function parseCompany(raw: string): { company: string; key: string } {
  const company = raw.replace(/\s+/gu, ' ').trim();
  if (!company) throw new UsageError('A company name is empty.');
  if (hasControlCharacter(company)) throw new UsageError('A company name contains control characters.');
  if (company.length > MAX_COMPANY_LENGTH)
    throw new UsageError(`A company name is longer than ${MAX_COMPANY_LENGTH} characters.`);
  const key = companyKey(company);
  if (key === null) throw new UsageError(`"${company}" has no letters or digits to recognise a company by.`);
  return { company, key };
}

export class Blocklist {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {}

  list(): BlockedCompany[] {
    return this.db
      .prepare(
        `SELECT company, company_key AS companyKey, created_at AS createdAt FROM blocked_companies
         WHERE user_id = ? ORDER BY company_key`,
      )
      .all(this.userId) as BlockedCompany[];
  }

  /** The blocked entry that covers this company, if any. */
  blocking(company: string | null): BlockedCompany | null {
    const key = companyKey(company);
    if (key === null) return null;
    return (
      (this.db
        .prepare(
          `SELECT company, company_key AS companyKey, created_at AS createdAt FROM blocked_companies
           WHERE user_id = ? AND company_key = ?`,
        )
        .get(this.userId, key) as BlockedCompany | undefined) ?? null
    );
  }

  /**
   * Blocks the companies (validated all first: one bad name is exit 2 and nothing is added). Returns those
   * added and those already blocked (under the name they were blocked as), and how many stored postings
   * each newly blocked company hides.
   */
  add(
    names: readonly string[],
    now: string,
  ): { added: Array<BlockedCompany & { postings: number }>; already: BlockedCompany[] } {
    const parsed = names.map(parseCompany);
    return this.db
      .transaction(() => {
        const insert = this.db.prepare(
          `INSERT INTO blocked_companies (user_id, company_key, company, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
        );
        const postings = this.db.prepare(
          'SELECT count(*) FROM job_postings WHERE user_id = ? AND company_key = ?',
        );
        const added: Array<BlockedCompany & { postings: number }> = [];
        const already: BlockedCompany[] = [];
        for (const { company, key } of parsed) {
          if (insert.run(this.userId, key, company, now).changes === 1) {
            const count = postings.pluck().get(this.userId, key) as number;
            added.push({ company, companyKey: key, createdAt: now, postings: count });
          } else {
            const existing = this.blocking(company)!;
            if (!already.some((entry) => entry.companyKey === key)) already.push(existing);
          }
        }
        return { added, already };
      })
      .immediate();
  }

  /**
   * Unblocks the companies, matched by key ("acme" unblocks "ACME GmbH"). One that is not blocked is exit 2
   * and nothing is removed.
   */
  remove(names: readonly string[]): BlockedCompany[] {
    const parsed = names.map(parseCompany);
    return this.db
      .transaction(() => {
        const removed: BlockedCompany[] = [];
        for (const { company } of parsed) {
          const entry = this.blocking(company);
          if (!entry)
            throw new UsageError(
              `"${company}" is not on your blocklist (\`djs blocklist list\` shows it); nothing was removed.`,
            );
          if (!removed.some((r) => r.companyKey === entry.companyKey)) removed.push(entry);
        }
        const remove = this.db.prepare('DELETE FROM blocked_companies WHERE user_id = ? AND company_key = ?');
        for (const entry of removed) remove.run(this.userId, entry.companyKey);
        return removed;
      })
      .immediate();
  }
}
