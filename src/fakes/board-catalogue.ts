/**
 * The jobs the fake boards and feeds serve (issue 12): one neutral model per job, rendered in each kind's
 * own JSON by board-shapes.ts. The text comes from the fake LinkedIn's generator (realistic titles,
 * descriptions, places, dates), so a job can be put on LinkedIn and on a board with the same words.
 */
import type { SourceKind } from '../jobs/model.js';
import { descriptionToHtml, generatePostings, makeRng, type FakePosting } from './linkedin-server.js';

export type FakeWorkplace = 'onsite' | 'remote' | 'hybrid';
export type FakeEmployment = 'full-time' | 'part-time' | 'contract' | 'internship';

/** Pay as a board states it in its structured fields (or, for Greenhouse, inside the content). */
export interface FakePay {
  min: number;
  max: number;
  /** ISO 4217 */
  currency: string;
  period: 'year' | 'month' | 'hour';
}

export interface FakeBoardJob {
  /**
   * The board's own id, as the kind spells it: Greenhouse's number, a Lever or Ashby UUID, a
   * SmartRecruiters 15-digit id, Recruitee's number, a Workable shortcode, Remotive's number, an
   * Arbeitnow slug, Remote OK's number.
   */
  id: string;
  title: string;
  company: string;
  /** "Berlin, Berlin, Germany", "New York, NY", "United States" (the fake LinkedIn's places). */
  location: string;
  /** The description as HTML; Greenhouse's renderer entity-escapes it, as Greenhouse does. */
  descriptionHtml: string;
  /** ISO instants. */
  publishedAt: string;
  updatedAt: string;
  workplace: FakeWorkplace;
  employment: FakeEmployment;
  department: string;
  pay: FakePay | null;
  tags: string[];
}

/** A board (a company's) or a feed (name '', jobs from many companies). */
export interface FakeBoard {
  kind: SourceKind;
  /** As URLs spell it ("acme", "AcmeCorp"); '' for a feed. Looked up case-insensitively. */
  name: string;
  /** The company the board belongs to; '' for a feed. */
  company: string;
  /** A Lever site on the EU instance (api.eu.lever.co): served only by the fake's EU origin. */
  region: 'global' | 'eu';
  jobs: FakeBoardJob[];
  /** Epoch ms of the last change: the listing's Last-Modified. */
  modifiedAt: number;
}

/** How a test or the demo asks for a board: generated jobs (a count) or given ones, or both. */
export interface FakeBoardSpec {
  kind: SourceKind;
  /** Required for a board kind; omitted for a feed. */
  name?: string;
  /** Default: a name made from the board name ("acme-corp" → "Acme Corp"). */
  company?: string;
  /** How many generated jobs (default 10). */
  count?: number;
  /** Jobs placed on the board as given (missing fields generated), after the generated ones. */
  jobs?: Array<Partial<FakeBoardJob>>;
  region?: 'global' | 'eu';
}

const DAY_MS = 86_400_000;

/**
 * The default catalogue: every kind, Lever on both hosts, SmartRecruiters and Arbeitnow over several pages.
 * Lever and Ashby answers do not name the company, so djs takes it from the site name: those sites are
 * named after their company, as many real ones are, for the company to match across sources.
 */
export const DEFAULT_BOARDS: readonly FakeBoardSpec[] = [
  { kind: 'greenhouse', name: 'northwind', company: 'Northwind Analytics', count: 24 },
  { kind: 'greenhouse', name: 'bluefinlabs', company: 'Bluefin Labs', count: 12 },
  { kind: 'lever', name: 'pinecrest-robotics', company: 'Pinecrest Robotics', count: 15 },
  { kind: 'lever', name: 'nordlicht-games', company: 'Nordlicht Games', count: 8, region: 'eu' },
  { kind: 'ashby', name: 'quantix-finance', company: 'Quantix Finance', count: 14 },
  { kind: 'smartrecruiters', name: 'HeliosEnergy', company: 'Helios Energy Systems', count: 23 },
  { kind: 'recruitee', name: 'tidewater', company: 'Tidewater Logistics', count: 8 },
  { kind: 'workable', name: 'lumen-loom', company: 'Lumen & Loom', count: 6 },
  { kind: 'remotive', count: 35 },
  { kind: 'arbeitnow', count: 130 },
  { kind: 'remoteok', count: 40 },
];

/** Lower case, accents dropped, runs of anything else as one "-": the slugs of board URLs. */
export function urlSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/* -------------------------------------------------------------------------------------------------
 * Places and pay
 * -----------------------------------------------------------------------------------------------*/

const COUNTRY_CODES: Record<string, string> = {
  Poland: 'PL',
  Switzerland: 'CH',
  Germany: 'DE',
  France: 'FR',
  Italy: 'IT',
  Spain: 'ES',
  Portugal: 'PT',
  Brazil: 'BR',
  'United Kingdom': 'GB',
  Netherlands: 'NL',
  Canada: 'CA',
  India: 'IN',
  'United States': 'US',
};

