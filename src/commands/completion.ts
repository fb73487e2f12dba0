import type { Command, Option } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import { UsageError } from '../core/errors.js';

interface CommandSpec {
  path: string[];
  description: string;
  options: Array<{ flag: string; description: string; takesValue: boolean }>;
}

/** Walks the command tree, so completion always matches the commands that exist. */
function commandSpecs(command: Command, parents: string[] = []): CommandSpec[] {
  return command.commands
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => {
      const path = [...parents, child.name()];
      const options = (child.options as readonly Option[])
        .filter((option) => option.long)
        .map((option) => ({
          flag: option.long!,
          description: option.description,
          takesValue: option.required || option.optional,
        }));
      return [{ path, description: child.description(), options }, ...commandSpecs(child, path)];
    });
}

const GLOBAL_FLAGS = ['--json', '--verbose', '--no-color', '--help', '--version'];

function bash(specs: CommandSpec[]): string {
  const cases = specs
    .map((spec) => {
      const children = specs.filter(
        (s) =>
          s.path.length === spec.path.length + 1 && s.path.join(' ').startsWith(`${spec.path.join(' ')} `),
      );
      const words = [
        ...children.map((c) => c.path.at(-1)),
        ...spec.options.map((o) => o.flag),
        ...GLOBAL_FLAGS,
      ];
      return `    "${spec.path.join(' ')}") words="${words.join(' ')}" ;;`;
    })
    .join('\n');
  const top = specs.filter((s) => s.path.length === 1).map((s) => s.path[0]);
  const known = `|${specs.map((spec) => spec.path.join(' ')).join('|')}|`;
  // Only words that name a (sub)command extend the path: option values and arguments do not.
  return `# djs completion for bash. Load it with: source <(djs completion bash)
_djs() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word words candidate
  local known="${known}"
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    candidate="\${path:+$path }$word"
    [[ "$known" == *"|$candidate|"* ]] && path="$candidate"
  done
  case "$path" in
    "") words="${[...top, ...GLOBAL_FLAGS].join(' ')}" ;;
${cases}
    *) words="${GLOBAL_FLAGS.join(' ')}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _djs djs
`;
}

function zsh(specs: CommandSpec[]): string {
  // zsh runs the bash function through bashcompinit: one implementation, two shells.
  return `# djs completion for zsh. Load it with: source <(djs completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(specs).split('\n').slice(1).join('\n')}`;
}

function fish(specs: CommandSpec[]): string {
  const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [
    '# djs completion for fish. Load it with: djs completion fish | source',
    'complete -c djs -f',
  ];
  for (const flag of GLOBAL_FLAGS) lines.push(`complete -c djs -l ${flag.slice(2)}`);
  for (const spec of specs) {
    const condition =
      spec.path.length === 1
        ? '__fish_use_subcommand'
        : `__fish_seen_subcommand_from ${spec.path[0]}; and not __fish_seen_subcommand_from ${specs
            .filter((s) => s.path.length === 2 && s.path[0] === spec.path[0])
            .map((s) => s.path[1])
            .join(' ')}`;
    lines.push(`complete -c djs -n ${quote(condition)} -a ${spec.path.at(-1)} -d ${quote(spec.description)}`);
    for (const option of spec.options) {
      const seen = `__fish_seen_subcommand_from ${spec.path.at(-1)}`;
      lines.push(
        `complete -c djs -n ${quote(seen)} -l ${option.flag.slice(2)}${option.takesValue ? ' -r' : ''} -d ${quote(option.description)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, run: ActionRunner): void {
  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `
Examples:
  $ source <(djs completion bash)                 # add to ~/.bashrc
  $ source <(djs completion zsh)                  # add to ~/.zshrc
  $ djs completion fish > ~/.config/fish/completions/djs.fish`,
    )
    .action(
      run(async (ctx, _options, args) => {
        const specs = commandSpecs(program);
        const generators = { bash, zsh, fish } as const;
        const shell = args[0] as keyof typeof generators;
        if (!(shell in generators))
          throw new UsageError(`Unknown shell "${args[0]}": use bash, zsh or fish.`);
        ctx.out.document(generators[shell](specs));
      }),
    );
}
