import type { Command } from 'commander';
import { join } from 'node:path';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { UsageError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/files.js';
import { packagePath } from '../core/package-root.js';
import { databaseId } from '../db/database.js';

const DJS_BIN = packagePath('bin', 'djs.js');

export function register(program: Command, run: ActionRunner): void {
  const schedule = program
    .command('schedule')
    .description('run `djs update-db` for your saved searches from cron: install | show | remove')
    .addHelpText(
      'after',
      `
Examples:
  $ djs schedule install                     # every day at 07:30
  $ djs schedule install --cron "0 */6 * * *"
  $ djs schedule install --notify            # and a desktop notification when new postings match your keywords
  $ djs schedule show
  $ djs schedule remove`,
    );

  schedule
    .command('install')
    .description('add (or replace) the crontab line for this DJS_HOME')
    .option('--cron <expression>', 'when to run, as 5 cron fields', '30 7 * * *')
    .option(
      '--notify',
      'after each run, a desktop notification when new postings match your keywords (`djs profile keywords`)',
    )
    .action(
      run<{ cron: string; notify?: boolean }>(async (ctx, options) =>
        install(ctx, options.cron, options.notify === true),
      ),
    );

  schedule
    .command('show', { isDefault: true })
    .description('print the crontab line and its next three runs')
    .action(run(async (ctx) => show(ctx)));

  schedule
    .command('remove')
    .description('delete the crontab line for this DJS_HOME (other lines stay untouched)')
    .action(run(async (ctx) => remove(ctx)));
}

async function install(ctx: Context, expression: string, notify: boolean): Promise<void> {
  const schedule = await import('../schedule/crontab.js');
  const cron = await schedule.parseCron(expression);
  const { user } = await requireLogin(ctx);
  const db = await ctx.db();
  const { JobStore } = await import('../jobs/store.js');
  if (new JobStore(db, user.id).savedSearches().length === 0) {
    throw new UsageError(
      'You have no saved searches for cron to run. Save some first, e.g. `djs update-db -q "python developer" -l Berlin --save`.',
    );
  }
  const carried = schedule.carriedEnvironment(ctx.env, { notify });
  const id = databaseId(db);
  const line = schedule.scheduleLine({
    expression: cron.expression,
    databaseId: id,
    home: ctx.paths.home,
    logFile: join(ctx.paths.logs, 'update-db.log'),
    node: process.execPath,
    djs: DJS_BIN,
    env: carried.variables,
    notify,
  });
  ensurePrivateDir(ctx.paths.logs);
  const crontab = schedule.systemCrontab(ctx.env);
  crontab.write(schedule.withLine(crontab.read(), id, line));
  const next = cron.nextRuns(3, ctx.clock.now()).map((date) => date.toISOString());
  if (ctx.out.json) return ctx.out.data({ installed: true, line, nextRuns: next, notify });
  ctx.out.success(
    `Scheduled: ${cron.expression} (next: ${next[0]}). Output goes to ${join(ctx.paths.logs, 'update-db.log')}.`,
  );
  if (notify)
    await warnAboutNotifications(ctx, user.id, carried.variables.DBUS_SESSION_BUS_ADDRESS !== undefined);
  if (carried.keychainOutOfReach) {
    ctx.out.warn(
      'cron jobs cannot reach your keychain from here (no session D-Bus at /run/user/…). Unless you are logged in with an unlocked keyring, set DJS_SECRET_STORE=file and run `djs schedule install` again.',
    );
  }
}

/** What would keep the notifications of `install --notify` from ever showing. */
async function warnAboutNotifications(ctx: Context, userId: number, busCarried: boolean): Promise<void> {
  const { ProfileKeywords } = await import('../accounts/keywords.js');
  if (new ProfileKeywords(await ctx.db(), userId).list().length === 0) {
    ctx.out.warn(
      'You have no keywords, so no posting can match: set some with `djs profile keywords python react`.',
    );
  }
  if (!busCarried) {
    ctx.out.warn(
      'cron jobs cannot reach your desktop from here (no session D-Bus at /run/user/…), so runs will collect without notifying.',
    );
  }
}

async function show(ctx: Context): Promise<void> {
  const schedule = await import('../schedule/crontab.js');
  const id = databaseId(await ctx.db());
  const line = schedule.findLine(schedule.systemCrontab(ctx.env).read(), id);
  if (!line) {
    if (ctx.out.json) return ctx.out.data({ installed: false, line: null, nextRuns: [], notify: false });
    ctx.out.line('No schedule for this DJS_HOME. Add one with `djs schedule install`.');
    return;
  }
  const expression = line.split(' ').slice(0, 5).join(' ');
  const next = (await schedule.parseCron(expression))
    .nextRuns(3, ctx.clock.now())
    .map((date) => date.toISOString());
  const notify = schedule.notifies(line);
  if (ctx.out.json) return ctx.out.data({ installed: true, line, nextRuns: next, notify });
  ctx.out.line(line);
  ctx.out.line('');
  ctx.out.line(
    notify
      ? 'Notifications: on (a desktop notification when new postings match your keywords).'
      : 'Notifications: off (`djs schedule install --notify` turns them on).',
  );
  ctx.out.line('');
  ctx.out.line('Next runs:');
  for (const date of next) ctx.out.line(`  ${date}`);
}

async function remove(ctx: Context): Promise<void> {
  const schedule = await import('../schedule/crontab.js');
  const id = databaseId(await ctx.db());
  const crontab = schedule.systemCrontab(ctx.env);
  const current = crontab.read();
  const removed = schedule.findLine(current, id) !== null;
  if (removed) crontab.write(schedule.withoutLine(current, id));
  if (ctx.out.json) return ctx.out.data({ removed });
  ctx.out.line(removed ? 'Schedule removed.' : 'There was no schedule for this DJS_HOME.');
}
