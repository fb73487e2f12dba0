import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDjs, tempHome } from '../helpers/cli.js';

const { home, cleanup } = tempHome();
afterAll(cleanup);

/** Asks bash for completions of a partly typed command line, with the script djs printed. */
function complete(script: string, words: string[]): string[] {
  const file = join(home, 'djs.bash');
  writeFileSync(file, script);
  const array = words.map((word) => `'${word}'`).join(' ');
  const result = spawnSync(
    'bash',
    [
      '-c',
      `source '${file}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _djs; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('djs completion', () => {
  it('completes commands, subcommands and options in bash, skipping option values', async () => {
    const { stdout, code } = await runDjs(['completion', 'bash'], { home });
    expect(code).toBe(0);
    expect(complete(stdout, ['djs', 'prof'])).toEqual(['profile']);
    expect(complete(stdout, ['djs', 'profile', ''])).toEqual(
      expect.arrayContaining(['show', 'update', 'password', 'delete']),
    );
    expect(complete(stdout, ['djs', 'update-db', '-q', 'python', '--per'])).toEqual(['--per-search']);
    expect(complete(stdout, ['djs', 'schedule', 'install', '--c'])).toEqual(['--cron']);
  });

  it('prints zsh (through bashcompinit) and fish scripts that name every command', async () => {
    const zsh = await runDjs(['completion', 'zsh'], { home });
    expect(zsh.stdout).toMatch(/bashcompinit/);
    expect(zsh.stdout).toMatch(/complete -o default -F _djs djs/);
    const fish = await runDjs(['completion', 'fish'], { home });
    for (const command of [
      'register',
      'login',
      'logout',
      'status',
      'profile',
      'update-db',
      'schedule',
      'doctor',
    ]) {
      expect(fish.stdout).toContain(`-a ${command} `);
    }
    const fishShell = spawnSync('fish', ['--version']);
    if (fishShell.status === 0) {
      expect(spawnSync('fish', ['-n', '-c', fish.stdout]).status).toBe(0);
    }
  });

  it('rejects an unknown shell with exit 2', async () => {
    const result = await runDjs(['completion', 'powershell'], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bash, zsh or fish/);
  });
});
