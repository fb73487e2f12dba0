import { spawnSync } from 'node:child_process';
import { DjsError, UsageError } from '../core/errors.js';
import { hasControlCharacter, stripControl } from '../core/sanitize.js';
import { CARRIED_VARIABLES, rawSetting, setting, type Environment } from '../core/settings.js';

export const DEFAULT_CRON = '30 7 * * *';
const LOG_ROTATE_BYTES = 5_000_000;

/** The crontab, read and written through the `crontab` command like a person would (SPEC §10). */
export interface Crontab {
  read(): string;
  write(content: string): void;
}

export function systemCrontab(env: NodeJS.ProcessEnv): Crontab {
  const run = (args: string[], input?: string) => {
    const result = spawnSync('crontab', args, { input, encoding: 'utf8', env });
    if (result.error) {
      throw new DjsError(
        'The `crontab` command is not available. Install cron (e.g. `apt install cron`) to schedule djs.',
        undefined,
        { cause: result.error },
      );
    }
    return result;
  };
  return {
    read() {
      const result = run(['-l']);
      // "no crontab for <user>" is an empty crontab, not an error.
      if (result.status !== 0) {
        if (/no crontab/i.test(result.stderr)) return '';
        throw new DjsError(`crontab -l failed: ${result.stderr.trim()}`);
      }
      return result.stdout;
    },
    write(content) {
      const result = run(['-'], content);
      if (result.status !== 0) throw new DjsError(`crontab refused the new table: ${result.stderr.trim()}`);
    },
  };
}

/** Every djs line ends with this marker, naming the database, so each DJS_HOME has at most one line. */
export const markerFor = (databaseId: string): string => `# dream-job-search:update-db:${databaseId}`;

/** The nicknames Vixie/Debian cron knows, as the 5 fields it reads them as (@reboot has no time to preview). */
const CRON_NICKNAMES: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/**
 * Each field as Vixie/Debian cron reads it: a list of `*`, `*\/step`, a value or a range `a-b[/step]`, where
 * a value is a number or (month, weekday) a three-letter name. Cron silently skips whatever follows a value
 * it does not understand ("5#3" is Friday to it, "third Friday" to croner), so anything else is refused.
 */
