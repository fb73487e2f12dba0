import envPaths from 'env-paths';
import { UsageError } from './errors.js';

/**
 * Every environment variable djs reads (SPEC §3), in one table: its default, its parser, a one-line doc,
 * and whether `djs schedule install` carries it into the crontab line. Code reads a variable only through
 * `setting(env, NAME)`; the README's environment table is rendered from here (`node scripts/env-table.mjs`).
 *
 * A value is parsed when it is read, not at start-up: a typo in DJS_RATE_LIMIT fails `update-db` (exit 2,
 * naming the variable) but never `djs status`, which does not use it.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * How `djs schedule install` treats a variable. `carried`: copied into the crontab line as set, so the
 * unattended run sees what the person's shell sees (secrets never are); `home`: the line always sets it to
 * the folder in use; `stable-bus`: carried only when it is the systemd user bus and the keychain or --notify needs it.
 */
export type CronCarry = 'no' | 'carried' | 'home' | 'stable-bus';

interface Setting<T> {
  doc: string;
  /** The default, as the README states it. */
  defaultDoc: string;
  fallback: () => T;
  /** Turns a set value into what djs uses; a bad value is a UsageError naming the variable. */
  parse: (raw: string, name: string) => T;
  cron: CronCarry;
  /** The other spelling also honoured (the proxy variables' lower-case convention); this one wins. */
  alias?: string;
  /** Set-but-empty counts as set (NO_COLOR, FORCE_COLOR follow that convention); otherwise blank is unset. */
  emptyIsSet?: boolean;
}

const define = <T>(setting: Setting<T>): Setting<T> => setting;

const none = (): undefined => undefined;
const present = (): true => true;
const asIs = (raw: string): string => raw;
const trimmed = (raw: string): string => raw.trim();

function positiveNumber(raw: string, name: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number, not "${raw}".`);
  return value;
}

function httpUrl(raw: string, name: string): string {
  const value = raw.trim();
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return parsed.toString();
  } catch {
    // reported below
  }
  throw new UsageError(`${name} must be an http(s) URL, not "${value}".`);
}

/** A job source's base URL (issue 12): tests and the demo point it at the local fake boards. */
const sourceUrl = (what: string, url: string) =>
  define({ doc: `${what}`, defaultDoc: `\`${url}\``, fallback: () => url, parse: httpUrl, cron: 'carried' });

const googleUrl = (what: string, url: string) =>
  define({ doc: what, defaultDoc: `\`${url}\``, fallback: () => url, parse: httpUrl, cron: 'carried' });

