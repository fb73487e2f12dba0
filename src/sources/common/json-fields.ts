import { asRecord, asText } from './board-fields.js';

/**
 * More readers of untrusted board and feed JSON, beside board-fields.ts: places, employment types, the
 * list a board's answer holds under its own key, and items parsed one by one (a malformed one skipped).
 */

export type JsonObject = Record<string, unknown>;

/** "Tel Aviv", "Tel Aviv", "Israel" → "Tel Aviv, Israel": the parts of a place, repeats and blanks dropped. */
export function placeName(parts: unknown[]): string | null {
  const names: string[] = [];
  for (const part of parts) {
    const name = asText(part);
    if (name !== null && !names.some((seen) => seen.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names.length === 0 ? null : names.join(', ');
}

const EMPLOYMENT_LABELS: Array<[RegExp, string]> = [
  [/^full[\s_-]?time/i, 'Full-time'],
  [/^part[\s_-]?time/i, 'Part-time'],
  [/^(?:contract|contractor)$/i, 'Contract'],
  [/^(?:freelance|freelancer)$/i, 'Freelance'],
  [/^(?:internship|intern)$/i, 'Internship'],
  [/^(?:temporary|temp)$/i, 'Temporary'],
];

/**
 * A source's employment-type code as LinkedIn words it ("full_time", "fulltime_permanent" → "Full-time",
 * "freelance" → "Freelance"); a code djs does not know is shown with its underscores as spaces.
 */
export function employmentLabel(value: unknown): string | null {
  const code = asText(value);
  if (code === null) return null;
  const known = EMPLOYMENT_LABELS.find(([pattern]) => pattern.test(code));
  if (known) return known[1];
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The array `key` of a board's answer, or a clear Error naming the source when the answer has another
 * shape (an HTML error page, `{ok:false}`): a wrong shape is a failure, never an empty board.
 */
export function arrayField(value: unknown, key: string, what: string): unknown[] {
  const items = asRecord(value)?.[key];
  if (!Array.isArray(items)) throw new Error(`${what} did not answer with a "${key}" list.`);
  return items;
}

/** Each object item through `parse`, the ones it rejects (null) and the ones that are no object left out. */
export function parseEach<T>(items: unknown[], parse: (item: JsonObject) => T | null): T[] {
  const parsed: T[] = [];
  for (const item of items) {
    const record = asRecord(item);
    const value = record === null ? null : parse(record);
    if (value !== null) parsed.push(value);
  }
  return parsed;
}
