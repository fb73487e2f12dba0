import type { Db } from '../db/database.js';
import { normaliseKeywords } from '../jobs/search.js';

/**
 * The person's own keywords (`djs profile keywords`): they rank `djs review` and `djs search --new`, and
 * decide which new postings are worth a desktop notification. Checked like search keywords.
 */
export class ProfileKeywords {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {}

  list(): string[] {
    return this.db
      .prepare('SELECT keyword FROM user_keywords WHERE user_id = ? ORDER BY position')
      .pluck()
      .all(this.userId) as string[];
  }

  /** Replaces the keywords with these (normalised; exit 2 for an empty, over-long or control-character one). */
  replace(raw: readonly string[]): string[] {
    const keywords = normaliseKeywords(raw);
    this.db.transaction(() => {
      this.clear();
      const insert = this.db.prepare(
        'INSERT INTO user_keywords (user_id, position, keyword) VALUES (?, ?, ?)',
      );
      keywords.forEach((keyword, position) => insert.run(this.userId, position, keyword));
    })();
    return keywords;
  }

  clear(): void {
    this.db.prepare('DELETE FROM user_keywords WHERE user_id = ?').run(this.userId);
  }
}
