import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import { requireLogin } from '../cli/factory.js';
import { UsageError } from '../core/errors.js';
import { REVIEW_KEYS } from '../cli/review-keys.js';

export function register(program: Command, run: ActionRunner): void {
  program
    .command('review')
    .description('go through your new postings one card at a time, best first, a single key per decision')
    .addHelpText(
      'after',
      `
Keys:
${REVIEW_KEYS.map(([key, does]) => `  ${key}  ${does}`).join('\n')}

Postings are ranked by your keywords (\`djs profile keywords python react\`): each one the title or
description mentions adds 1; without keywords, newest first. A card you move past (a decision, or n)
is seen and not new any more; the one on screen when you leave stays new. Decisions are status changes, kept in the posting's history and synced to your sheet
as with \`djs jobs set-status\`. Needs a terminal; scripts use \`djs search --new --json\`.`,
    )
    .action(
      run(async (ctx) => {
        if (!ctx.interactive || ctx.out.json) {
          throw new UsageError(
            '`djs review` needs a terminal: it reads single keys. To list what is new, use `djs search --new` (or `--new --json`).',
          );
        }
        const { user } = await requireLogin(ctx);
        const db = await ctx.db();
        const [{ ProfileKeywords }, { ReviewSession }, { runReview }] = await Promise.all([
          import('../accounts/keywords.js'),
          import('../jobs/review.js'),
          import('../cli/review.js'),
        ]);
        const keywords = new ProfileKeywords(db, user.id).list();
        const session = ReviewSession.start(db, user.id, ctx.clock, keywords);
        if (session.total === 0) {
          ctx.out.line('Nothing new to review. `djs update-db` collects more.');
          return;
        }
        await runReview(ctx, session);
      }),
    );
}
