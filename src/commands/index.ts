import type { RegisterCommand } from '../cli/main.js';
import { register as completion } from './completion.js';
import { register as demo } from './demo.js';
import { register as doctor } from './doctor.js';
import { register as jobs } from './jobs.js';
import { register as login } from './login.js';
import { register as logout } from './logout.js';
import { register as profile } from './profile.js';
import { register as registerAccount } from './register.js';
import { register as schedule } from './schedule.js';
import { register as search } from './search.js';
import { register as sheets } from './sheets.js';
import { register as status } from './status.js';
import { register as updateDb } from './update-db.js';

/** Every command, in the order `djs --help` and the menu list them. */
export const commandModules: RegisterCommand[] = [
  registerAccount,
  login,
  logout,
  status,
  profile,
  updateDb,
  search,
  jobs,
  sheets,
  schedule,
  doctor,
  demo,
  completion,
];
