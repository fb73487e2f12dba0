import { spawn } from 'node:child_process';

/**
 * What cron hands to /bin/sh for a crontab line (Debian cron 3.0pl1, do_command.c): the command after the
 * five time fields, cut at the first unescaped `%` (the rest becomes stdin), with `\%` turned into `%` and
 * `\\` into `\`.
 */
export function cronCommand(line: string): { command: string; stdin: string } {
  const text = line.split(' ').slice(5).join(' ');
  let command = '';
  let escaped = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (escaped) {
      command =
        character === '%' || character === '\\' ? command.slice(0, -1) + character : command + character;
      escaped = false;
    } else if (character === '%') {
      return { command, stdin: text.slice(index + 1) };
    } else {
      command += character;
      escaped = character === '\\';
    }
  }
  return { command, stdin: '' };
}

/**
 * Runs a crontab line's command the way cron would: through cronCommand, then /bin/sh with a minimal
 * environment and no terminal. Asynchronous, so fakes living in the test process can answer it.
 */
export function runLikeCron(line: string): Promise<number | null> {
  const { command, stdin } = cronCommand(line);
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME!, SHELL: '/bin/sh' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('close', resolve);
    child.stdin.end(stdin);
  });
}