export const SETTINGS = {
  DJS_HOME: define({
    doc: 'the folder above',
    defaultDoc: "the platform's data folder",
    fallback: () => envPaths('dream-job-search', { suffix: '' }).data,
    // As set, untrimmed: a folder name may end in a space.
    parse: asIs,
    cron: 'home',
  }),
  DJS_SECRET_STORE: define<'keychain' | 'file'>({
    doc: '`keychain` or `file`',
    defaultDoc: '`keychain`',
    fallback: () => 'keychain',
    parse: (raw, name) => {
      const choice = raw.trim().toLowerCase();
      if (choice === 'keychain' || choice === 'file') return choice;
      throw new UsageError(`${name} must be "keychain" or "file", not "${choice}".`);
    },
    cron: 'carried',
  }),
  JWT_SECRET_KEY: define<string | undefined>({
    doc: 'session signing key (≥ 32 characters)',
    defaultDoc: 'generated once per database, kept in the SecretStore',
    fallback: none,
    parse: (raw, name) => {
      if (raw.length < 32) throw new UsageError(`${name} must be at least 32 characters long.`);
      return raw;
    },
    cron: 'no',
  }),
  JWT_ACCESS_TOKEN_EXPIRE_MINUTES: define({
    doc: 'access token lifetime, in minutes',
    defaultDoc: '30',
    fallback: () => 30,
    parse: positiveNumber,
    cron: 'no',
  }),
  JWT_REFRESH_TOKEN_EXPIRE_DAYS: define({
    doc: 'refresh token (session) lifetime, in days',
    defaultDoc: '7',
    fallback: () => 7,
    parse: positiveNumber,
    cron: 'no',
  }),
  GOOGLE_CLIENT_ID: define<string | undefined>({
    doc: 'your Desktop OAuth client (set both, or neither)',
    defaultDoc: 'none (`--client-secret-file`)',
    fallback: none,
    parse: trimmed,
    cron: 'carried',
  }),
  GOOGLE_CLIENT_SECRET: define<string | undefined>({
    doc: "your Desktop OAuth client's secret",
    defaultDoc: 'none (`--client-secret-file`)',
    fallback: none,
    parse: trimmed,
    cron: 'no',
  }),
  BROWSER: define<string | undefined>({
    doc: 'command that opens a URL (`%s` stands for the URL)',
    defaultDoc: 'the platform opener, where a display exists',
    fallback: none,
    parse: trimmed,
    cron: 'no',
  }),
  DJS_LINKEDIN_URL: define({
    doc: 'LinkedIn origin',
    defaultDoc: '`https://www.linkedin.com`',
    fallback: () => 'https://www.linkedin.com/',
    parse: httpUrl,
    cron: 'carried',
  }),
  DJS_GREENHOUSE_URL: sourceUrl('Greenhouse job board API', 'https://boards-api.greenhouse.io/'),
  DJS_LEVER_URL: sourceUrl(
    'Lever postings API (sites on the EU host are found there)',
    'https://api.lever.co/',
  ),
  DJS_LEVER_EU_URL: sourceUrl(
    "Lever postings API's EU host, asked for a site DJS_LEVER_URL does not have",
    'https://api.eu.lever.co/',
  ),
  DJS_ASHBY_URL: sourceUrl('Ashby posting API', 'https://api.ashbyhq.com/'),
  DJS_SMARTRECRUITERS_URL: sourceUrl('SmartRecruiters posting API', 'https://api.smartrecruiters.com/'),
  DJS_WORKABLE_URL: sourceUrl('Workable job widget API', 'https://apply.workable.com/'),
  DJS_RECRUITEE_URL: define({
    doc: 'Recruitee careers site, a template: `{company}` stands for the company',
    defaultDoc: '`https://{company}.recruitee.com/`',
    fallback: () => 'https://{company}.recruitee.com/',
    parse: (raw, name) => {
      const value = raw.trim();
      if (!value.includes('{company}'))
        throw new UsageError(
          `${name} must contain "{company}" where the company's name goes, not "${value}".`,
        );
      httpUrl(value.replaceAll('{company}', 'company'), name);
      return value;
    },
    cron: 'carried',
  }),
  DJS_REMOTIVE_URL: sourceUrl('Remotive feed', 'https://remotive.com/'),
  DJS_ARBEITNOW_URL: sourceUrl('Arbeitnow feed', 'https://www.arbeitnow.com/'),
  DJS_REMOTEOK_URL: sourceUrl('Remote OK feed', 'https://remoteok.com/'),
  DJS_GOOGLE_AUTH_URL: googleUrl('Google OAuth consent page', 'https://accounts.google.com/o/oauth2/v2/auth'),
  DJS_GOOGLE_TOKEN_URL: googleUrl('Google OAuth token endpoint', 'https://oauth2.googleapis.com/token'),
  DJS_GOOGLE_REVOKE_URL: googleUrl('Google OAuth revoke endpoint', 'https://oauth2.googleapis.com/revoke'),
  DJS_GOOGLE_API_URL: googleUrl('root URL of the Sheets API', 'https://sheets.googleapis.com/'),
  DJS_RATE_LIMIT: define({
    doc: 'LinkedIn requests per minute; `0` = unlimited',
    defaultDoc: '20',
    fallback: () => 20,
    parse: (raw, name) => {
      const value = raw.trim();
      if (!/^\d+$/.test(value))
        throw new UsageError(
          `${name} must be a whole number of requests per minute (0 = off), not "${value}".`,
        );
      return Number(value);
    },
    cron: 'carried',
  }),
  DJS_LINKEDIN_TIMEOUT_MS: define({
    doc: 'per-request timeout for LinkedIn',
    defaultDoc: '15000',
    fallback: () => 15_000,
    parse: (raw, name) => {
      const value = raw.trim();
      if (!/^\d+$/.test(value) || Number(value) < 100)
        throw new UsageError(`${name} must be a whole number of milliseconds, at least 100.`);
      return Number(value);
    },
    cron: 'no',
  }),
  HTTPS_PROXY: define<string | undefined>({
    doc: 'proxy for LinkedIn and Google requests',
    defaultDoc: 'none',
    fallback: none,
    parse: trimmed,
    cron: 'carried',
    alias: 'https_proxy',
  }),
  HTTP_PROXY: define<string | undefined>({
    doc: 'proxy for Google requests when `HTTPS_PROXY` is unset',
    defaultDoc: 'none',
    fallback: none,
    parse: trimmed,
    cron: 'no',
    alias: 'http_proxy',
  }),
  NO_PROXY: define<string | undefined>({
    doc: 'hosts Google requests reach without the proxy',
    defaultDoc: 'none',
    fallback: none,
    parse: trimmed,
    cron: 'no',
    alias: 'no_proxy',
  }),
  DJS_GOOGLE_BACKOFF_MS: define<number | undefined>({
    doc: 'first step of the Google API backoff (ignored unless a whole number)',
    defaultDoc: '1000',
    fallback: none,
    // Lenient by design: the tests and the demo shorten the backoff, and a stray value keeps the default.
    parse: (raw) => (/^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined),
    cron: 'no',
  }),
  NO_COLOR: define({
    doc: 'set (even empty): no colour',
    defaultDoc: 'unset',
    fallback: () => false,
    parse: present,
    cron: 'no',
    emptyIsSet: true,
  }),
  FORCE_COLOR: define({
    doc: 'set, and not `0`: colour even off a terminal',
    defaultDoc: 'unset',
    fallback: () => false,
    parse: (raw) => raw !== '0',
    cron: 'no',
    emptyIsSet: true,
  }),
  TERM: define<string | undefined>({
    doc: '`dumb`: no colour and no live progress line',
    defaultDoc: 'unset',
    fallback: none,
    parse: trimmed,
    cron: 'no',
  }),
  COLUMNS: define<number | undefined>({
    doc: 'table width when stdout is not a terminal (ignored below 40)',
    defaultDoc: '100',
    fallback: none,
    // Lenient: shells set it, and a table that ignores a stray value beats a refusal.
    parse: (raw) => {
      const columns = Number(raw);
      return Number.isFinite(columns) ? columns : undefined;
    },
    cron: 'no',
  }),
  DISPLAY: define({
    doc: 'set: a browser may be opened (Linux)',
    defaultDoc: 'unset',
    fallback: () => false,
    parse: present,
    cron: 'no',
  }),
  WAYLAND_DISPLAY: define({
    doc: 'set: a browser may be opened (Linux)',
    defaultDoc: 'unset',
    fallback: () => false,
    parse: present,
    cron: 'no',
  }),
  DBUS_SESSION_BUS_ADDRESS: define<string | undefined>({
    doc: 'the session bus that reaches the keychain and the notification daemon (Linux)',
    defaultDoc: 'unset',
    fallback: none,
    parse: asIs,
    cron: 'stable-bus',
  }),
  XDG_RUNTIME_DIR: define<string | undefined>({
    doc: 'where the session bus is when `DBUS_SESSION_BUS_ADDRESS` is unset (Linux)',
    defaultDoc: 'unset',
    fallback: none,
    parse: asIs,
    cron: 'no',
  }),
};

