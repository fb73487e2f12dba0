import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { DjsError, ExitCode, type ExitCodeValue } from './core/errors.js';
import { packagePath } from './core/package-root.js';
import { terminalText } from './core/sanitize.js';
import { Context, type IOStreams } from './cli/context.js';
import { colorWanted, Output, type OutputOptions, type TerminalStream } from './cli/output.js';
import type { ActionRunner, GlobalOptions, RegisterCommand } from './cli/command.js';
import { commandsFor } from './commands/index.js';

const VERSION = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string })
  .version;

export function buildProgram(
  io: IOStreams,
  env: NodeJS.ProcessEnv,
  contexts: Context[],
  commandModules: RegisterCommand[],
): Command {
  const program = new Command('djs')
    .description(
      'Dream Job Search: collect job postings into a private local database, search and track them.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'machine-readable output on stdout', false)
    .option('--verbose', 'more detail, and stack traces on errors', false)
    .addOption(new Option('--no-color', 'no colours (also NO_COLOR=1)'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Commander quotes the offending argument back: never let it carry escape sequences to the terminal.
      writeOut: (text) => io.stdout.write(terminalText(text)),
      writeErr: (text) => io.stderr.write(terminalText(text)),
      // Commander's own rule, read from our streams rather than process.stdout/stderr, which Node would
      // build just to answer (bin/djs.js writes to a pipe or a file without them: SPEC §12).
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
      // Whether commander strips colours from what it writes: djs's help and commander's messages have none.
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .addHelpText(
      'after',
      `
Examples:
  $ djs register --email ada@example.com      create an account (prompts for the password)
  $ djs login                                 start a session
  $ djs status --json                         who is logged in, as JSON
  $ printf '%s\\n' "$PW" | djs login --email ada@example.com --password-stdin

Exit codes: 0 ok, 1 failure, 2 invalid input, 3 partly failed, 4 not logged in / auth, 75 busy, 130 interrupted.`,
    );

  const runner: ActionRunner =
    (action) =>
    async (...commanderArgs) => {
      const command = commanderArgs.at(-1) as Command;
      const options = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
      const ctx = new Context(io, env, {
        json: options.json,
        verbose: options.verbose,
        color: colorWanted(io.stdout, env, options.color),
      });
      contexts.push(ctx);
      await action(ctx, options as never, command.args);
    };

  for (const register of commandModules) register(program, runner);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

/** The width commander lays the help out for: a terminal's, else its default of 80 columns. */
function helpWidth(stream: TerminalStream): number {
  return (stream.isTTY ? stream.columns : undefined) ?? 80;
}

/** Runs djs with the given arguments and streams; returns the exit code (SPEC §4). */
export async function main(argv: string[], io: IOStreams, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.length === 0 && io.stdin.isTTY === true && io.stdout.isTTY === true) {
    // On a terminal, no arguments opens the home, which runs each task the person picks as a command line.
    const { openHome } = await import('./cli/home.js');
    const tree = buildProgram(io, env, [], await commandsFor([]));
    try {
      return await openHome({
        io,
        env,
        hasCommand: (path) => hasCommand(tree, path),
        run: (args) => runCommandLine(args, io, env, { insideHome: true }),
      });
    } catch (error) {
      return reportError(error, new Output(io.stdout, io.stderr, outputOptions([], io, env)), false);
    }
  }
  return runCommandLine(argv, io, env, { insideHome: false });
}

/** Whether the command tree has this command (e.g. ['sheets', 'create']): the home lists only those. */
function hasCommand(program: Command, path: readonly string[]): boolean {
  let command: Command | undefined = program;
  for (const name of path) command = command?.commands.find((sub) => sub.name() === name);
  return command !== undefined;
}

/**
 * One command line, start to end. Inside the home, Ctrl-C (and Esc, for prompts) cancels just this
 * command: the home comes back; a second Ctrl-C while it is still stopping ends djs.
 */
async function runCommandLine(
  argv: string[],
  io: IOStreams,
  env: NodeJS.ProcessEnv,
  { insideHome }: { insideHome: boolean },
): Promise<number> {
  const contexts: Context[] = [];
  const program = buildProgram(io, env, contexts, await commandsFor(argv));
  const fallbackOutput = new Output(io.stdout, io.stderr, outputOptions(argv, io, env));

  // First Ctrl-C: ask the running command to stop at a safe point (it keeps what it has saved).
  // A second one, or (outside the home) a command that does not stop within a few seconds, ends the process.
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    contexts.forEach((ctx) => ctx.abort.abort());
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    if (!insideHome) setTimeout(() => process.exit(ExitCode.interrupted), 3000).unref();
  };
  const onKeypress = (_: unknown, key: { name?: string } | undefined): void => {
    if (key?.name === 'escape') contexts.forEach((ctx) => ctx.abort.abort());
  };
  process.on('SIGINT', onSigint);
  if (insideHome) io.stdin.on('keypress', onKeypress);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, fallbackOutput, contexts.at(-1)?.abort.signal.aborted ?? false);
  } finally {
    process.off('SIGINT', onSigint);
    // Outside the home, stdin was never touched: reading io.stdin would build the stream just to detach.
    if (insideHome) io.stdin.off('keypress', onKeypress);
    contexts.forEach((ctx) => ctx.close());
  }
}

