/**
 * The dependency rule of djs (README, "Architecture"), checked by `npm run lint`:
 *   main → commands → cli → domains (accounts, jobs, sheets, google, sources, schedule, doctor, demo)
 *        → net, db, secrets → core
 * Arrows point down only, no two folders import each other, and the fakes serve the demo, tests and
 * benches only. Type-only imports count: an upward type is an upward arrow.
 */
const DOMAINS = '(accounts|jobs|sheets|google|sources|schedule|doctor|demo)';
const ADAPTERS = '(net|db|secrets)';

/** A rule that forbids `from` to import anything in `above`. */
function notUpward(name, from, above) {
  return {
    name,
    severity: 'error',
    comment: `${name}: arrows point down only (main → commands → cli → domains → net, db, secrets → core)`,
    from: { path: from },
    to: { path: above },
  };
}

export default {
  forbidden: [
    notUpward('commands-not-up', '^src/commands/', '^src/main\\.ts$'),
    notUpward('cli-not-up', '^src/cli/', '^src/(main\\.ts$|commands/)'),
    notUpward('domain-not-up', `^src/${DOMAINS}/`, '^src/(main\\.ts$|commands/|cli/)'),
    notUpward('adapter-not-up', `^src/${ADAPTERS}/`, `^src/(main\\.ts$|commands/|cli/|${DOMAINS}/|fakes/)`),
    notUpward('core-not-up', '^src/core/', '^src/(?!core/)'),
    {
      name: 'fakes-only-for-demo-tests-benches',
      severity: 'error',
      comment: 'the offline servers are for the demo, tests and benches, never for the product code',
      from: { path: '^src/', pathNot: '^src/(demo|fakes)/' },
      to: { path: '^src/fakes/' },
    },
    {
      name: 'no-circular-modules',
      severity: 'error',
      comment: 'a module cycle: split out what both sides need',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment: 'two folders import each other: one of them must sit below the other',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