export interface Place {
  city: string;
  region: string;
  country: string;
  /** ISO 3166 alpha-2, upper case. */
  countryCode: string;
}

/** "Kraków, Małopolskie, Poland", "New York, NY" (a US state), "United States" → its parts. */
export function placeOf(location: string): Place {
  const parts = location.split(',').map((part) => part.trim());
  if (parts.length === 1) {
    const country = parts[0] ?? '';
    return { city: '', region: '', country, countryCode: COUNTRY_CODES[country] ?? '' };
  }
  const country = parts.length >= 3 ? (parts[2] ?? '') : 'United States';
  return {
    city: parts[0] ?? '',
    region: parts[1] ?? '',
    country,
    countryCode: COUNTRY_CODES[country] ?? '',
  };
}

/** A currency's usual yearly base range for these jobs (low end of the low, high end of the high). */
const YEARLY_PAY: Record<string, [number, number]> = {
  USD: [90_000, 210_000],
  CAD: [85_000, 170_000],
  GBP: [45_000, 110_000],
  EUR: [50_000, 115_000],
  CHF: [100_000, 170_000],
  PLN: [120_000, 300_000],
  BRL: [90_000, 240_000],
  INR: [1_500_000, 4_500_000],
};
const EURO_COUNTRIES = new Set(['DE', 'FR', 'IT', 'ES', 'PT', 'NL']);
const LOCAL_CURRENCY: Record<string, string> = {
  US: 'USD',
  CA: 'CAD',
  GB: 'GBP',
  CH: 'CHF',
  PL: 'PLN',
  BR: 'BRL',
  IN: 'INR',
};

function currencyOf(countryCode: string): string {
  return EURO_COUNTRIES.has(countryCode) ? 'EUR' : (LOCAL_CURRENCY[countryCode] ?? 'USD');
}

/** Round to a step that looks like a posted figure: thousands for a year, tens for a month, whole units per hour. */
function roundPay(value: number, period: FakePay['period']): number {
  const step = period === 'year' ? 1000 : period === 'month' ? 10 : 1;
  return Math.round(value / step) * step;
}

function generatePay(rng: () => number, countryCode: string): FakePay {
  const currency = currencyOf(countryCode);
  const [low, high] = YEARLY_PAY[currency] ?? [90_000, 210_000];
  const roll = rng();
  const period: FakePay['period'] = roll < 0.8 ? 'year' : roll < 0.9 ? 'month' : 'hour';
  const divisor = period === 'year' ? 1 : period === 'month' ? 12 : 2080;
  const min = roundPay((low + rng() * (high - low) * 0.6) / divisor, period);
  const max = roundPay((min * divisor * (1.15 + rng() * 0.35)) / divisor, period);
  return { min, max, currency, period };
}

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', CAD: 'CA$', INR: '₹' };

