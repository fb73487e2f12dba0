/**
 * Reading the untrusted JSON of boards and feeds: each field is taken only when it has the type the
 * parser expects, so a posting with an odd field loses that field, and one without an id or a link is
 * skipped, rather than a run crashing on it.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string (trimmed, empty → null) or a finite number as text; anything else is null. */
export function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** An http(s) URL as given, or null: a posting's link must be one a browser can open. */
export function httpUrl(value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? raw : null;
  } catch {
    return null;
  }
}

/**
 * The day a posting was published, YYYY-MM-DD: from a date string as the source writes it
 * ("2026-08-17T07:35:02.787Z", "2026-08-11 20:45:29 UTC", "2026-08-05") or from Unix seconds (Arbeitnow).
 */
export function isoDate(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})(?![\d])/.exec(text(value) ?? '');
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCDate() === Number(day) ? `${year}-${month}-${day}` : null;
}

/** "Tel Aviv", "Tel Aviv", "Israel" → "Tel Aviv, Israel": the parts of a place, repeats and blanks dropped. */
export function placeName(parts: unknown[]): string | null {
  const names: string[] = [];
  for (const part of parts) {
    const name = text(part);
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
  const code = text(value);
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
  const items = isObject(value) ? value[key] : undefined;
  if (!Array.isArray(items)) throw new Error(`${what} did not answer with a "${key}" list.`);
  return items;
}

/** Each item through `parse`, the ones it rejects (null) left out. */
export function parseEach<T>(items: unknown[], parse: (item: JsonObject) => T | null): T[] {
  const parsed: T[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const value = parse(item);
    if (value !== null) parsed.push(value);
  }
  return parsed;
}
