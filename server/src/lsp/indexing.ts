import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type * as ts from 'typescript';
import { FileChangeType, type FileEvent, type WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { isTestFile } from '../engine/environment';
import { looksGeneratedOrMinified } from '../engine/parse';
import type { WorkspaceKnowledge } from '../engine/project';
import type { ExternalKind } from '../engine/knowledge';
import { collectFiles } from '../cli/files';
import { WorkspaceIndex } from '../workspace';
import { filePathOf, isFileUri } from './documents';
import { describeError, type OutputLog } from './log';

/**
 * Background indexing of the workspace for cross-file knowledge. After start, every source file of the
 * workspace folders (minus `.gitignore`d files, `files.exclude`, node_modules and build output) is summarized in
 * small chunks between which the server keeps answering, with `window/workDoneProgress` the user can cancel.
 * Summaries follow edits (from the analysis's own parse) and changes on disk; open documents that import a
 * file whose answers changed are analyzed again.
 */

/** Glob patterns of the files the index follows on disk. */
export const INDEXED_FILE_GLOBS = ['**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', '**/{tsconfig,jsconfig}.json'];
const CHUNK_SIZE = 40;
const MAX_INDEXED_FILE_BYTES = 1_000_000;

export interface IndexingHooks {
  /** `file:` URIs of the documents open in the editor. */
  openDocumentUris(): string[];
  /** Analyze these open documents again: what they import answers differently now. */
  revalidate(uris: readonly string[]): void;
  /** Patterns of the editor's `files.exclude` that are on, for a workspace folder. */
  filesExclude(folder: string): Promise<string[]>;
  createProgress(): Promise<WorkDoneProgressServerReporter>;
}

export class WorkspaceIndexing {
  private current: WorkspaceIndex | undefined;
  private generation = 0;
  private ready = false;

  constructor(private readonly hooks: IndexingHooks, private readonly log: OutputLog) {}

  /** The index answers the engine's questions, also while it is still being built (answers then grow). */
  get knowledge(): WorkspaceKnowledge | undefined {
    return this.current;
  }

  get isReady(): boolean {
    return this.ready;
  }

  get index(): WorkspaceIndex | undefined {
    return this.current;
  }

  /** (Re)builds the index for these workspace folders; a running build is cancelled. */
  async start(roots: readonly string[], externalModules: Readonly<Record<string, ExternalKind>> = {}): Promise<void> {
    const generation = ++this.generation;
    this.ready = false;
    const index = new WorkspaceIndex(roots, { externalModules });
    this.current = index;
    if (roots.length === 0) {
      this.ready = true;
      return;
    }
    let progress: WorkDoneProgressServerReporter | undefined;
    try {
      progress = await this.hooks.createProgress();
      progress.begin('Failpath: indexing workspace', 0, 'listing files', true);
      const files = await this.filesToIndex(roots);
      const started = performance.now();
      const openPaths = new Set(this.hooks.openDocumentUris().filter(isFileUri).map(filePathOf));
      for (let offset = 0; offset < files.length; offset += CHUNK_SIZE) {
        if (generation !== this.generation) return;
        if (progress.token.isCancellationRequested) {
          this.log.info(`Failpath: workspace indexing cancelled after ${offset} of ${files.length} files; cross-file answers cover those files and the open documents.`);
          return;
        }
        for (const file of files.slice(offset, offset + CHUNK_SIZE)) {
          // An open document's summary comes from the editor's text (its analysis), not from disk.
          if (openPaths.has(file) && index.has(file)) continue;
          const text = readIndexable(file);
          if (text !== undefined) index.updateText(file, text);
        }
        progress.report(Math.round((100 * Math.min(offset + CHUNK_SIZE, files.length)) / files.length), `${Math.min(offset + CHUNK_SIZE, files.length)}/${files.length} files`);
        await yieldToEvents();
      }
      if (generation !== this.generation) return;
      this.ready = true;
      this.log.info(`Failpath: indexed ${index.size} files in ${Math.round(performance.now() - started)} ms (heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB).`);
      this.hooks.revalidate(this.hooks.openDocumentUris());
    } catch (error) {
      this.log.error(`Failpath: workspace indexing failed: ${describeError(error)}`);
    } finally {
      progress?.done();
    }
  }

  /** Stops a running build (shutdown, folders changing). */
  cancel(): void {
    this.generation++;
  }

  /** An open document was parsed for analysis: its summary comes from that same tree. */
  documentParsed(uri: string, sourceFile: ts.SourceFile): void {
    const index = this.current;
    if (!index || !isFileUri(uri) || isTestFile(sourceFile.fileName)) return;
    if (index.updateParsed(sourceFile)) this.revalidateImportersOf([sourceFile.fileName], uri);
  }

  /** A document was closed: the file on disk is what other files import again. */
  documentClosed(uri: string): void {
    if (!this.current || !isFileUri(uri)) return;
    this.refreshFromDisk(filePathOf(uri));
  }

  /** Watched files changed on disk (saved elsewhere, checked out, generated, deleted). */
  filesChanged(changes: readonly FileEvent[]): void {
    const index = this.current;
    if (!index) return;
    const open = new Set(this.hooks.openDocumentUris());
    const changedFiles: string[] = [];
    let configChanged = false;
    for (const change of changes) {
      if (!isFileUri(change.uri) || open.has(change.uri)) continue;
      const file = filePathOf(change.uri);
      if (/(^|[\\/])(tsconfig|jsconfig|package)\.json$/.test(file)) {
        configChanged = true;
        continue;
      }
      if (!/\.(c|m)?[jt]sx?$/i.test(file) || /\.d\.(c|m)?ts$/i.test(file)) continue;
      if (change.type === FileChangeType.Deleted) {
        const importers = index.importersOf(file);
        if (index.remove(file)) this.revalidateOpen(importers);
      } else {
        changedFiles.push(file);
      }
    }
    for (const file of changedFiles) this.refreshFromDisk(file);
    if (configChanged) {
      index.resolutionChanged();
      this.hooks.revalidate([...open]);
    }
  }

  private refreshFromDisk(file: string): void {
    const index = this.current;
    if (!index) return;
    const text = readIndexable(file);
    const changed = text === undefined ? index.remove(file) : index.updateText(file, text);
    if (changed) this.revalidateImportersOf([file]);
  }

  private revalidateImportersOf(files: readonly string[], except?: string): void {
    const index = this.current;
    if (!index) return;
    const importers = files.flatMap((file) => index.importersOf(file));
    this.revalidateOpen(importers, except);
  }

  private revalidateOpen(files: readonly string[], except?: string): void {
    if (files.length === 0) return;
    const wanted = new Set(files);
    const uris = this.hooks.openDocumentUris().filter((uri) => uri !== except && isFileUri(uri) && wanted.has(filePathOf(uri)));
    if (uris.length > 0) this.hooks.revalidate(uris);
  }

  private async filesToIndex(roots: readonly string[]): Promise<string[]> {
    const files = new Set<string>();
    for (const root of roots) {
      const excluded = await this.excludeMatcher(root);
      let listed: { path: string }[];
      try {
        listed = collectFiles([root], root);
      } catch (error) {
        this.log.error(`Failpath: cannot list files of ${root}: ${describeError(error)}`);
        continue;
      }
      for (const file of listed) {
        const relative = path.relative(root, file.path).split(path.sep).join('/');
        if (!excluded.ignores(relative) && !isTestFile(file.path)) files.add(file.path);
      }
    }
    return [...files];
  }

  /** `files.exclude` globs (`**\/.git`, `**\/*.js`) read as .gitignore patterns, which they match the same way. */
  private async excludeMatcher(root: string): Promise<Ignore> {
    const matcher = ignore();
    try {
      const patterns = await this.hooks.filesExclude(root);
      if (patterns.length > 0) matcher.add(patterns);
    } catch (error) {
      this.log.error(`Failpath: cannot read files.exclude: ${describeError(error)}`);
    }
    return matcher;
  }
}

/** Text of a file worth summarizing: not a test, not oversized, not minified or generated. */
function readIndexable(file: string): string | undefined {
  if (isTestFile(file)) return undefined;
  try {
    if (fs.statSync(file).size > MAX_INDEXED_FILE_BYTES) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    return looksGeneratedOrMinified(text) ? undefined : text.replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The enabled patterns of a `files.exclude` setting value (`{ "**\/.git": true, "**\/*.js": { "when": … } }`). */
export function enabledExcludePatterns(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).filter(([, on]) => on === true).map(([pattern]) => pattern);
}

