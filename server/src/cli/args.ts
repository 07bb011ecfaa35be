/** Command-line parsing for `failpath`: argv in, options or one usage error out. */

export type OutputFormat = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'info' | 'never';

export interface CliOptions {
  paths: string[];
  format: OutputFormat;
  output?: string;
  fix: boolean;
  failOn: FailOn;
  config?: string;
  /** `id=severity` pairs in the order given; severities are validated with the other settings. */
  rules: { ruleId: string; severity: string }[];
  maxWarnings?: number;
  /** Worker threads to analyze on; by default chosen from the number of files and cores. */
  workers?: number;
  debug: boolean;
  /** `--no-index`: analyze each file alone, without the cross-file workspace index. */
  noIndex: boolean;
  help: boolean;
  version: boolean;
}

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

const VALUE_OPTIONS = new Set(['--format', '--output', '--fail-on', '--config', '--rule', '--max-warnings', '--workers']);
const SHORT_NAMES: Readonly<Record<string, string>> = { '-f': '--format', '-o': '--output', '-c': '--config', '-h': '--help', '-v': '--version' };
const FLAG_OPTIONS = new Set(['--fix', '--debug', '--help', '--version', '--no-index']);

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { paths: [], format: 'text', fix: false, failOn: 'error', rules: [], debug: false, noIndex: false, help: false, version: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      options.paths.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.paths.push(arg);
      continue;
    }
    const { name, inlineValue } = splitOption(arg);
    if (FLAG_OPTIONS.has(name)) {
      if (inlineValue !== undefined) throw new UsageError(`option ${name} takes no value`);
      setFlag(options, name);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option '${arg}' (see failpath --help)`);
    let value = inlineValue;
    if (value === undefined) {
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`option ${name} needs a value`);
      value = next;
      index++;
    }
    setValue(options, name, value);
  }
  if (options.paths.length === 0) options.paths.push('.');
  return options;
}

function splitOption(arg: string): { name: string; inlineValue?: string } {
  const equals = arg.indexOf('=');
  const rawName = equals > 0 && arg.startsWith('--') ? arg.slice(0, equals) : arg;
  const inlineValue = equals > 0 && arg.startsWith('--') ? arg.slice(equals + 1) : undefined;
  return { name: SHORT_NAMES[rawName] ?? rawName, inlineValue };
}

function setFlag(options: CliOptions, name: string): void {
  if (name === '--fix') options.fix = true;
  else if (name === '--debug') options.debug = true;
  else if (name === '--no-index') options.noIndex = true;
  else if (name === '--help') options.help = true;
  else if (name === '--version') options.version = true;
}

function setValue(options: CliOptions, name: string, value: string): void {
  switch (name) {
    case '--format':
      options.format = oneOf(name, value, FORMATS);
      return;
    case '--fail-on':
      options.failOn = oneOf(name, value, FAIL_ON);
      return;
    case '--output':
      options.output = value;
      return;
    case '--config':
      options.config = value;
      return;
    case '--max-warnings':
      options.maxWarnings = nonNegativeInteger(name, value);
      return;
    case '--rule':
      options.rules.push(...ruleAssignments(value));
      return;
    case '--workers':
      options.workers = positiveInteger(name, value);
      return;
  }
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name} must be one of ${allowed.join(', ')}; got '${value}'`);
}

function nonNegativeInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number >= 0; got '${value}'`);
  return Number(value);
}

function positiveInteger(name: string, value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${name} must be a whole number >= 1; got '${value}'`);
  return Number(value);
}

/** `--rule a=error` or `--rule a=error,b=off`. */
function ruleAssignments(value: string): { ruleId: string; severity: string }[] {
  return value.split(',').filter((part) => part.trim() !== '').map((part) => {
    const match = /^\s*([^=\s]+)\s*=\s*(\S*)\s*$/.exec(part);
    if (!match || match[2] === '') throw new UsageError(`--rule expects id=severity (e.g. missing-timeout=error); got '${part}'`);
    return { ruleId: match[1], severity: match[2] };
  });
}

export const HELP_TEXT = `Usage: failpath [paths...] [options]

Reviews TypeScript and JavaScript for production-readiness gaps (missing timeouts, swallowed errors, ...).
Paths default to the current directory. Directories are walked for .ts .tsx .js .jsx .mjs .cjs .mts .cts
files, skipping node_modules, .git, dist, build, out, coverage, .next, .nuxt, *.d.ts and whatever
.gitignore files ignore. Files named on the command line are always analyzed, even generated-looking ones.

Options:
  -f, --format text|json|sarif   Report format (default: text).
  -o, --output FILE              Write the report to FILE instead of stdout.
      --fix                      Apply every quick fix in place, then report what is left.
      --fail-on error|warning|info|never
                                 Exit 1 when a finding reaches this severity (default: error).
      --max-warnings N           Also exit 1 when there are more than N warnings.
  -c, --config FILE              Read settings from FILE. A missing or broken FILE is an error (exit 2).
                                 Without it, ./failpath.config.json or the "failpath" key of ./package.json
                                 is used; if that file is broken, a warning is printed and defaults apply.
      --rule ID=SEVERITY         Set a rule's severity: off, info, warning or error. Repeatable;
                                 also --rule a=error,b=off. Overrides the config file.
      --workers N                Analyze on N worker threads (default: min(cores, 4) for more than
                                 4000 files, otherwise 1). Output is the same for every N.
      --no-index                 Analyze each file alone: skip the cross-file index (service functions,
                                 shared clients, loggers and limiters exported by other files).
      --debug                    Print stack traces of rule errors (and the index build time).
  -h, --help                     Show this help.
  -v, --version                  Show the version.

Exit codes:
  0  no finding reaches --fail-on (and warnings are within --max-warnings)
  1  at least one finding reaches --fail-on, or too many warnings
  2  usage error, missing path, unreadable or broken --config file, or internal error
`;