/** 123456 → "123,456". */
function grouped(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** One amount as the boards write it: "$120,000", "€61,000", "CHF 120,000". */
export function formatAmount(value: number, currency: string): string {
  const symbol = SYMBOLS[currency];
  return symbol ? `${symbol}${grouped(value)}` : `${currency} ${grouped(value)}`;
}

const PERIOD_WORDS: Record<FakePay['period'], string> = {
  year: 'per year',
  month: 'per month',
  hour: 'per hour',
};

/** "$120,000 – $150,000 USD per year": the sentence text the fake puts where a board states pay in prose. */
export function payText(pay: FakePay): string {
  return `${formatAmount(pay.min, pay.currency)} – ${formatAmount(pay.max, pay.currency)} ${pay.currency} ${PERIOD_WORDS[pay.period]}`;
}

/* -------------------------------------------------------------------------------------------------
 * Ids
 * -----------------------------------------------------------------------------------------------*/

/** Where each kind's numeric ids start (near the real ones' magnitudes). */
const NUMBER_BASE: Partial<Record<SourceKind, number>> = {
  greenhouse: 7_100_000,
  smartrecruiters: 744_000_100_000_000,
  recruitee: 2_600_000,
  remotive: 2_080_000,
  remoteok: 1_120_000,
};

/**
 * Hands out ids unique per kind over the fake's whole life (a removed job's id is never reused), in
 * each kind's own form, from the seeded PRNG.
 */
export class IdMint {
  readonly #next = new Map<SourceKind, number>();
  readonly #issued = new Set<string>();

  constructor(private readonly rng: () => number) {}

  /** The next id of `kind`; an Arbeitnow slug is made from the title and the city. */
  next(kind: SourceKind, title: string, city: string): string {
    const counter = (this.#next.get(kind) ?? NUMBER_BASE[kind] ?? 10_000) + 1 + Math.floor(this.rng() * 97);
    this.#next.set(kind, counter);
    switch (kind) {
      case 'lever':
      case 'ashby':
        return this.#unique(() => this.#uuid());
      case 'workable':
        return this.#unique(() => this.#hex(10).toUpperCase());
      case 'arbeitnow':
        return [urlSlug(title), urlSlug(city || 'remote'), String(counter % 100_000)]
          .filter(Boolean)
          .join('-');
      default:
        return String(counter);
    }
  }

  /** Records an id a test gave, so no generated one collides with it. */
  claim(id: string): void {
    this.#issued.add(id);
  }

  #unique(make: () => string): string {
    let id = make();
    while (this.#issued.has(id)) id = make();
    this.#issued.add(id);
    return id;
  }

  #hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.rng() * 16).toString(16);
    return out;
  }

  #uuid(): string {
    const hex = this.#hex(32).split('');
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/* -------------------------------------------------------------------------------------------------
 * Jobs
 * -----------------------------------------------------------------------------------------------*/

const DEPARTMENTS = ['Engineering', 'Engineering', 'Data', 'Product', 'Platform', 'Security', 'Operations'];
const EMPLOYMENT: Record<NonNullable<FakePosting['jobType']>, FakeEmployment> = {
  F: 'full-time',
  P: 'part-time',
  C: 'contract',
  T: 'contract',
  I: 'internship',
  V: 'part-time',
  O: 'full-time',
};

/** The fake LinkedIn's description without its pay sentence: each board states pay its own way. */
function descriptionWithoutPay(description: string): string {
  return description
    .split('\n\n')
    .filter((paragraph) => !paragraph.startsWith('The base salary range'))
    .join('\n\n');
}

/**
 * The fields of a board job that match a fake LinkedIn posting (title, company, location, description,
 * date, workplace): put it on a board with `addJob` to have one job listed on both.
 */
export function jobFromPosting(posting: FakePosting): Partial<FakeBoardJob> {
  const published = `${posting.postedAt}T09:00:00.000Z`;
  return {
    title: posting.title,
    company: posting.company,
    location: posting.location,
    descriptionHtml: descriptionToHtml(descriptionWithoutPay(posting.description)),
    publishedAt: published,
    updatedAt: published,
    workplace: posting.workplace ?? 'onsite',
    employment: EMPLOYMENT[posting.jobType ?? 'F'],
  };
}

/** Generated jobs for a board (its company on every job) or a feed (company null: each job its own). */
export function generateBoardJobs(
  kind: SourceKind,
  company: string | null,
  count: number,
  context: { seed: number; now: Date; mint: IdMint },
): FakeBoardJob[] {
  const rng = makeRng(context.seed);
  const postings = generatePostings(count, context.seed, { now: context.now });
  return postings.map((posting) => {
    const fields = jobFromPosting(posting);
    const owner = company ?? posting.company;
    // The text names the generated company; on a board it is the board's.
    fields.descriptionHtml = fields.descriptionHtml?.replaceAll(posting.company, owner);
    const published = Date.parse(`${posting.postedAt}T00:00:00Z`) + Math.floor(rng() * DAY_MS);
    const updated = Math.min(published + Math.floor(rng() * 3 * DAY_MS), context.now.getTime());
    const place = placeOf(posting.location);
    return completeJob(
      kind,
      {
        ...fields,
        company: owner,
        publishedAt: new Date(published).toISOString(),
        updatedAt: new Date(Math.max(published, updated)).toISOString(),
        department: DEPARTMENTS[Math.floor(rng() * DEPARTMENTS.length)],
        pay: rng() < 0.45 ? generatePay(rng, place.countryCode) : null,
        tags: posting.title.toLowerCase().split(/\s+/).slice(-2),
      },
      { now: context.now, mint: context.mint },
    );
  });
}

/** A job from the fields a test gave, the rest filled in (an id of the kind's form, today's date …). */
export function completeJob(
  kind: SourceKind,
  fields: Partial<FakeBoardJob>,
  context: { now: Date; mint: IdMint },
): FakeBoardJob {
  const title = fields.title ?? 'Software Engineer';
  const location = fields.location ?? 'Berlin, Berlin, Germany';
  const now = context.now.toISOString();
  let id = fields.id;
  if (id === undefined) id = context.mint.next(kind, title, placeOf(location).city);
  else context.mint.claim(id);
  return {
    id,
    title,
    company: fields.company ?? 'Acme',
    location,
    descriptionHtml: fields.descriptionHtml ?? `<p>${title} at ${fields.company ?? 'Acme'}.</p>`,
    publishedAt: fields.publishedAt ?? now,
    updatedAt: fields.updatedAt ?? fields.publishedAt ?? now,
    workplace: fields.workplace ?? 'onsite',
    employment: fields.employment ?? 'full-time',
    department: fields.department ?? 'Engineering',
    pay: fields.pay ?? null,
    tags: fields.tags ?? [],
  };
}
