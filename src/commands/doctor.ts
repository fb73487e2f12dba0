import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { ActionRunner } from '../cli/command.js';
import { googleLinkService, requireLogin } from '../cli/factory.js';
import { DjsError } from '../core/errors.js';

export function register(program: Command, run: ActionRunner): void {
  program
    .command('doctor')
    .description(
      'check Node, database, search index, keychain, Google client and token, session, network and schedule',
    )
    .option(
      '--fix',
      'first merge the search indexes and rewrite the database file (16 KB pages, no free pages)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ djs doctor\n  $ djs doctor --fix\n  $ djs doctor --json | jq \'.[] | select(.state == "fail")\'',
    )
    .action(
      run(async (ctx, options: { fix?: boolean }) => {
        if (options.fix) {
          if (!existsSync(ctx.paths.database))
            throw new DjsError('There is no database to fix yet: run `djs register` first.');
          const { optimiseSearchIndexes } = await import('../jobs/search-index.js');
          optimiseSearchIndexes(await ctx.db());
          ctx.out.info('search indexes merged and database file rewritten');
        }
        const [{ runChecks }, { probeOrigin }, { systemCrontab }, { withSpinner }] = await Promise.all([
          import('../doctor/checks.js'),
          import('../net/probe.js'),
          import('../schedule/crontab.js'),
          import('../cli/spinner.js'),
        ]);
        const results = await withSpinner(ctx, 'Checking…', () =>
          runChecks({
            paths: ctx.paths,
            env: ctx.env,
            db: () => ctx.db(),
            secrets: () => ctx.secrets(),
            login: () => requireLogin(ctx),
            googleLink: () => googleLinkService(ctx),
            probe: probeOrigin,
            crontab: () => systemCrontab(ctx.env),
          }),
        );
        if (ctx.out.json) {
          ctx.out.data(results);
        } else {
          const { green, yellow, red, dim } = ctx.out.style;
          const mark = { ok: green('✓'), warn: yellow('!'), fail: red('✗') };
          const width = Math.max(...results.map((result) => result.check.length));
          for (const result of results) {
            ctx.out.line(`${mark[result.state]} ${result.check.padEnd(width)}  ${result.detail}`);
            if (result.fix) ctx.out.line(`  ${' '.repeat(width)}  ${dim(`→ ${result.fix}`)}`);
          }
        }
        const failed = results.filter((result) => result.state === 'fail').length;
        if (failed > 0)
          throw new DjsError(`${failed} check${failed === 1 ? '' : 's'} failed; see the fixes above.`);
      }),
    );
}
