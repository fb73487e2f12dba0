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
  $ djs schedule show
  $ djs schedule remove`,
    );

  schedule
    .command('install')
    .description('add (or replace) the crontab line for this DJS_HOME')
    .option('--cron <expression>', 'when to run, as 5 cron fields', '30 7 * * *')
    .action(run<{ cron: string }>(async (ctx, options) => install(ctx, options.cron)));

  schedule
    .command('show', { isDefault: true })
    .description('print the crontab line and its next three runs')
    .action(run(async (ctx) => show(ctx)));

  schedule
    .command('remove')
    .description('delete the crontab line for this DJS_HOME (other lines stay untouched)')
    .action(run(async (ctx) => remove(ctx)));
}

async function install(ctx: Context, expression: string): Promise<void> {
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
  const carried = schedule.carriedEnvironment(ctx.env);
  const id = databaseId(db);
  const line = schedule.scheduleLine({
    expression: cron.expression,
    databaseId: id,
    home: ctx.paths.home,
    logFile: join(ctx.paths.logs, 'update-db.log'),
    node: process.execPath,
    djs: DJS_BIN,
    env: carried.variables,
  });
  ensurePrivateDir(ctx.paths.logs);
  const crontab = schedule.systemCrontab(ctx.env);
  crontab.write(schedule.withLine(crontab.read(), id, line));
  const next = cron.nextRuns(3, ctx.clock.now()).map((date) => date.toISOString());
  if (ctx.out.json) return ctx.out.data({ installed: true, line, nextRuns: next });
  ctx.out.success(
    `Scheduled: ${cron.expression} (next: ${next[0]}). Output goes to ${join(ctx.paths.logs, 'update-db.log')}.`,
  );
  if (carried.keychainOutOfReach) {
    ctx.out.warn(
      'cron jobs cannot reach your keychain from here (no session D-Bus at /run/user/…). Unless you are logged in with an unlocked keyring, set DJS_SECRET_STORE=file and run `djs schedule install` again.',
    );
  }
}

async function show(ctx: Context): Promise<void> {
  const schedule = await import('../schedule/crontab.js');
  const id = databaseId(await ctx.db());
  const line = schedule.findLine(schedule.systemCrontab(ctx.env).read(), id);
  if (!line) {
    if (ctx.out.json) return ctx.out.data({ installed: false, line: null, nextRuns: [] });
    ctx.out.line('No schedule for this DJS_HOME. Add one with `djs schedule install`.');
    return;
  }
  const expression = line.split(' ').slice(0, 5).join(' ');
  const next = (await schedule.parseCron(expression))
    .nextRuns(3, ctx.clock.now())
    .map((date) => date.toISOString());
  if (ctx.out.json) return ctx.out.data({ installed: true, line, nextRuns: next });
  ctx.out.line(line);
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
