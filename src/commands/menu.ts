import type { Command } from 'commander';
import type { IOStreams } from '../cli/context.js';

/**
 * `djs` with no arguments on a terminal: pick a command from a menu instead of remembering it.
 * Returns the argv to run, or null when the person chose to quit.
 */
export async function chooseFromMenu(program: Command, io: IOStreams): Promise<string[] | null> {
  const { select } = await import('@inquirer/prompts');
  const entries = program.commands.flatMap((command) => {
    const subcommands = command.commands.filter((sub) => sub.name() !== 'help');
    if (subcommands.length === 0)
      return [{ name: command.name(), value: [command.name()], description: command.description() }];
    return subcommands.map((sub) => ({
      name: `${command.name()} ${sub.name()}`,
      value: [command.name(), sub.name()],
      description: sub.description(),
    }));
  });
  const choice = await select<string[] | null>(
    {
      message: 'What do you want to do?',
      choices: [...entries, { name: 'quit', value: null, description: 'leave djs' }],
      pageSize: 15,
    },
    { input: io.stdin, output: io.stdout },
  );
  return choice;
}
