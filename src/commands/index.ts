import type { RegisterCommand } from '../cli/command.js';

/**
 * Every command, in the order `djs --help` and the menu list them, each loaded when a command line needs it
 * (SPEC §12): a module's top level, and that of everything it imports (search's Unicode patterns, the job
 * store …), would otherwise run at every start. Inside the one CLI bundle an import() of our own code
 * stays in the file (scripts/build.mjs), so loading on demand costs no extra file.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<{ register: RegisterCommand }>]> = [
  ['register', () => import('./register.js')],
  ['login', () => import('./login.js')],
  ['logout', () => import('./logout.js')],
  ['status', () => import('./status.js')],
  ['profile', () => import('./profile.js')],
  ['update-db', () => import('./update-db.js')],
  ['sources', () => import('./sources.js')],
  ['searches', () => import('./searches.js')],
  ['blocklist', () => import('./blocklist.js')],
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
 * The commands a command line needs set up: just the named one, or all of them for the help, the menu,
 * `completion` (which walks the whole tree) and anything unknown (for "did you mean").
 */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  // The global options are all flags, so the first word that is not an option names the command.
  const name = argv.find((arg) => !arg.startsWith('-'));
  const only = COMMANDS.filter(([command]) => command === name && name !== 'completion');
  const modules = await Promise.all((only.length > 0 ? only : COMMANDS).map(([, load]) => load()));
  return modules.map(({ register }) => register);
}
