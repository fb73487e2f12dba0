import type { Command } from 'commander';
import type { Context } from './context.js';

/** The global options every command sees (src/main.ts declares them on the program). */
export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  color: boolean;
}

/** What a command module exports: it adds its subcommand(s) to the program. */
export type RegisterCommand = (program: Command, run: ActionRunner) => void;

/** Wraps a command's action so it receives a Context built from the global options. */
export type ActionRunner = <Options>(
  action: (ctx: Context, options: Options, args: string[]) => Promise<void>,
) => (...commanderArgs: unknown[]) => Promise<void>;