/** How errors are printed before (or without) a command's own Context: from the raw arguments. */
function outputOptions(argv: string[], io: IOStreams, env: NodeJS.ProcessEnv): OutputOptions {
  return {
    json: argv.includes('--json'),
    verbose: argv.includes('--verbose'),
    color: colorWanted(io.stderr, env, !argv.includes('--no-color')),
  };
}

function reportError(error: unknown, out: Output, interrupted: boolean): ExitCodeValue {
  if (error instanceof CommanderError) {
    // Commander already printed its message (unknown option, missing argument …) or the help/version.
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return ExitCode.ok;
    }
    return ExitCode.usage;
  }
  if (isPromptExit(error) || interrupted) {
    out.error('Interrupted; nothing more was done.');
    return ExitCode.interrupted;
  }
  if (error instanceof DjsError) {
    out.error(error.message);
    if (out.options.verbose && error.cause) out.verbose(String((error.cause as Error).stack ?? error.cause));
    return error.exitCode;
  }
  const systemMessage = describeSystemError(error);
  if (systemMessage) {
    out.error(systemMessage);
  } else {
    out.error(
      `Unexpected error: ${(error as Error)?.message ?? String(error)}. Re-run with --verbose for details.`,
    );
  }
  if (out.options.verbose) out.verbose(String((error as Error)?.stack ?? error));
  return ExitCode.failure;
}

function isPromptExit(error: unknown): boolean {
  return (
    (error as Error | undefined)?.name === 'ExitPromptError' ||
    (error as Error | undefined)?.name === 'AbortPromptError'
  );
}

/** File-system failures the person can fix, said in their words rather than errno's. */
function describeSystemError(error: unknown): string | null {
  const { code, path } = (error ?? {}) as { code?: string; path?: string };
  const where = path ? ` (${path})` : '';
  if (code?.startsWith('SQLITE_READONLY')) {
    return 'The database is read-only, so this command cannot save anything. Commands that only read (search, jobs, status) still work; check that DJS_HOME and its djs.db are writable to change anything.';
  }
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `Permission denied${where}. Check that DJS_HOME is a folder you own and can write.`;
    case 'EROFS':
      return `The file system is read-only${where}. Point DJS_HOME at a writable folder.`;
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return `The disk is full${where}. Free some space and run the command again; nothing was lost.`;
    case 'ENOTDIR':
      return `DJS_HOME must be a folder${where}.`;
    default:
      return null;
  }
}
