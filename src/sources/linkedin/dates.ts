/**
 * LinkedIn shows a posting's age as relative text ("8 hours ago", "il y a 11 heures", "5 giorni fa",
 * "vor 3 Tagen", "hace 2 semanas", "há 3 dias"). These helpers turn that text into an ISO date
 * (YYYY-MM-DD, UTC) relative to an injected `now`: parsing never reads the clock.
 */

export type AgeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export interface Age {
  amount: number;
  unit: AgeUnit;
}

/** Unit words in en, fr, it, de, es, pt (and a few abbreviations), lower-case, accents kept. */
const UNIT_WORDS: Record<string, AgeUnit> = {};
const addUnits = (unit: AgeUnit, words: string[]): void => {
  for (const word of words) UNIT_WORDS[word] = unit;
};
addUnits('second', [
  ...['second', 'seconds', 'sec', 'secs', 's'],
  ...['seconde', 'secondes'],
  ...['secondo', 'secondi'],
  ...['sekunde', 'sekunden', 'sek'],
  ...['segundo', 'segundos', 'seg'],
]);
addUnits('minute', [
  ...['minute', 'minutes', 'min', 'mins', 'm'],
  ...['minuto', 'minuti', 'minutos', 'minuten', 'mn'],
]);
addUnits('hour', [
  ...['hour', 'hours', 'hr', 'hrs', 'h'],
  ...['heure', 'heures'],
  ...['ora', 'ore'],
  ...['stunde', 'stunden', 'std'],
  ...['hora', 'horas'],
]);
addUnits('day', [
  ...['day', 'days', 'd'],
  ...['jour', 'jours', 'j'],
  ...['giorno', 'giorni', 'g'],
  ...['tag', 'tage', 'tagen'],
  ...['día', 'días', 'dia', 'dias'],
]);
addUnits('week', [
  ...['week', 'weeks', 'wk', 'wks', 'w'],
  ...['semaine', 'semaines', 'sem'],
  ...['settimana', 'settimane', 'sett'],
  ...['woche', 'wochen'],
  ...['semana', 'semanas'],
]);
addUnits('month', [
  ...['month', 'months', 'mo', 'mos'],
  ...['mois'],
  ...['mese', 'mesi'],
  ...['monat', 'monate', 'monaten'],
  ...['mes', 'meses', 'mês'],
]);
addUnits('year', [
  ...['year', 'years', 'yr', 'yrs', 'y'],
  ...['an', 'ans', 'année', 'années'],
  ...['anno', 'anni'],
  ...['jahr', 'jahre', 'jahren'],
  ...['año', 'años', 'ano', 'anos'],
]);

/** Words that stand for "one" before a unit ("an hour ago", "il y a un jour", "vor einem Tag", "hace una hora"). */
const ONE_WORDS = new Set([
  'a',
  'an',
  'one',
  'un',
  'une',
  'uno',
  'una',
  'ein',
  'eine',
  'einem',
  'einer',
  'einen',
  'um',
  'uma',
]);

/** Phrases meaning "just now" or "yesterday", matched on the normalised text. */
const NOW_PHRASES = [
  'just now',
  'moments ago',
  'à l’instant',
  "à l'instant",
  'adesso',
  'proprio ora',
  'gerade eben',
  'soeben',
  'ahora mismo',
  'justo ahora',
  'agora mesmo',
  'agora',
  'today',
  "aujourd'hui",
  'aujourd’hui',
  'oggi',
  'heute',
  'hoy',
  'hoje',
];
const YESTERDAY_PHRASES = ['yesterday', 'hier', 'ieri', 'gestern', 'ayer', 'ontem'];

/** Lower-case, NFC, every kind of space (nbsp, narrow nbsp, …) folded to one plain space. */
function normalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Parses "8 hours ago" (or its fr/it/de/es/pt equivalents) into an amount and unit; null when not recognised. */
export function parseRelativeAge(text: string): Age | null {
  const norm = normalise(text);
  if (norm === '') return null;
  const tokens = norm.match(/\d+|\p{L}+/gu) ?? [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const count = tokens[i] as string;
    const word = tokens[i + 1] as string;
    const unit = UNIT_WORDS[word];
    if (unit === undefined) continue;
    if (/^\d+$/.test(count)) return { amount: Number(count), unit };
    if (ONE_WORDS.has(count) && word.length > 1) return { amount: 1, unit };
  }
  // "3d", "8h", "2w": a number glued to a one-letter unit.
  const glued = /(?:^|[^\p{L}\d])(\d+)(\p{L}{1,3})(?![\p{L}])/u.exec(norm);
  if (glued) {
    const unit = UNIT_WORDS[glued[2] as string];
    if (unit !== undefined) return { amount: Number(glued[1]), unit };
  }
  if (YESTERDAY_PHRASES.some((p) => new RegExp(`(^|[^\\p{L}])${p}($|[^\\p{L}])`, 'u').test(norm))) {
    return { amount: 1, unit: 'day' };
  }
  if (NOW_PHRASES.some((p) => norm.includes(p))) return { amount: 0, unit: 'minute' };
  return null;
}

const MS: Record<'second' | 'minute' | 'hour' | 'day' | 'week', number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/** The instant `age` before `now` (months and years are calendar months/years, in UTC). */
export function subtractAge(now: Date, age: Age): Date {
  if (age.unit === 'month' || age.unit === 'year') {
    const months = age.unit === 'year' ? age.amount * 12 : age.amount;
    const d = new Date(now.getTime());
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - months);
    // Clamp the day to the target month's length (31 March - 1 month = 28/29 February).
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
    return d;
  }
  return new Date(now.getTime() - age.amount * MS[age.unit]);
}

/** YYYY-MM-DD (UTC) of a Date; null for an invalid date. */
export function toIsoDate(date: Date): string | null {
  const t = date.getTime();
  if (!Number.isFinite(t)) return null;
  return date.toISOString().slice(0, 10);
}

/** The ISO date (YYYY-MM-DD, UTC) that relative text such as "il y a 11 heures" means at `now`; null when not recognised. */
export function relativeDateToIso(text: string, now: Date): string | null {
  const age = parseRelativeAge(text);
  if (age === null) return null;
  return toIsoDate(subtractAge(now, age));
}

/** Accepts a datetime attribute ("2026-06-04" or a full ISO timestamp) and returns its YYYY-MM-DD part, or null. */
export function isoDateFromAttribute(value: string | undefined | null): string | null {
  if (!value) return null;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return null;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    !Number.isFinite(date.getTime()) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    return null;
  }
  return `${y}-${mo}-${d}`;
}
