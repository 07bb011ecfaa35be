import * as path from 'node:path';
import type { FailpathSettings, RuleError } from '../engine';
import { HELP_TEXT, parseArgs, UsageError, type CliOptions } from './args';
import { ConfigError, resolveSettings } from './config';
import { collectFiles, MissingPathError, type SourceFile } from './files';
import { FileJobRunner, errorMessage, type FileJobSettings } from './fileJob';
import { realRoots, writeAtomically } from './fix';
import { formatJson } from './formatJson';
import { formatSarif } from './sarif';
import { formatText } from './formatText';
import { packageInfo } from './packageInfo';
import { countBySeverity, displayPath, reachesSeverity, type FileReport, type RunReport } from './report';
import { analyzeInWorkers, defaultWorkerCount, type WorkerResults } from './workers';
import { buildWorkspaceIndex, indexRoots } from './workspaceIndex';
import { planAnalysis, type AnalysisPlan } from './analysisOrder';
import type { WorkspaceKnowledge } from '../engine/project';

export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Script that serves as a worker thread (the CLI bundle itself); without it every file is analyzed on this thread. */
  workerScript?: string;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** The whole command: argv in, exit code out. User mistakes become one line on stderr and exit 2. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await runOrThrow(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof MissingPathError) {
      io.stderr(`failpath: ${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
}

async function runOrThrow(argv: readonly string[], io: CliIo): Promise<number> {
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

  const report = await analyzeFiles(files, options, settings, io);
  reportRuleErrors(report, options.debug, io);
  if (options.fix) reportFixes(report, io);
  if (!writeReport(render(report, options), options.output, io)) return EXIT_ERROR;
  return exitCode(report, options);
}

async function analyzeFiles(files: readonly SourceFile[], options: CliOptions, settings: FailpathSettings, io: CliIo): Promise<RunReport> {
  const job: FileJobSettings = { cwd: io.cwd, settings, fix: options.fix, roots: realRoots(options.paths, io.cwd) };
  const workers = options.workers ?? defaultWorkerCount(files.length);
  const inWorkers = workers > 1 && io.workerScript !== undefined;
  if (options.noIndex || !settings.enable) return { cwd: io.cwd, files: (await analyzeAll(files, job, inWorkers ? workers : 1, io)).reports };
  if (options.fix) {
    // Fixes rewrite files during the run: every file is summarized up front, as it was before any fix.
    const built = buildWorkspaceIndex(files, io.cwd, settings);
    if (options.debug) io.stderr(`failpath: indexed ${built.files} files in ${Math.round(built.milliseconds)} ms\n`);
    const withIndex = inWorkers ? { ...job, workspace: built.index.snapshot() } : job;
    return { cwd: io.cwd, files: (await analyzeAll(files, withIndex, inWorkers ? workers : 1, io, built.index)).reports };
  }
  const started = performance.now();
  const growing = { ...job, growingIndex: { roots: indexRoots(files, io.cwd), files: files.map((file) => file.path) } };
  const plan = (): AnalysisPlan => {
    const planned = planAnalysis(files, growing.growingIndex.roots);
    if (options.debug) {
      const imported = planned.imported.filter(Boolean).length;
      io.stderr(`failpath: ordered ${files.length} files by their imports in ${Math.round(performance.now() - started)} ms (${imported} imported by another)\n`);
    }
    return planned;
  };
  const analyzed = await analyzeAll(files, growing, inWorkers ? workers : 1, io, undefined, plan);
  if (options.debug) {
    io.stderr(`failpath: analyzed ${files.length} files in ${Math.round(performance.now() - started)} ms, indexing them on the way `
      + `(${analyzed.filesReadAhead} files read ahead of their analysis)\n`);
  }
  return { cwd: io.cwd, files: analyzed.reports };
}

/** Every file on this thread (with `index` when given) or on `workers` worker threads, as `plan` orders them (file order by default); reports in file order. */
async function analyzeAll(
  files: readonly SourceFile[], job: FileJobSettings, workers: number, io: CliIo, index?: WorkspaceKnowledge, plan?: () => AnalysisPlan,
): Promise<WorkerResults> {
  if (workers > 1 && io.workerScript) return analyzeInWorkers(files, job, workers, io.workerScript, plan);
  const runner = new FileJobRunner(job, index);
  const reports = new Array<FileReport>(files.length);
  const planned = plan?.();
  if (planned) runner.setLoggerFiles(planned.loggerFiles);
  for (const position of planned?.order ?? files.keys()) reports[position] = runner.run(files[position], planned?.imported[position] ?? true);
  return { reports, filesReadAhead: runner.filesReadAhead };
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
