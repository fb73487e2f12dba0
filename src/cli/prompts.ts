import { UsageError } from '../core/errors.js';
import { terminalText } from '../core/sanitize.js';
import type { Context } from './context.js';

/**
 * Reads `count` lines from stdin (for --password-stdin). Secrets never come from arguments or the
 * environment, where other users can see them in `ps` or /proc.
 */
export async function readStdinLines(
  ctx: Context,
  count: number,
  flag = '--password-stdin',
): Promise<string[]> {
  if (ctx.io.stdin.isTTY) {
    throw new UsageError(`${flag} reads from a pipe, e.g. \`printf '%s\\n' "$PASSWORD" | djs … ${flag}\`.`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  const values = lines.slice(0, count);
  if (values.length < count || values.some((line) => line === '')) {
    throw new UsageError(
      count === 1
        ? `${flag} expects the password on standard input.`
        : `${flag} expects ${count} lines on standard input.`,
    );
  }
  return values;
}

/** Fails with exit 2, naming the flag to use, when nobody is at the terminal to answer a prompt. */
export function requireInteractive(ctx: Context, missing: string): void {
  if (!ctx.interactive) throw new UsageError(`${missing} (no prompt is shown when stdin is not a terminal).`);
}

type Validator = (value: string) => string | true;

/** A validator whose message is made safe to print: inquirer writes it to the terminal as it is. */
function safeValidator(validate: Validator | undefined): Validator | undefined {
  return (
    validate &&
    ((value) => {
      const verdict = validate(value);
      return verdict === true ? true : terminalText(verdict);
    })
  );
}

export async function askText(
  ctx: Context,
  message: string,
  options: {
    default?: string;
    required?: boolean;
    validate?: Validator;
    signal?: AbortSignal;
  } = {},
): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return input(
    {
      message: terminalText(message),
      default: options.default === undefined ? undefined : terminalText(options.default),
      required: options.required,
      validate: safeValidator(options.validate),
    },
    { input: ctx.io.stdin, output: ctx.io.stdout, signal: options.signal ?? ctx.abort.signal },
  );
}

/** Hidden input: nothing is echoed, not even a mask, so the length is not shown either. */
export async function askPassword(ctx: Context, message: string, validate?: Validator): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  return password(
    { message: terminalText(message), validate: safeValidator(validate) },
    { input: ctx.io.stdin, output: ctx.io.stdout, signal: ctx.abort.signal },
  );
}

/** Turns a checking function that throws into an inquirer validator that shows the error's message. */
export function validateWith(check: (value: string) => unknown): Validator {
  return (value) => {
    try {
      check(value);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

export async function askNewPassword(ctx: Context, check: (value: string) => void): Promise<string> {
  for (;;) {
    const first = await askPassword(ctx, 'Password:', validateWith(check));
    const second = await askPassword(ctx, 'Repeat the password:');
    if (first === second) return first;
    ctx.out.warn('the two passwords differ; try again.');
  }
}

export async function askConfirm(ctx: Context, message: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm(
    { message: terminalText(message), default: false },
    { input: ctx.io.stdin, output: ctx.io.stdout, signal: ctx.abort.signal },
  );
}

/** The --email value, or (on a terminal) the answer to a prompt for it. */
export async function emailOption(ctx: Context, email: string | undefined): Promise<string> {
  if (email !== undefined) return email;
  requireInteractive(ctx, 'Pass --email');
  const { normaliseEmail } = await import('../accounts/accounts.js');
  return askText(ctx, 'Email:', { required: true, validate: validateWith(normaliseEmail) });
}

/** The password from stdin with --password-stdin, or (on a terminal) from `ask`. */
export async function passwordOption(
  ctx: Context,
  fromStdin: boolean | undefined,
  ask: () => Promise<string>,
): Promise<string> {
  if (fromStdin) return ((await readStdinLines(ctx, 1)) as [string])[0];
  requireInteractive(ctx, 'Pass --password-stdin and pipe the password');
  return ask();
}
