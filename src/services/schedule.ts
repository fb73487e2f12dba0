import { spawnSync } from 'node:child_process';
import { DjsError, UsageError } from '../core/errors.js';

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

/** Validates a 5-field cron expression (what crontab understands) with croner. */
export async function parseCron(
  expression: string,
): Promise<{ expression: string; nextRuns: (count: number, from?: Date) => Date[] }> {
  const trimmed = expression.trim().replace(/\s+/g, ' ');
  if (trimmed.split(' ').length !== 5 || /[\r\n%]/.test(trimmed)) {
    throw new UsageError(
      `"${expression.slice(0, 60)}" is not a 5-field cron expression (minute hour day month weekday), e.g. "${DEFAULT_CRON}".`,
    );
  }
  const { Cron } = await import('croner');
  let cron: InstanceType<typeof Cron>;
  try {
    cron = new Cron(trimmed, { paused: true });
  } catch (error) {
    throw new UsageError(`Invalid cron expression "${trimmed}": ${(error as Error).message}`);
  }
  return { expression: trimmed, nextRuns: (count, from) => cron.nextRuns(count, from ?? undefined) };
}

/** Single-quotes a value for /bin/sh, and escapes % (a newline to cron). */
const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`.replace(/%/g, '\\%');

export interface ScheduleLineInput {
  expression: string;
  databaseId: string;
  home: string;
  logFile: string;
  node: string;
  djs: string;
  /** Variables the unattended run needs (DJS_SECRET_STORE, a D-Bus address for the keychain …). */
  env: Record<string, string>;
}

/**
 * The crontab line: rotate the log when it passes a few MB, then run update-db with DJS_HOME set,
 * appending everything it prints to logs/update-db.log.
 */
export function scheduleLine(input: ScheduleLineInput): string {
  const variables = [['DJS_HOME', input.home], ...Object.entries(input.env)]
    .map(([name, value]) => `${name}=${shellQuote(value!)}`)
    .join(' ');
  const log = shellQuote(input.logFile);
  const rotate = `find ${log} -size +${LOG_ROTATE_BYTES}c -exec mv -f ${log} ${shellQuote(`${input.logFile}.1`)} \\; 2>/dev/null;`;
  const run = `${variables} ${shellQuote(input.node)} ${shellQuote(input.djs)} update-db >> ${log} 2>&1`;
  return `${input.expression} ${rotate} ${run} ${markerFor(input.databaseId)}`;
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
