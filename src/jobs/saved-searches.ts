/**
 * The person's saved LinkedIn searches (`djs searches`): what `update-db` runs when given no -q/-l. The
 * rows are JobStore's (update-db --save writes them there too); this adds numbering and removal.
 */
import { UsageError } from '../core/errors.js';
import { foldCase } from '../core/fold-case.js';
import type { Db } from '../db/database.js';
import { JobStore, type SavedSearch } from './store.js';

/** A saved search as `searches list` shows it: `number` is its place in the list, from 1. */
export interface NumberedSearch extends SavedSearch {
  number: number;
}

/** Every query × location, in the order given: what `-q … -l …` means for update-db and `searches add`. */
export function searchesFor(queries: readonly string[], locations: readonly string[]): SavedSearch[] {
  return queries.flatMap((query) => locations.map((location) => ({ query, location })));
}

/** "python developer@Berlin": the query and the location a search is written as, split at the last "@". */
export function formatSearch(search: SavedSearch): string {
  return `${search.query}@${search.location}`;
}

export class SavedSearches {
  private readonly store: JobStore;

  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {
    this.store = new JobStore(db, userId);
  }

  list(): NumberedSearch[] {
    return this.store.savedSearches().map((search, index) => ({ number: index + 1, ...search }));
  }

  /** Saves the searches not saved yet; returns how many were new. */
  add(searches: SavedSearch[], now: string): number {
    return this.store.saveSearches(searches, now);
  }

  /**
   * Removes the searches named by their number in `list()` or as "query@location" (any case). Every
   * reference is resolved before anything is removed: one that names no saved search is exit 2 and
   * nothing changes.
   */
  remove(references: readonly string[]): NumberedSearch[] {
    return this.db
      .transaction((): NumberedSearch[] => {
        const saved = this.list();
        const chosen = new Map<number, NumberedSearch>();
        for (const reference of references) {
          const search = resolve(saved, reference);
          chosen.set(search.number, search);
        }
        const remove = this.db.prepare(
          'DELETE FROM saved_searches WHERE user_id = ? AND query = ? AND location = ?',
        );
        for (const search of chosen.values()) remove.run(this.userId, search.query, search.location);
        return [...chosen.values()].sort((a, b) => a.number - b.number);
      })
      .immediate();
  }
}

function resolve(saved: NumberedSearch[], reference: string): NumberedSearch {
  const text = reference.trim();
  const hint = 'Run `djs searches list` to see them; nothing was removed.';
  if (/^\d+$/.test(text)) {
    const found = saved[Number(text) - 1];
    if (!found)
      throw new UsageError(
        saved.length === 0
          ? 'You have no saved searches to remove.'
          : `There is no saved search number ${text}: you have ${saved.length}. ${hint}`,
      );
    return found;
  }
  const at = text.lastIndexOf('@');
  if (at < 0)
    throw new UsageError(
      `"${text.slice(0, 80)}" names no saved search: give its number or "query@location". ${hint}`,
    );
  const query = foldCase(text.slice(0, at).trim());
  const location = foldCase(text.slice(at + 1).trim());
  const found = saved.find((s) => foldCase(s.query) === query && foldCase(s.location) === location);
  if (!found) throw new UsageError(`You have no saved search "${text.slice(0, 120)}". ${hint}`);
  return found;
}
