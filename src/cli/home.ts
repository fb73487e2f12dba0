import type { AccountOverview } from '../accounts/overview.js';
import { DjsError, ExitCode } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import { Context, type IOStreams } from './context.js';
import { requireLogin } from './factory.js';
import { clearScreen, escapable, ESCAPED, readKey } from './keys.js';
import { colorWanted } from './output.js';
import { askText } from './prompts.js';

export interface HomeDeps {
  io: IOStreams;
  env: NodeJS.ProcessEnv;
  /** Whether djs has this command (['sheets', 'create']): the menus offer only what exists. */
  hasCommand: (path: readonly string[]) => boolean;
  /** Runs one command line as `djs <args>` would (errors reported), returning its exit code. */
  run: (args: string[]) => Promise<number>;
}

/** A task of the home: a command line to run, or a group of further tasks. */
interface Task {
  name: string;
  description?: string;
  args?: string[];
  /** Asks for what the command line needs (a spreadsheet link …); null when the person backs out. */
  ask?: (ctx: Context) => Promise<string[] | null>;
  tasks?: Task[];
}

type Header = { loggedIn: false } | { loggedIn: true; email: string; overview: AccountOverview };

/**
 * `djs` on a terminal: a home that stays until the person quits. A header with the account and its
 * counts, then tasks grouped by what people do; after each task the home comes back with fresh counts.
 * Esc goes back one level, Ctrl-C at the home leaves (exit 0).
 */
export async function openHome(deps: HomeDeps): Promise<number> {
  const { io } = deps;
  // One context for the home's own reads (the header, its prompts); each task runs with its own.
  const ctx = homeContext(deps);
  try {
    for (;;) {
      let chosen: string[] | null;
      try {
        const header = await readHeader(ctx);
        clearScreen(io.stdout);
        showHeader(ctx, header);
        const menu = header.loggedIn ? homeTasks(header.overview.newPostings) : loggedOutTasks();
        chosen = await pickTask(ctx, available(menu, deps.hasCommand), true);
      } catch (error) {
        if (isCtrlCAtPrompt(error)) return ExitCode.ok;
        throw error;
      }
      if (chosen === null) return ExitCode.ok;
      const code = await deps.run(chosen);
      // A cancelled task (Esc, Ctrl-C) goes straight home; otherwise its output stays until a key is pressed.
      if (code !== ExitCode.interrupted) await pressAnyKey(deps);
    }
  } finally {
    ctx.close();
    // Reading keys left stdin flowing: let the process end.
    io.stdin.pause();
  }
}

function homeContext({ io, env }: HomeDeps): Context {
  return new Context(io, env, { json: false, verbose: false, color: colorWanted(io.stdout, env, true) });
}

async function readHeader(ctx: Context): Promise<Header> {
  try {
    const { user } = await requireLogin(ctx);
    const { accountOverview } = await import('../accounts/overview.js');
    return { loggedIn: true, email: user.email, overview: accountOverview(await ctx.db(), user.id) };
  } catch (error) {
    if (error instanceof DjsError && error.exitCode === ExitCode.auth) return { loggedIn: false };
    throw error;
  }
}

function showHeader(ctx: Context, header: Header): void {
  const { bold, dim } = ctx.out.style;
  ctx.out.line(bold('Dream Job Search'));
  if (!header.loggedIn) {
    ctx.out.line(`${dim('Not logged in.')} Create an account or log in to start.`);
    ctx.out.line('');
    return;
  }
  const { overview } = header;
  const last = overview.lastUpdate;
  const sheet = overview.spreadsheet;
  ctx.out.line(`${bold('Logged in as')}     ${header.email}`);
  ctx.out.line(
    `${bold('Postings')}         ${overview.postings} · ${bold(String(overview.newPostings))} new since your last review`,
  );
  ctx.out.line(
    `${bold('Last collection')}  ${last ? `${last.startedAt.replace('T', ' ').slice(0, 16)} UTC, ${last.outcome ?? 'did not finish'}` : 'never'}`,
  );
  ctx.out.line(
    `${bold('Spreadsheet')}      ${sheet ? stripControl(sheet.title ?? sheet.id) : dim('none (Google Sheets → create or link one)')}`,
  );
  ctx.out.line('');
}

function loggedOutTasks(): Task[] {
  return [
    { name: 'Register', description: 'create an account on this computer', args: ['register'] },
    { name: 'Log in', description: 'start a session', args: ['login'] },
  ];
}

