import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import type { FailpathSettings } from '../engine';
import { isTestFile } from '../engine/environment';
import type { CrossFileExternalCall, CrossFileLimiter, ProjectLogger, WorkspaceKnowledge } from '../engine/project';
import { looksGeneratedOrMinified } from '../engine/parse';
import { directoryDistance, nearestProjectLogger, WorkspaceIndex, type WorkspaceSnapshot } from '../workspace';
import { LOGGER_MODULE_NAMES, type FileSummary } from '../workspace/summary';
import type { SourceFile } from './files';
import { decodeSource } from './sourceText';
import { isPlainSpace, isUnsureSeparator } from '../engine/plainScan';

/**
 * The cross-file index of a CLI run. Test files, minified or oversized files are not summarized.
 *
 * Without --fix, the index grows during the analysis itself: each reviewed file is summarized from the parse its
 * analysis makes, and a file that an answer needs before its turn is read then (`loadFile`). That gives the same
 * answers as an index built up front, because no file changes during the run, and parses most files once instead
 * of twice (`GrowingIndex`). Each worker thread grows its own.
 *
 * With --fix, files are rewritten during the run, so every reviewed file is summarized up front, before any fix.
 */

export interface BuiltIndex {
  index: WorkspaceIndex;
  /** Files summarized up front. */
  files: number;
  milliseconds: number;
}

export function buildWorkspaceIndex(files: readonly SourceFile[], cwd: string, settings: FailpathSettings): BuiltIndex {
  const started = performance.now();
  const index = emptyIndex(indexRoots(files, cwd), settings);
  let summarized = 0;
  for (const file of files) {
    const text = readIndexable(file.path, settings.maxFileSize);
    if (text === undefined) continue;
    index.updateText(file.path, text);
    summarized++;
  }
  return { index, files: summarized, milliseconds: performance.now() - started };
}

/** An index with no file summarized yet; files are read from disk when an answer needs them. */
export function emptyIndex(roots: readonly string[], settings: FailpathSettings): WorkspaceIndex {
  return new WorkspaceIndex(roots, { externalModules: settings.externalModules, loadFile: (fileName) => readIndexable(fileName, settings.maxFileSize) });
}

/** An index rebuilt from plain data on a worker thread (files out of the reviewed paths are still read on demand there). */
export function indexFromSnapshot(snapshot: WorkspaceSnapshot, settings: FailpathSettings): WorkspaceIndex {
  return WorkspaceIndex.fromSnapshot(snapshot, { loadFile: (fileName) => readIndexable(fileName, settings.maxFileSize) });
}

/**
 * Cross-file answers from an index that grows as the files are analyzed: each analyzed file is summarized from
 * its analysis's own parse, and a file that an answer needs before its turn is read then. The project's logger,
 * the one answer that depends on every file, is looked for among the reviewed files that name a logger module,
 * read on the first question.
 */
export class GrowingIndex implements WorkspaceKnowledge {
  private readonly index: WorkspaceIndex;
  /** Reviewed files that name a logger module (only they can export a logger). */
  private loggerFiles: string[] | undefined;
  private readonly loggerGroups = new Map<string, string[][]>();
  /** Summaries made here since `takeNewSummaries`. */
  private made: FileSummary[] = [];
  filesReadAhead = 0;

  /** `files`: every reviewed file, in order. */
  constructor(roots: readonly string[], private readonly files: readonly string[], settings: FailpathSettings) {
    this.index = new WorkspaceIndex(roots, {
      externalModules: settings.externalModules,
      loadFile: (fileName) => {
        this.filesReadAhead++;
        return readIndexable(fileName, settings.maxFileSize);
      },
      onSummary: (summary) => this.made.push(summary),
    });
  }

  /** The reviewed files that name a logger module, when the caller found them already (else they are read on the first question). */
  setLoggerFiles(files: readonly string[]): void {
    this.loggerFiles ??= [...files];
  }

  /** Summaries made by this index since the last call (to share with the other worker threads). */
  takeNewSummaries(): FileSummary[] {
    const made = this.made;
    this.made = [];
    return made;
  }

  /** Summaries made by another thread's index, of the same files on disk. */
  addShared(summaries: readonly FileSummary[]): void {
    this.index.addUnchangedSummaries(summaries);
  }

  /**
   * Summarizes an analyzed file from its parse, when the index would have read it (the size is checked already) and
   * an answer may need it: another file imports it, or it may export the project's logger. Any other file is read
   * if an answer needs it after all, with the same summary.
   */
  addAnalyzed(sourceFile: ts.SourceFile, explicit: boolean, imported: boolean): void {
    if (!isIndexableName(sourceFile.fileName)) return;
    if (!imported && !LOGGER_SPECIFIERS.some((specifier) => sourceFile.text.includes(specifier))) return;
    // The analysis skips generated-looking files unless they were named on the command line; the index never reads them.
    if (explicit && looksGeneratedOrMinified(sourceFile.text)) return;
    this.index.addUnchangedFile(sourceFile);
  }

  externalCallOf(fromFile: string, moduleSpecifier: string, imported: string, memberPath: readonly string[]): CrossFileExternalCall | undefined {
    return this.index.externalCallOf(fromFile, moduleSpecifier, imported, memberPath);
  }

  rateLimiterOf(fromFile: string, moduleSpecifier: string, imported: string): CrossFileLimiter | undefined {
    return this.index.rateLimiterOf(fromFile, moduleSpecifier, imported);
  }

