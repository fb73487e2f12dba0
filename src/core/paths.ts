import envPaths from 'env-paths';
import { join } from 'node:path';

/** Every file djs keeps lives under one folder, DJS_HOME (SPEC §3). */
export interface DjsPaths {
  home: string;
  database: string;
  session: string;
  config: string;
  secretsFile: string;
  logs: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv): DjsPaths {
  const home = env.DJS_HOME?.trim() ? env.DJS_HOME : envPaths('dream-job-search', { suffix: '' }).data;
  return {
    home,
    database: join(home, 'djs.db'),
    session: join(home, 'session.json'),
    config: join(home, 'config.json'),
    secretsFile: join(home, 'secrets.json'),
    logs: join(home, 'logs'),
  };
}
