import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FailpathSettings } from '../engine';
import type { ProjectInfo, WorkspaceKnowledge } from '../engine/project';
import type * as ts from 'typescript';
import type { WorkspaceSnapshot } from '../workspace';
import type { FileSummary } from '../workspace/summary';
import { GrowingIndex, indexFromSnapshot } from './workspaceIndex';
import { readProjectInfo } from '../host/projectConfig';
import { processFile } from './analyzeFile';
import type { SourceFile } from './files';
import { fixTarget, writeAtomically } from './fix';
import type { FileReport } from './report';
import { decodeSource, encodeSource } from './sourceText';

/**
 * One file on disk, start to finish: read, analyze, write fixes. Everything it needs is plain data (it also runs
 * on worker threads), and problems with one file never stop the run.
 */

export interface FileJobSettings {
  cwd: string;
  settings: FailpathSettings;
  fix: boolean;
  /** Real paths of the paths given on the command line: fixes land only inside them. */
  roots: readonly string[];
  /** The cross-file index as plain data, for worker threads (the main thread passes the index itself). */
  workspace?: WorkspaceSnapshot;
  /**
   * Build the cross-file index during the analysis (not with `fix`): `roots` of the index, and the paths of every
   * reviewed file in order (where the project's exported logger is looked for). See workspaceIndex.ts.
   */
  growingIndex?: { roots: string[]; files: string[] };
}

/** Runs file jobs of one run; keeps the per-directory ProjectInfo (and a growing index) between files. */
export class FileJobRunner {
  private readonly projects: ProjectInfoCache;
  private readonly workspace: WorkspaceKnowledge | undefined;
  private readonly growing: GrowingIndex | undefined;

  constructor(private readonly job: FileJobSettings, workspace?: WorkspaceKnowledge) {
    this.projects = new ProjectInfoCache(job.cwd);
    this.workspace = workspace ?? (job.workspace ? indexFromSnapshot(job.workspace, job.settings) : undefined);
    if (job.growingIndex && !job.fix && !this.workspace) this.growing = new GrowingIndex(job.growingIndex.roots, job.growingIndex.files, job.settings);
  }

  /** Files the growing index read from disk because an answer needed them before (or without) their own analysis. */
  get filesReadAhead(): number {
    return this.growing?.filesReadAhead ?? 0;
  }

  /** With a growing index: the summaries it made since the last call, and those other threads made. */
  takeNewSummaries(): FileSummary[] {
    return this.growing?.takeNewSummaries() ?? [];
  }

  /** With a growing index: which reviewed files name a logger module, found by the caller's import scan. */
  setLoggerFiles(files: readonly string[]): void {
    this.growing?.setLoggerFiles(files);
  }

  addSharedSummaries(summaries: readonly FileSummary[]): void {
    this.growing?.addShared(summaries);
  }

  /** `imported`: another reviewed file imports this one (a growing index then summarizes it; see AnalysisPlan). */
  run(file: SourceFile, imported = true): FileReport {
    const project = this.projects.forFile(file.path);
    const growing = this.growing;
    if (!growing) return analyzeOnDisk(file, this.job.fix, this.job.settings, project, this.job.roots, this.workspace);
    return analyzeOnDisk(file, false, this.job.settings, project, this.job.roots, growing, (sourceFile) => growing.addAnalyzed(sourceFile, file.explicit, imported));
  }
}

/** Reads one file, runs the pure per-file work, writes its fixes. */
function analyzeOnDisk(
  file: SourceFile, fix: boolean, settings: FailpathSettings, project: ProjectInfo, roots: readonly string[], workspace: WorkspaceKnowledge | undefined,
  onParsed?: (sourceFile: ts.SourceFile) => void,
): FileReport {
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

  const task = { filePath: file.path, text: decoded.text, settings, project, explicit: file.explicit, fix, workspace, onParsed };
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
  const notWritten = (reason: string): FileReport => ({ ...fileReport, ...unfixed(processFile({ ...task, fix: false, onParsed: undefined })), skipped: reason });
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

/**
 * ProjectInfo from the nearest package.json (walking up no further than the working directory when the file is
 * inside it), as `readProjectInfo` finds it, with each directory's answer remembered: a package.json is read once
 * per run, not once per directory below it.
 */
class ProjectInfoCache {
  private readonly byDirectory = new Map<string, ProjectInfo>();
  private readonly cwd: string;

  constructor(cwd: string) {
    this.cwd = path.resolve(cwd);
  }

  forFile(file: string): ProjectInfo {
    const dir = path.dirname(path.resolve(file));
    const insideCwd = !path.relative(this.cwd, dir).startsWith('..');
    return this.forDirectory(dir, insideCwd ? this.cwd : path.parse(dir).root);
  }

  private forDirectory(dir: string, stop: string): ProjectInfo {
    const key = `${stop}\u0000${dir}`;
    let info = this.byDirectory.get(key);
    if (info) return info;
    const parent = path.dirname(dir);
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      // Reads this one (and walks on up by itself only if it cannot be parsed).
      info = readProjectInfo(path.join(dir, 'package.json'), stop);
    } else {
      info = dir === stop || parent === dir ? { dependencies: {} } : this.forDirectory(parent, stop);
    }
    this.byDirectory.set(key, info);
    return info;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code} ${error.message}` : error.message;
  return String(error);
}
