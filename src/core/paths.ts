import { join } from 'node:path';
import { setting, type Environment } from './settings.js';

/** Every file djs keeps lives under one folder, DJS_HOME (SPEC §3). */
export interface DjsPaths {
  home: string;
  database: string;
  session: string;
  config: string;
  secretsFile: string;
  logs: string;
}

export function resolvePaths(env: Environment): DjsPaths {
  const home = setting(env, 'DJS_HOME');
  return {
    home,
    database: join(home, 'djs.db'),
    session: join(home, 'session.json'),
    config: join(home, 'config.json'),
    secretsFile: join(home, 'secrets.json'),
    logs: join(home, 'logs'),
  };
}