  /**
   * The nearest reviewed file that exports a logger, as `nearestProjectLogger` picks it among all of them: the
   * candidates are summarized nearest directory first, and farther ones only when no nearer one exports a logger
   * (a farther file can never win), so a run reads few of them ahead of their analysis.
   */
  projectLogger(fromFile: string): ProjectLogger | undefined {
    const from = path.resolve(fromFile);
    for (const group of this.loggerCandidatesByDistance(path.dirname(from))) {
      const exporting = group.flatMap((file) => this.index.summaryOrRead(file) ?? [])
        .filter((summary) => summary.fileName !== from && Object.values(summary.exports).some((fact) => fact.logger !== undefined));
      if (exporting.length > 0) return nearestProjectLogger(exporting, from, this.index.summaryOf(from));
    }
    return undefined;
  }

  /** The reviewed files that name a logger module, grouped by their directory distance from `dir` (nearest first, file order within). */
  private loggerCandidatesByDistance(dir: string): string[][] {
    let groups = this.loggerGroups.get(dir);
    if (groups) return groups;
    this.loggerFiles ??= this.files.filter(importsLoggerModule);
    const byDistance = new Map<number, string[]>();
    for (const file of this.loggerFiles) {
      const distance = directoryDistance(dir, file);
      if (distance === undefined) continue;
      const group = byDistance.get(distance);
      if (group) group.push(file);
      else byDistance.set(distance, [file]);
    }
    groups = [...byDistance].sort((a, b) => a[0] - b[0]).map(([, files]) => files);
    this.loggerGroups.set(dir, groups);
    return groups;
  }
}

/** `'pino'`, `"pino"`, `` `pino` ``: how a file that imports or requires a logger module names it. */
const LOGGER_SPECIFIERS = LOGGER_MODULE_NAMES.flatMap((name) => ["'", '"', '`'].map((quote) => `${quote}${name}${quote}`));

/**
 * A file can export a logger only if it imports one of the logger modules: the summary's logger facts come from
 * bindings, and a binding's module is the string literal of an import (`from 'pino'`), `import x = require('pino')`,
 * `require('pino')` or `import('pino')`. Found by a byte search, no decoding or parse. A file that only mentions the
 * name elsewhere (`['pino', 'winston']`, a message) is not read ahead for its summary.
 */
function importsLoggerModule(file: string): boolean {
  try {
    return isIndexableName(file) && namesLoggerModule(file, fs.readFileSync(file));
  } catch {
    return false;
  }
}

/** `importsLoggerModule` for a file already read (the CLI's import scan reads every file). */
export function namesLoggerModule(file: string, bytes: Buffer): boolean {
  if (!isIndexableName(file) || !LOGGER_MODULE_NAMES.some((name) => bytes.includes(name))) return false;
  // An escaped identifier (`requ\u0069re`) would read as `require`: then any mention counts.
  const escapes = bytes.includes('\\u');
  for (const specifier of LOGGER_SPECIFIERS) {
    for (let at = bytes.indexOf(specifier); at !== -1; at = bytes.indexOf(specifier, at + 1)) {
      if (escapes || isModuleSpecifierAt(bytes, at)) return true;
    }
  }
  return false;
}

const OPEN_PAREN = 0x28;

/** Whether the string literal starting at `at` can be a module specifier: after `from`, `require(` or `import(` (or a comment: unsure, so yes). */
function isModuleSpecifierAt(bytes: Buffer, at: number): boolean {
  let before = skipSpaceBackwards(bytes, at);
  const previous = bytes[before - 1];
  if (isUnsureSeparator(previous)) return true;
  if (previous === OPEN_PAREN) {
    before = skipSpaceBackwards(bytes, before - 1);
    return isUnsureSeparator(bytes[before - 1]) || endsWithWord(bytes, before, 'require') || endsWithWord(bytes, before, 'import');
  }
  return endsWithWord(bytes, before, 'from');
}


function skipSpaceBackwards(bytes: Buffer, end: number): number {
  let at = end;
  while (at > 0 && isPlainSpace(bytes[at - 1])) at--;
  return at;
}

function endsWithWord(bytes: Buffer, end: number, word: string): boolean {
  return end >= word.length && bytes.toString('latin1', end - word.length, end) === word;
}

/**
 * Where tsconfig files and workspace packages are looked for: the working directory, and the directories of reviewed
 * files outside it (only the outermost of those: a directory inside another root adds nothing but lookups).
 */
export function indexRoots(files: readonly SourceFile[], cwd: string): string[] {
  const base = path.resolve(cwd);
  const outside = new Set<string>();
  for (const file of files) {
    const relative = path.relative(base, file.path);
    if (relative.startsWith('..') || path.isAbsolute(relative)) outside.add(path.dirname(file.path));
  }
  const roots = [base];
  for (const dir of [...outside].sort((a, b) => a.length - b.length)) {
    if (!roots.some((root) => isInside(dir, root))) roots.push(dir);
  }
  return roots;
}

function isInside(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function isIndexableName(fileName: string): boolean {
  return !isTestFile(fileName) && !/\.d\.(c|m)?ts$/i.test(fileName) && !fileName.split(path.sep).includes('node_modules');
}

function readIndexable(fileName: string, maxFileSize: number): string | undefined {
  if (!isIndexableName(fileName)) return undefined;
  try {
    if (fs.statSync(fileName).size > maxFileSize) return undefined;
    const decoded = decodeSource(fs.readFileSync(fileName));
    if ('error' in decoded || looksGeneratedOrMinified(decoded.text)) return undefined;
    return decoded.text;
  } catch {
    return undefined;
  }
}
