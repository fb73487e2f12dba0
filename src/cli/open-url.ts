import { spawn } from 'node:child_process';
import { setting } from '../core/settings.js';

/**
 * Opens a URL in the person's browser: $BROWSER when set (the usual convention: a command, or several
 * separated by ':', with %s standing for the URL), else the platform opener — on Linux only where a
 * display exists. Returns whether something was started; the caller always prints the URL too.
 */
export function openUrl(url: string, env: NodeJS.ProcessEnv): boolean {
  const browser = setting(env, 'BROWSER');
  if (browser) {
    const command = browser.split(':').find((candidate) => candidate.trim() !== '');
    if (!command) return false;
    // The URL is passed as "$1", never spliced into the shell text.
    const script = command.includes('%s') ? command.replaceAll('%s', '"$1"') : `${command} "$1"`;
    return start('/bin/sh', ['-c', script, 'sh', url], env);
  }
  if (process.platform === 'darwin') return start('open', [url], env);
  if (process.platform === 'win32') return start('cmd', ['/c', 'start', '""', url], env);
  if (setting(env, 'DISPLAY') || setting(env, 'WAYLAND_DISPLAY')) return start('xdg-open', [url], env);
  return false;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): boolean {
  try {
    const child = spawn(command, args, { env, stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
