import type { RegisterCommand } from '../cli/command.js';

type CommandModule = Promise<{ register: RegisterCommand }>;

/**
 * Every command, in the order `djs --help` and the menu list them, each loaded on demand: a run of
 * `djs status` loads status's module and nothing else (SPEC §12 start-up targets).
 */
export const commandLoaders: ReadonlyArray<readonly [name: string, load: () => CommandModule]> = [
  ['register', () => import('./register.js')],
  ['login', () => import('./login.js')],
  ['logout', () => import('./logout.js')],
  ['status', () => import('./status.js')],
  ['profile', () => import('./profile.js')],
  ['update-db', () => import('./update-db.js')],
  ['search', () => import('./search.js')],
  ['review', () => import('./review.js')],
  ['jobs', () => import('./jobs.js')],
  ['sheets', () => import('./sheets.js')],
  ['schedule', () => import('./schedule.js')],
  ['doctor', () => import('./doctor.js')],
  ['demo', () => import('./demo.js')],
  ['completion', () => import('./completion.js')],
];

/**
 * The command modules a command line needs: just the named command's, or all of them for the help,
 * the menu, `completion` (which walks the whole tree) and anything unknown (for "did you mean").
 */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  // The global options are all flags, so the first word that is not an option names the command.
  const name = argv.find((arg) => !arg.startsWith('-'));
  const only = commandLoaders.filter(([command]) => command === name && name !== 'completion');
  const modules = await Promise.all((only.length > 0 ? only : commandLoaders).map(([, load]) => load()));
  return modules.map((module) => module.register);
}
