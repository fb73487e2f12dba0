import type { RegisterCommand } from '../cli/command.js';
import { register as blocklist } from './blocklist.js';
import { register as completion } from './completion.js';
import { register as demo } from './demo.js';
import { register as doctor } from './doctor.js';
import { register as jobs } from './jobs.js';
import { register as login } from './login.js';
import { register as logout } from './logout.js';
import { register as profile } from './profile.js';
import { register as register } from './register.js';
import { register as review } from './review.js';
import { register as schedule } from './schedule.js';
import { register as search } from './search.js';
import { register as searches } from './searches.js';
import { register as sheets } from './sheets.js';
import { register as status } from './status.js';
import { register as updateDb } from './update-db.js';

/**
 * Every command, in the order `djs --help` and the menu list them. The modules are small and load with the
 * CLI itself: what they need that is heavy (Google, the LinkedIn parser, prompts) they import on demand.
 * Importing each of them on demand cost more than it saved (SPEC §12): the bundle splits every lazily
 * loaded module into chunks of its own, and each extra ES module file costs start-up time.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, register: RegisterCommand]> = [
  ['register', register],
  ['login', login],
  ['logout', logout],
  ['status', status],
  ['profile', profile],
  ['update-db', updateDb],
  ['searches', searches],
  ['blocklist', blocklist],
  ['search', search],
  ['review', review],
  ['jobs', jobs],
  ['sheets', sheets],
  ['schedule', schedule],
  ['doctor', doctor],
  ['demo', demo],
  ['completion', completion],
];

/**
 * The commands a command line needs set up: just the named one, or all of them for the help, the menu,
 * `completion` (which walks the whole tree) and anything unknown (for "did you mean").
 */
export function commandsFor(argv: readonly string[]): RegisterCommand[] {
  // The global options are all flags, so the first word that is not an option names the command.
  const name = argv.find((arg) => !arg.startsWith('-'));
  const only = COMMANDS.filter(([command]) => command === name && name !== 'completion');
  return (only.length > 0 ? only : COMMANDS).map(([, registerCommand]) => registerCommand);
}