const cronField = (name: string, names?: string): { name: string; pattern: RegExp } => {
  const value = names ? `(?:\\d+|${names})` : '\\d+';
  const item = `(?:\\*(?:/\\d+)?|${value}|${value}-${value}(?:/\\d+)?)`;
  return { name, pattern: new RegExp(`^${item}(?:,${item})*$`, 'i') };
};
const CRON_FIELDS = [
  cronField('minute'),
  cronField('hour'),
  cronField('day-of-month'),
  cronField('month', 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec'),
  cronField('weekday', 'sun|mon|tue|wed|thu|fri|sat'),
];

/**
 * Validates a cron expression against what the system cron (Vixie/Debian) reads the same way as croner,
 * which computes the next runs; expands cron's own nicknames (@daily …) to their 5 fields.
 */
export async function parseCron(
  expression: string,
): Promise<{ expression: string; nextRuns: (count: number, from?: Date) => Date[] }> {
  const collapsed = expression.trim().replace(/\s+/g, ' ');
  const trimmed = CRON_NICKNAMES[collapsed.toLowerCase()] ?? collapsed;
  const fields = trimmed.split(' ');
  if (fields.length !== 5) {
    throw new UsageError(
      `"${printable(expression)}" is not a 5-field cron expression (minute hour day month weekday), e.g. "${DEFAULT_CRON}".`,
    );
  }
  fields.forEach((field, index) => {
    const { name, pattern } = CRON_FIELDS[index]!;
    if (!pattern.test(field)) {
      throw new UsageError(
        `The ${name} field "${printable(field)}" of "${printable(trimmed)}" is not plain cron: the system cron does not know "#", "L", "W" or "?" and would run at other times than djs shows. Use numbers, names (mon, jan), *, ranges (1-5), lists (1,3) and steps (*/2, 1-5/2).`,
      );
    }
  });
  const { Cron } = await import('croner');
  let cron: InstanceType<typeof Cron>;
  try {
    // Vixie cron ANDs the two day fields when either starts with "*" (so "*/2" too), and ORs them otherwise.
    const domAndDow = fields[2]!.startsWith('*') || fields[4]!.startsWith('*');
    cron = new Cron(trimmed, { paused: true, mode: '5-part', domAndDow });
  } catch (error) {
    throw new UsageError(`Invalid cron expression "${trimmed}": ${(error as Error).message}`);
  }
  return { expression: trimmed, nextRuns: (count, from) => cron.nextRuns(count, from ?? undefined) };
}

/** Part of what the person typed, safe to repeat in a message. */
const printable = (text: string): string => stripControl(text).slice(0, 60);

/**
 * Single-quotes a value for /bin/sh, then escapes it for cron, which reads `%` as a newline and (Debian)
 * `\\` as one backslash before the shell sees the line: a `%` stands outside the quotes as `\%`, and a
 * backslash is always followed by a quote, so cron leaves it alone.
 */
const CRON_SHELL_ESCAPES: Record<string, string> = { "'": `'\\''`, '\\': `\\''`, '%': `'\\%'` };
const shellQuote = (value: string): string =>
  `'${value.replace(/['\\%]/g, (character) => CRON_SHELL_ESCAPES[character]!)}'`;

// The systemd user bus has a fixed address, so a cron job can reach an unlocked keyring through it.
const STABLE_SESSION_BUS = /^unix:path=\/run\/user\/\d+\/bus$/;

export interface CarriedEnvironment {
  /** What the crontab line sets besides DJS_HOME. */
  variables: Record<string, string>;
  /** The keychain is in use but the unattended run will have no session bus to reach it through. */
  keychainOutOfReach: boolean;
}

/**
 * The settings an unattended run must see as the person's shell does (core/settings marks them); secrets
 * are never carried. Values go as set, untrimmed: scheduleLine refuses a control character anywhere in one.
 */
export function carriedEnvironment(env: Environment, { notify = false } = {}): CarriedEnvironment {
  const variables: Record<string, string> = {};
  for (const name of CARRIED_VARIABLES) {
    const value = rawSetting(env, name);
    if (value !== undefined) variables[name] = value;
  }
  const usesKeychain = setting(env, 'DJS_SECRET_STORE') === 'keychain';
  const bus = rawSetting(env, 'DBUS_SESSION_BUS_ADDRESS') ?? '';
  // notify-send (update-db --notify) reaches the desktop's notification daemon through the same session bus.
  if ((usesKeychain || notify) && STABLE_SESSION_BUS.test(bus)) variables.DBUS_SESSION_BUS_ADDRESS = bus;
  return { variables, keychainOutOfReach: usesKeychain && !variables.DBUS_SESSION_BUS_ADDRESS };
}

export interface ScheduleLineInput {
  expression: string;
  databaseId: string;
  home: string;
  logFile: string;
  node: string;
  djs: string;
  /** Variables the unattended run needs (DJS_SECRET_STORE, a D-Bus address for the keychain …). */
  env: Record<string, string>;
  /** Run `update-db --notify`: a desktop notification when new postings match the person's keywords. */
  notify?: boolean;
}

/**
 * The crontab line: rotate the log when it passes a few MB, then run update-db with DJS_HOME set,
 * appending everything it prints to logs/update-db.log.
 */
export function scheduleLine(input: ScheduleLineInput): string {
  const variables: Array<[string, string]> = [['DJS_HOME', input.home], ...Object.entries(input.env)];
  const paths: Array<[string, string]> = [
    ['the path of node', input.node],
    ['the path of djs', input.djs],
  ];
  for (const [name, value] of [...variables, ...paths]) {
    // A newline or carriage return would end the crontab line and start an entry of its own.
    if (hasControlCharacter(value)) {
      throw new UsageError(
        `${name} contains a control character (such as a newline), which would add lines of its own to your crontab; the crontab was not changed. Remove it and run \`djs schedule install\` again.`,
      );
    }
  }
  const assignments = variables.map(([name, value]) => `${name}=${shellQuote(value)}`).join(' ');
  const log = shellQuote(input.logFile);
  const rotate = `find ${log} -size +${LOG_ROTATE_BYTES}c -exec mv -f ${log} ${shellQuote(`${input.logFile}.1`)} \\; 2>/dev/null;`;
  const command = input.notify ? `update-db ${NOTIFY_FLAG}` : 'update-db';
  const run = `${assignments} ${shellQuote(input.node)} ${shellQuote(input.djs)} ${command} >> ${log} 2>&1`;
  return `${input.expression} ${rotate} ${run} ${markerFor(input.databaseId)}`;
}

const NOTIFY_FLAG = '--notify';

/** Whether a djs line (as scheduleLine writes it) runs update-db with notifications. */
export function notifies(line: string): boolean {
  return line.includes(` update-db ${NOTIFY_FLAG} `);
}

export function findLine(crontab: string, databaseId: string): string | null {
  return crontab.split('\n').find((line) => line.endsWith(markerFor(databaseId))) ?? null;
}

/** Puts the line in place of this database's old one (or appends it); every other line stays as it was. */
export function withLine(crontab: string, databaseId: string, line: string): string {
  const kept = withoutLine(crontab, databaseId).replace(/\n+$/, '');
  return `${kept ? `${kept}\n` : ''}${line}\n`;
}

export function withoutLine(crontab: string, databaseId: string): string {
  return crontab
    .split('\n')
    .filter((line) => !line.endsWith(markerFor(databaseId)))
    .join('\n');
}
