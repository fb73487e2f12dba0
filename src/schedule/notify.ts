import { spawn } from 'node:child_process';
import { stripControl } from '../core/sanitize.js';
import { rawSetting } from '../core/settings.js';
import type { Db } from '../db/database.js';
import { ProfileKeywords } from '../accounts/keywords.js';
import { NewPostings } from '../jobs/new-postings.js';

/** How long notify-send may take: a hung session bus must not hold up a cron run. */
const NOTIFY_TIMEOUT_MS = 5000;

export type NotifyOutcome = 'sent' | 'no display' | 'no notify-send' | 'refused';

/**
 * A desktop notification through `notify-send` (libnotify: GNOME, KDE, XFCE, any freedesktop
 * notification daemon). Without a session bus or display there is nobody to notify, so nothing is run.
 * Never throws: a missing program, a missing daemon or a timeout is an outcome, not an error.
 */
export function sendDesktopNotification(
  env: NodeJS.ProcessEnv,
  title: string,
  body: string,
): Promise<NotifyOutcome> {
  const desktop = ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY'] as const;
  if (desktop.every((name) => rawSetting(env, name) === undefined)) {
    return Promise.resolve('no display');
  }
  return new Promise((resolve) => {
    const child = spawn('notify-send', ['--app-name=djs', title, body], {
      env,
      stdio: 'ignore',
      timeout: NOTIFY_TIMEOUT_MS,
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? 'no notify-send' : 'refused'),
    );
    child.on('close', (code) => resolve(code === 0 ? 'sent' : 'refused'));
  });
}

/** notify-send bodies may carry markup: keep the person's keywords as text. */
const escapeMarkup = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export interface Nudge {
  /** Null when the run stored nothing that matches (or the person has no keywords): nothing is sent. */
  send(env: NodeJS.ProcessEnv): Promise<{ outcome: NotifyOutcome; text: string } | null>;
}

/**
 * The nudge after an unattended update-db (`djs schedule install --notify`): made before the run, it
 * remembers where the postings stood; after it, it tells the desktop how many of the postings the run
 * stored mention the person's keywords.
 */
export function prepareNudge(db: Db, userId: number): Nudge {
  const postings = new NewPostings(db, userId);
  const before = postings.lastPostingId();
  return {
    async send(env) {
      const keywords = new ProfileKeywords(db, userId).list();
      const { count, keywords: matched } = postings.matchingSince(keywords, before);
      if (count === 0) return null;
      const body = stripControl(
        `${count} new posting${count === 1 ? '' : 's'} match${count === 1 ? 'es' : ''} ${matched.join(', ')} — run djs review`,
      );
      return { outcome: await sendDesktopNotification(env, 'djs', escapeMarkup(body)), text: body };
    },
  };
}
