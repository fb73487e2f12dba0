import type { Command } from 'commander';
import type { ActionRunner } from '../cli/main.js';
import { sessionService } from '../cli/factory.js';

export function register(program: Command, run: ActionRunner): void {
  program
    .command('logout')
    .description('end the session; copies of the session file stop working at once')
    .addHelpText('after', '\nExample:\n  $ djs logout')
    .action(
      run(async (ctx) => {
        await (await sessionService(ctx)).end();
        if (ctx.out.json) ctx.out.data({ loggedIn: false });
        else ctx.out.success('Logged out.');
      }),
    );
}
