import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FailpathSettings, RuleError } from '../engine';
import type { ProjectInfo } from '../engine/project';
import { readProjectInfo } from '../host/projectConfig';
import { HELP_TEXT, parseArgs, UsageError, type CliOptions } from './args';
import { ConfigError, resolveSettings } from './config';
import { collectFiles, MissingPathError, type SourceFile } from './files';
import { fixTarget, realRoots, writeAtomically } from './fix';
import { processFile } from './analyzeFile';
import { formatJson } from './formatJson';
import { formatSarif } from './sarif';
import { formatText } from './formatText';
import { packageInfo } from './packageInfo';
import { countBySeverity, displayPath, reachesSeverity, type FileReport, type RunReport } from './report';
import { decodeSource, encodeSource } from './sourceText';

export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** The whole command: argv in, exit code out. User mistakes become one line on stderr and exit 2. */
export function run(argv: readonly string[], io: CliIo): number {
  try {
    return runOrThrow(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof MissingPathError) {
      io.stderr(`failpath: ${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
}

function runOrThrow(argv: readonly string[], io: CliIo): number {
  const options = parseArgs(argv);
  if (options.help) {
    io.stdout(HELP_TEXT);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout(`${packageInfo().version}\n`);
    return EXIT_OK;
  }
  const { settings, warnings } = resolveSettings(options, io.cwd);
  for (const warning of warnings) io.stderr(`failpath: warning: ${warning}\n`);
  const files = collectFiles(options.paths, io.cwd);
  if (files.length === 0) io.stderr('failpath: warning: no TypeScript or JavaScript files found\n');

  const report = analyzeFiles(files, options, settings, io);
  reportRuleErrors(report, options.debug, io);
  if (options.fix) reportFixes(report, io);
  if (!writeReport(render(report, options), options.output, io)) return EXIT_ERROR;
  return exitCode(report, options);
}

function analyzeFiles(files: readonly SourceFile[], options: CliOptions, settings: FailpathSettings, io: CliIo): RunReport {
  const projects = new ProjectInfoCache(io.cwd);
  const roots = realRoots(options.paths, io.cwd);
  const reports = files.map((file) => analyzeOnDisk(file, options.fix, settings, projects.forFile(file.path), roots));
  return { cwd: io.cwd, files: reports };
}

/** Reads one file, runs the pure per-file work, writes its fixes. Problems with this file never stop the run. */
function analyzeOnDisk(file: SourceFile, fix: boolean, settings: FailpathSettings, project: ProjectInfo, roots: readonly string[]): FileReport {
  const skipped = (reason: string): FileReport => ({ filePath: file.path, findings: [], skipped: reason, ruleErrors: [], fixesApplied: 0, hasBom: false });
  let bytes: Buffer;
  try {
    const size = fs.statSync(file.path).size;
    if (size > settings.maxFileSize) return skipped(`file is ${size} bytes, over failpath.maxFileSize (${settings.maxFileSize})`);
    bytes = fs.readFileSync(file.path);
  } catch (error) {
    return skipped(`cannot read: ${errorMessage(error)}`);
  }
  const decoded = decodeSource(bytes);
  if ('error' in decoded) return skipped(decoded.error);

  const task = { filePath: file.path, text: decoded.text, settings, project, explicit: file.explicit, fix };
  const outcome = processFile(task);
  const fileReport: FileReport = {
    filePath: file.path,
    findings: outcome.findings,
    skipped: outcome.skipped ?? outcome.fixRejected,
    ruleErrors: outcome.ruleErrors,
    fixesApplied: outcome.fixesApplied,
    hasBom: decoded.hasBom,
  };
  if (outcome.fixedText === undefined) return fileReport;

  const target = fixTarget(file.path, roots);
  const notWritten = (reason: string): FileReport => ({ ...fileReport, ...unfixed(processFile({ ...task, fix: false })), skipped: reason });
  if (!target) return notWritten('not fixed: the file is a link to a place outside the given paths');
  try {
    writeAtomically(target, encodeSource(outcome.fixedText, decoded));
  } catch (error) {
    return notWritten(`not fixed: cannot write: ${errorMessage(error)}`);
  }
  return fileReport;
}

function unfixed(outcome: ReturnType<typeof processFile>): Pick<FileReport, 'findings' | 'ruleErrors' | 'fixesApplied'> {
  return { findings: outcome.findings, ruleErrors: outcome.ruleErrors, fixesApplied: 0 };
}

/** ProjectInfo from the nearest package.json, read once per directory. */
class ProjectInfoCache {
  private readonly byDirectory = new Map<string, ProjectInfo>();

  constructor(private readonly cwd: string) {}

  forFile(file: string): ProjectInfo {
    const dir = path.dirname(file);
    let info = this.byDirectory.get(dir);
    if (!info) {
      const insideCwd = !path.relative(this.cwd, dir).startsWith('..');
      info = readProjectInfo(file, insideCwd ? this.cwd : undefined);
      this.byDirectory.set(dir, info);
    }
    return info;
  }
}

function reportRuleErrors(report: RunReport, debug: boolean, io: CliIo): void {
  for (const file of report.files) {
    const seen = new Set<string>();
    for (const error of file.ruleErrors) {
      if (seen.has(error.ruleId)) continue;
      seen.add(error.ruleId);
      io.stderr(`failpath: rule ${error.ruleId} failed on ${displayPath(file.filePath, report.cwd)}: ${error.message}\n`);
      if (debug && error.stack) io.stderr(`${indent(error)}\n`);
    }
  }
}

function indent(error: RuleError): string {
  return (error.stack ?? '').split('\n').map((line) => `    ${line}`).join('\n');
}

function reportFixes(report: RunReport, io: CliIo): void {
  const fixed = report.files.filter((file) => file.fixesApplied > 0);
  const applied = fixed.reduce((sum, file) => sum + file.fixesApplied, 0);
  io.stderr(`failpath: applied ${applied} fix${applied === 1 ? '' : 'es'} in ${fixed.length} file${fixed.length === 1 ? '' : 's'}\n`);
}

function render(report: RunReport, options: CliOptions): string {
  if (options.format === 'json') return formatJson(report);
  if (options.format === 'sarif') return formatSarif(report);
  return formatText(report);
}

function writeReport(text: string, output: string | undefined, io: CliIo): boolean {
  if (output === undefined) {
    io.stdout(text);
    return true;
  }
  try {
    writeAtomically(path.resolve(io.cwd, output), text);
    return true;
  } catch (error) {
    io.stderr(`failpath: cannot write report to ${output}: ${errorMessage(error)}\n`);
    return false;
  }
}

function exitCode(report: RunReport, options: CliOptions): number {
  const failOn = options.failOn;
  const reached = failOn !== 'never' && report.files.some((file) => file.findings.some((finding) => reachesSeverity(finding.severity, failOn)));
  const tooManyWarnings = options.maxWarnings !== undefined && countBySeverity(report.files).warning > options.maxWarnings;
  return reached || tooManyWarnings ? EXIT_FINDINGS : EXIT_OK;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code} ${error.message}` : error.message;
  return String(error);
}