function homeTasks(newPostings: number): Task[] {
  const review: Task[] =
    newPostings > 0
      ? [
          {
            name: `Review new postings (${newPostings})`,
            description: 'one card at a time, best first: s save, a applied, x not interested …',
            args: ['review'],
          },
        ]
      : [];
  return [
    ...review,
    {
      name: 'Search',
      tasks: [
        { name: 'Search by keywords', args: ['search'] },
        { name: 'List the new postings', args: ['search', '--new'] },
        { name: 'Past searches', args: ['search', '--history'] },
        { name: 'Show a posting', args: ['jobs', 'show'] },
        { name: "Set a posting's status", args: ['jobs', 'set-status'] },
      ],
    },
    {
      name: 'Collect now',
      description:
        'run your saved searches and sources, with live progress (Ctrl-C stops, keeping what came)',
      args: ['update-db'],
    },
    {
      name: 'Saved searches and sources',
      tasks: [
        { name: 'Saved searches', args: ['searches', 'list'] },
        { name: 'Add a saved search', args: ['searches', 'add'] },
        { name: 'Remove a saved search', args: ['searches', 'remove'] },
        { name: 'Sources', args: ['sources', 'list'] },
        { name: 'Add a source', args: ['sources', 'add'] },
        { name: 'Remove a source', args: ['sources', 'remove'] },
        { name: 'Blocked companies', args: ['blocklist', 'list'] },
        {
          name: 'Block a company',
          description: 'its postings are hidden everywhere',
          args: ['blocklist', 'add'],
        },
        { name: 'Unblock a company', args: ['blocklist', 'remove'] },
        {
          name: 'Save searches (and collect them now)',
          description: 'djs update-db -q <query> -l <location> --save',
          ask: askSavedSearch,
        },
      ],
    },
    {
      name: 'Google Sheets',
      tasks: [
        { name: 'Create a spreadsheet', args: ['sheets', 'create'] },
        { name: 'Link an existing spreadsheet', ask: askSpreadsheetLink },
        { name: 'Sync now', args: ['sheets', 'sync'] },
        { name: 'Open in the browser', args: ['sheets', 'open'] },
        { name: 'List your spreadsheets', args: ['sheets', 'list'] },
        { name: 'Connect Google', args: ['login', '--google'] },
      ],
    },
    {
      name: 'Schedule',
      tasks: [
        { name: 'Show the schedule', args: ['schedule', 'show'] },
        { name: 'Collect every morning', args: ['schedule', 'install'] },
        {
          name: 'Collect every morning, and notify me',
          description: 'a desktop notification when new postings match your keywords',
          args: ['schedule', 'install', '--notify'],
        },
        { name: 'Remove the schedule', args: ['schedule', 'remove'] },
      ],
    },
    {
      name: 'Account',
      tasks: [
        { name: 'Profile', args: ['profile', 'show'] },
        { name: 'Keywords', description: 'what ranks the review', args: ['profile', 'keywords'] },
        { name: 'Status', args: ['status'] },
        { name: 'Change password', args: ['profile', 'password'] },
        { name: 'Log out', args: ['logout'] },
        { name: 'Delete the account', args: ['profile', 'delete'] },
      ],
    },
  ];
}

/** Only the tasks whose command djs has; a group with none left disappears. */
function available(tasks: Task[], hasCommand: HomeDeps['hasCommand']): Task[] {
  return tasks.flatMap((task): Task[] => {
    if (task.tasks) {
      const inner = available(task.tasks, hasCommand);
      return inner.length > 0 ? [{ ...task, tasks: inner }] : [];
    }
    return !task.args || hasCommand(task.args.filter((arg) => !arg.startsWith('-'))) ? [task] : [];
  });
}

/** The command line of the task picked, or null for Quit (at the top) — Esc at the top asks again. */
async function pickTask(ctx: Context, tasks: Task[], top: boolean): Promise<string[] | null> {
  for (;;) {
    const task = await choose(ctx, top ? 'What do you want to do?' : 'Which one?', tasks, top);
    if (task === 'back') {
      if (top) continue;
      return null;
    }
    if (task === null) return null;
    if (task.tasks) {
      const inner = await pickTask(ctx, task.tasks, false);
      if (inner) return inner;
      continue;
    }
    if (task.ask) {
      const args = await task.ask(ctx);
      if (args) return args;
      continue;
    }
    return task.args!;
  }
}

/** One menu; 'back' on Esc, null for Quit. */
async function choose(
  ctx: Context,
  message: string,
  tasks: Task[],
  top: boolean,
): Promise<Task | 'back' | null> {
  const { select, Separator } = await import('@inquirer/prompts');
  const task = await escapable(ctx.io.stdin, (signal) =>
    select<Task | 'back' | null>(
      {
        message,
        choices: [
          ...tasks.map((task) => ({
            name: task.tasks ? `${task.name} …` : task.name,
            value: task,
            description: task.description,
          })),
          new Separator(),
          top ? { name: 'Quit', value: null } : { name: 'Back', value: 'back' as const },
        ],
        pageSize: 20,
        loop: false,
      },
      { input: ctx.io.stdin, output: ctx.io.stdout, signal, clearPromptOnDone: true },
    ),
  );
  return task === ESCAPED ? 'back' : task;
}

async function askSpreadsheetLink(ctx: Context): Promise<string[] | null> {
  const link = await askOrBack(ctx, 'Link or id of the spreadsheet (Esc to go back):');
  return link ? ['sheets', 'link', link] : null;
}

async function askSavedSearch(ctx: Context): Promise<string[] | null> {
  const query = await askOrBack(ctx, 'Search for (e.g. python developer; Esc to go back):');
  if (!query) return null;
  const location = await askOrBack(ctx, 'Where (e.g. Berlin, or Remote):');
  return location ? ['update-db', '-q', query, '-l', location, '--save'] : null;
}

/** A line of text, or null when the person pressed Esc or left it empty. */
async function askOrBack(ctx: Context, message: string): Promise<string | null> {
  const answer = await escapable(ctx.io.stdin, (signal) => askText(ctx, message, { signal }));
  return answer === ESCAPED ? null : answer.trim() || null;
}

async function pressAnyKey({ io }: HomeDeps): Promise<void> {
  io.stdout.write('\nPress any key to go back to the home.');
  await readKey(io.stdin);
}

/** Ctrl-C at an inquirer prompt (raw mode: it arrives as a key, not as SIGINT). */
function isCtrlCAtPrompt(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ExitPromptError';
}
