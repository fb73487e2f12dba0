import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import { integerIn } from '../cli/validate.js';

export function register(program: Command, run: ActionRunner): void {
  program
    .command('demo')
    .description(
      'the whole flow offline, against built-in local LinkedIn and Google servers, in a temporary DJS_HOME',
    )
    .option('--postings <n>', 'synthetic postings to serve', integerIn(10, 5000), 80)
    .addHelpText('after', '\nExample:\n  $ djs demo')
    .action(
      run<{ postings: number }>(async (ctx, options) => {
        const { runDemo } = await import('../demo/run-demo.js');
        await runDemo(ctx, options);
      }),
    );
}
