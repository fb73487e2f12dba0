/**
 * The "job criteria" list under a LinkedIn description (Seniority level, Employment type, Job function,
 * Industries) with its labels localised. Known labels are mapped in en, fr, it, de, es, pt (and nl, pl,
 * sv as a bonus); an unknown label falls back to LinkedIn's fixed order by position.
 */

export type CriterionKey = 'seniority' | 'employmentType' | 'jobFunction' | 'industries';

/** LinkedIn always renders the criteria in this order. */
export const CRITERIA_ORDER: readonly CriterionKey[] = [
  'seniority',
  'employmentType',
  'jobFunction',
  'industries',
];

const LABELS: Record<CriterionKey, string[]> = {
  seniority: [
    'seniority level', // en
    'niveau hiérarchique', // fr
    'livello di anzianità', // it
    'karrierestufe', // de
    'nivel de antigüedad', // es
    'nível de experiência', // pt
    'senioriteitsniveau', // nl
    'poziom w hierarchii', // pl
    'senioritetsnivå', // sv
  ],
  employmentType: [
    'employment type',
    "type d'emploi",
    'tipo di impiego',
    'beschäftigungsverhältnis',
    'tipo de empleo',
    'tipo de emprego',
    'dienstverband',
    'forma zatrudnienia',
    'anställningstyp',
  ],
  jobFunction: [
    'job function',
    'fonction',
    'funzione lavorativa',
    'tätigkeitsbereich',
    'función laboral',
    'função',
    'functie',
    'funkcja',
    'arbetsuppgift',
  ],
  industries: [
    'industries',
    'secteurs',
    'settori',
    'branchen',
    'sectores',
    'setores',
    'sectoren',
    'branże',
    'branscher',
  ],
};

/** Lower-case, NFC, curly apostrophes straightened, spaces collapsed, trailing colon dropped. */
export function normaliseLabel(label: string): string {
  return label
    .normalize('NFC')
    .replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*:$/, '')
    .toLowerCase();
}

const LOOKUP = new Map<string, CriterionKey>();
for (const key of CRITERIA_ORDER) {
  for (const label of LABELS[key]) LOOKUP.set(normaliseLabel(label), key);
}

/** The criterion a (possibly localised) label names, or null when the label is unknown. */
export function criterionForLabel(label: string): CriterionKey | null {
  return LOOKUP.get(normaliseLabel(label)) ?? null;
}

export type Criteria = Record<CriterionKey, string | null>;

/**
 * Maps `[label, value]` pairs (in page order) to the four criteria. A known label wins; an unknown one
 * takes the slot of its position in LinkedIn's fixed order, unless a known label already filled it.
 */
export function mapCriteria(items: ReadonlyArray<{ label: string; value: string | null }>): Criteria {
  const result: Criteria = { seniority: null, employmentType: null, jobFunction: null, industries: null };
  const known = items.map((item) => criterionForLabel(item.label));
  known.forEach((key, i) => {
    const value = items[i]?.value ?? null;
    if (key !== null && result[key] === null) result[key] = value;
  });
  known.forEach((key, i) => {
    if (key !== null) return;
    const fallback = CRITERIA_ORDER[i];
    const value = items[i]?.value ?? null;
    if (fallback !== undefined && result[fallback] === null && !known.includes(fallback))
      result[fallback] = value;
  });
  return result;
}