export type SettingName = keyof typeof SETTINGS;
export type SettingValue<N extends SettingName> = (typeof SETTINGS)[N] extends Setting<infer T> ? T : never;

/** The variable as set (its alias when it is unset), or undefined when unset or, unless it counts, blank. */
export function rawSetting(env: Environment, name: SettingName): string | undefined {
  const definition: Setting<unknown> = SETTINGS[name];
  for (const spelling of definition.alias ? [name, definition.alias] : [name]) {
    const value = env[spelling];
    if (value !== undefined && (definition.emptyIsSet || value.trim() !== '')) return value;
  }
  return undefined;
}

/** The parsed value of a variable, or its default when unset; a bad value throws a UsageError naming it. */
export function setting<N extends SettingName>(env: Environment, name: N): SettingValue<N> {
  const definition = SETTINGS[name] as Setting<SettingValue<N>>;
  const raw = rawSetting(env, name);
  return raw === undefined ? definition.fallback() : definition.parse(raw, name);
}

/** The variables `schedule install` copies into the crontab line as set, in table order. */
export const CARRIED_VARIABLES = (Object.keys(SETTINGS) as SettingName[]).filter(
  (name) => SETTINGS[name].cron === 'carried',
);

const CRON_DOC: Record<CronCarry, string> = {
  no: 'no',
  carried: 'yes',
  home: 'always, as the folder in use',
  'stable-bus': 'when it is the systemd user bus and the keychain or `--notify` needs it',
};

/** The README's environment table (SPEC §3), one row per variable. */
export function environmentTable(): string {
  const rows = (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const definition: Setting<unknown> = SETTINGS[name];
    const spelling = definition.alias ? `\`${name}\` (or \`${definition.alias}\`)` : `\`${name}\``;
    return `| ${spelling} | ${definition.doc} | ${definition.defaultDoc} | ${CRON_DOC[definition.cron]} |`;
  });
  return [
    '| variable | meaning | default | carried by `schedule install` |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
