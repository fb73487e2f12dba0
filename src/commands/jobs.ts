import { Argument, type Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { argumentParser } from '../cli/validate.js';
import { stripControl } from '../core/sanitize.js';
import { JOB_STATUSES, parseJobId, parseJobStatus } from '../jobs/model.js';

export function register(program: Command, run: ActionRunner): void {
  const jobs = program
    .command('jobs')
    .description('look at a stored posting and track your application: show | set-status')
    .addHelpText(
      'after',
      `
Examples:
  $ djs jobs show 4012345678
  $ djs jobs set-status 4012345678 applied --note "sent CV via the careers page"
  $ djs jobs show 4012345678 --json | jq .status
  $ djs jobs show greenhouse:8026689

<job-id> is the id \`djs search\` shows (for LinkedIn, the number in the posting's link; the link works too),
or the id of any other listing of the same job ("greenhouse:8026689", "lever:<id>" …): status and notes
belong to the job, wherever it is listed. Statuses: ${JOB_STATUSES.join(', ')}.`,
    );

  jobs
    .command('show')
    .description(
      'every stored field of a posting, every place it is listed, how long it has been open, its description and status history',
    )
    .argument('[job-id]', 'the job id shown by djs search (asked for on a terminal)')
    .action(run(async (ctx, _options, args) => runJobsShow(ctx, args[0])));

  jobs
    .command('set-status')
    .description('record where you are with a posting; --note adds a dated line to its notes')
    .argument('[job-id]', 'the job id shown by djs search (asked for on a terminal)')
    .addArgument(new Argument('[status]', JOB_STATUSES.join(' | ')).argParser(argumentParser(parseJobStatus)))
    .option('--note <text>', 'append "YYYY-MM-DD: <text>" to the notes (earlier notes are kept)')
    .addHelpText(
      'after',
      `
Examples:
  $ djs jobs set-status 4012345678 saved
  $ djs jobs set-status 4012345678 interviewing --note "first call with the hiring manager on Tuesday"

Notes are a log: each --note adds a line dated today, and the notes travel to your spreadsheet with the
status. Every change is kept in the posting's history (djs jobs show).`,
    )
    .action(
      run<{ note?: string }>(async (ctx, options, args) =>
        runJobsSetStatus(ctx, { jobId: args[0], status: args[1], note: options.note }),
      ),
    );
}

/** Every stored field of a posting; no `jobIdArg` asks for it on a terminal (exit 2 off one). */
export async function runJobsShow(ctx: Context, jobIdArg: string | undefined): Promise<void> {
  const { JobTracking } = await import('../jobs/tracking.js');
  const jobId = parseJobId(jobIdArg ?? (await ask(ctx, 'job id')));
  const { user } = await requireLogin(ctx);
  const details = new JobTracking(await ctx.db(), user.id, ctx.clock).show(jobId);
  if (ctx.out.json) return ctx.out.data(details.record);
  const { renderPosting } = await import('../cli/render/posting.js');
  ctx.out.line(await renderPosting(ctx, details));
}

/** The arguments as typed: a missing job id or status is asked for on a terminal (exit 2 off one). */
export interface SetStatusRequest {
  jobId?: string;
  status?: string;
  note?: string;
}

export async function runJobsSetStatus(ctx: Context, request: SetStatusRequest): Promise<void> {
  const { JobTracking } = await import('../jobs/tracking.js');
  const jobId = parseJobId(request.jobId ?? (await ask(ctx, 'job id')));
  const status = parseJobStatus(request.status ?? (await ask(ctx, 'status')));
  const { user } = await requireLogin(ctx);
  const update = new JobTracking(await ctx.db(), user.id, ctx.clock).setStatus(jobId, status, request.note);
  if (ctx.out.json) {
    return ctx.out.data({
      id: update.jobId,
      status: update.newStatus,
      previousStatus: update.oldStatus,
      notes: update.notes,
      changed: update.changed,
      changedAt: update.changed ? update.changedAt : null,
    });
  }
  const id = stripControl(update.jobId);
  if (!update.changed) {
    ctx.out.line(`${id} is already ${status}; nothing changed.`);
  } else if (update.oldStatus === update.newStatus) {
    ctx.out.success(`${id}: note added (status stays ${status}).`);
  } else {
    ctx.out.success(
      `${id}: ${update.oldStatus} → ${update.newStatus}${request.note !== undefined ? ', note added' : ''}.`,
    );
  }
}

/** A missing argument: asked for on a terminal; off one, exit 2 naming it. */
async function ask(ctx: Context, what: 'job id' | 'status'): Promise<string> {
  const { askText, requireInteractive } = await import('../cli/prompts.js');
  const usage =
    what === 'job id' ? 'djs jobs show <job-id>' : `djs jobs set-status <job-id> <${JOB_STATUSES.join('|')}>`;
  requireInteractive(ctx, `Give the ${what}: ${usage}`);
  return askText(
    ctx,
    what === 'job id' ? 'Job id (as djs search shows it):' : `Status (${JOB_STATUSES.join(', ')}):`,
    {
      required: true,
    },
  );
}
