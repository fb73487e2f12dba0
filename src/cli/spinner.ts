import type { Ora } from 'ora';
import { setting } from '../core/settings.js';
import type { Context } from './context.js';

/** A line redrawn in place is for a person at a terminal: not a pipe or log, not TERM=dumb, not --json. */
export function liveTerminal(ctx: Context): boolean {
  return ctx.io.stderr.isTTY === true && setting(ctx.env, 'TERM') !== 'dumb' && !ctx.out.json;
}

/** A running spinner on stderr; its text is sanitised like every other message. */
export class Spinner {
  private constructor(
    private readonly ctx: Context,
    private readonly ora: Ora,
  ) {}

  /** An ora spinner showing `text` on a live terminal (ora loads only then); null anywhere else. */
  static async start(ctx: Context, text: string): Promise<Spinner | null> {
    if (!liveTerminal(ctx)) return null;
    const [{ default: ora }, { default: chalk }] = await Promise.all([import('ora'), import('chalk')]);
    // ora colours its frame with chalk's shared instance: give it djs's decision, not chalk's own guess.
    chalk.level = ctx.out.options.color ? 1 : 0;
    const spinner = new Spinner(
      ctx,
      ora({
        stream: ctx.io.stderr,
        // djs has already decided that this terminal is live; ora's own guess also refuses CI terminals.
        isEnabled: true,
        // Raw-mode stdin would stop Ctrl-C from raising SIGINT, which update-db stops on.
        discardStdin: false,
      }),
    );
    spinner.ora.start(spinner.safe(text));
    return spinner;
  }

  set text(text: string) {
    this.ora.text = this.safe(text);
  }

  stop(): void {
    this.ora.stop();
  }

  private safe(text: string): string {
    const width = this.ctx.io.stderr.columns ?? 100;
    // The frame and a space come first; a line that wrapped could not be redrawn in place.
    return this.ctx.out.liveText(text.slice(0, Math.max(10, width - 3)));
  }
}

/** Runs `work` with a spinner saying `text` on a live terminal, and nothing extra anywhere else. */
export async function withSpinner<T>(ctx: Context, text: string, work: () => Promise<T>): Promise<T> {
  const spinner = await Spinner.start(ctx, text);
  try {
    return await work();
  } finally {
    spinner?.stop();
  }
}
