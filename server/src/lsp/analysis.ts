import type { TextDocument } from 'vscode-languageserver-textdocument';
import type * as ts from 'typescript';
import { analyze, type AnalysisResult, type AnalyzeOptions, type FailpathSettings, type IncrementalState } from '../engine';
import { looksGeneratedOrMinified, parseFile, reparseFile } from '../engine/parse';
import { isTestFile } from '../engine/environment';
import type { WorkspaceKnowledge } from '../engine/project';
import { fileNameOf, filePathOf, isFileUri } from './documents';
import { describeError, type OutputLog } from './log';
import type { ProjectInfoCache } from './projectInfo';
import type { DocumentSettings } from './settings';

/** How long typing must pause before the workspace index summarizes the edited document again. */
const SUMMARY_DELAY_MS = 250;

/** One analysis of one version of a document, with the settings it ran under. */
export interface DocumentAnalysis {
  uri: string;
  version: number;
  fileName: string;
  settings: FailpathSettings;
  result: AnalysisResult;
  /** What `fixAll` needs to re-run the engine the same way. */
  options: AnalyzeOptions;
}

/**
 * Runs the engine on documents and remembers the last result per document, so code actions on an unchanged
 * document do not analyze it again. Skips and rule failures are written to the output channel once per file.
 */
export class DocumentAnalyzer {
  private readonly latest = new Map<string, DocumentAnalysis>();
  /** The last tree of each open document: the next version is parsed incrementally from it. */
  private readonly trees = new Map<string, ts.SourceFile>();
  /** Trees parsed since the index last summarized the document, and the pending summaries. */
  private readonly parsedSinceSummary = new Map<string, ts.SourceFile>();
  private readonly summaryTimers = new Map<string, NodeJS.Timeout>();
  /** What the last analysis of each open document left for the next one (findings of untouched statements). */
  private readonly states = new Map<string, IncrementalState>();
  /** Cross-file knowledge (the workspace index) and where each analyzed tree goes to update it. */
  crossFile: { knowledge(): WorkspaceKnowledge | undefined; parsed(uri: string, sourceFile: ts.SourceFile): void } | undefined;

  constructor(
    private readonly settings: DocumentSettings,
    private readonly projects: ProjectInfoCache,
    private readonly log: OutputLog,
  ) {}

  /**
   * The analysis of the document as it is when this resolves: the settings are awaited first, then version
   * and text are read together and analyzed synchronously, so the result always matches `document.version`.
   */
  async current(document: TextDocument): Promise<DocumentAnalysis> {
    const { settings, workspaceRoot } = await this.settings.get(document.uri);
    const cached = this.latest.get(document.uri);
    if (cached && cached.version === document.version && cached.settings === settings) return cached;
    const fileName = fileNameOf(document);
    const options: AnalyzeOptions = { settings };
    if (settings.enable && isFileUri(document.uri)) options.project = this.projects.get(filePathOf(document.uri), workspaceRoot);
    const crossFile = isFileUri(document.uri) ? this.crossFile : undefined;
    const knowledge = crossFile?.knowledge();
    if (knowledge) options.workspace = knowledge;
    // Only this run's tree updates the index (fix-all re-runs the engine on hypothetical texts with `options`).
    const onParsed = crossFile ? (sourceFile: ts.SourceFile): void => this.summarizeSoon(document.uri, sourceFile) : undefined;
    const analysis: DocumentAnalysis = {
      uri: document.uri,
      version: document.version,
      fileName,
      settings,
      result: this.runOnLatestTree(document.uri, fileName, document.getText(), { ...options, onParsed }),
      options,
    };
    this.latest.set(document.uri, analysis);
    return analysis;
  }

  /**
   * The index learns of an edited document once the typing pauses: summarizing is a walk of the file, which would
   * otherwise delay the next edit's diagnostics, and what a summary changes is other files' answers, not this one's.
   */
  private summarizeSoon(uri: string, sourceFile: ts.SourceFile): void {
    clearTimeout(this.summaryTimers.get(uri));
    this.parsedSinceSummary.set(uri, sourceFile);
    this.summaryTimers.set(uri, setTimeout(() => this.summarize(uri), SUMMARY_DELAY_MS));
  }

  private summarize(uri: string): void {
    const parsed = this.parsedSinceSummary.get(uri);
    this.parsedSinceSummary.delete(uri);
    this.summaryTimers.delete(uri);
    if (!parsed || !this.crossFile) return;
    // A newer edit may have been parsed from this tree since (which moves its nodes): then summarize that one.
    const latest = this.trees.get(uri);
    this.crossFile.parsed(uri, latest && latest.fileName === parsed.fileName ? latest : parsed);
  }

  /** Drops remembered results (settings or project files changed). */
  clear(): void {
    this.latest.clear();
  }

  /** Analyzes on the document's previous tree updated with the edit, when the engine will analyze the text in full. */
  private runOnLatestTree(uri: string, fileName: string, text: string, options: AnalyzeOptions): AnalysisResult {
    const settings = options.settings;
    const analyzedInFull = settings !== undefined && settings.enable && text.length <= settings.maxFileSize
      && !isTestFile(fileName) && !looksGeneratedOrMinified(text);
    const sourceFile = analyzedInFull ? this.treeOf(uri, fileName, text) : undefined;
    const previous = this.states.get(uri);
    this.states.delete(uri);
    if (!sourceFile) {
      this.trees.delete(uri);
      return this.run(uri, fileName, text, options);
    }
    const result = this.run(uri, fileName, text, { ...options, sourceFile, incremental: true, previous });
    if (result.state) this.states.set(uri, result.state);
    // The state is the server's own business, not part of the analysis other code reads.
    delete result.state;
    return result;
  }

  private treeOf(uri: string, fileName: string, text: string): ts.SourceFile | undefined {
    const previous = this.trees.get(uri);
    this.trees.delete(uri);
    let tree: ts.SourceFile;
    try {
      tree = previous && previous.fileName === fileName ? reparseFile(previous, text) : parseFile(fileName, text);
    } catch {
      return undefined;
    }
    this.trees.set(uri, tree);
    return tree;
  }

  /** Forgets one document's result so the next request analyzes it again (what it imports changed). */
  invalidate(uri: string): void {
    this.latest.delete(uri);
  }

  forget(uri: string): void {
    this.latest.delete(uri);
    this.trees.delete(uri);
    this.states.delete(uri);
    this.parsedSinceSummary.delete(uri);
    clearTimeout(this.summaryTimers.get(uri));
    this.summaryTimers.delete(uri);
    this.log.forget(skipKey(uri));
    this.log.forget(ruleErrorKey(uri));
  }

  private run(uri: string, fileName: string, text: string, options: AnalyzeOptions): AnalysisResult {
    let result: AnalysisResult;
    try {
      result = analyze(fileName, text, options);
    } catch (error) {
      // The engine promises not to throw; if it does, this file gets no diagnostics and the server carries on.
      result = { findings: [], ruleErrors: [], skipped: `analysis failed: ${describeError(error)}` };
    }
    this.report(uri, fileName, result);
    return result;
  }

  private report(uri: string, fileName: string, result: AnalysisResult): void {
    if (result.skipped === undefined) {
      this.log.forget(skipKey(uri));
    } else {
      // Sizes change on every edit; the kind of reason decides whether it is news.
      const kind = result.skipped.replace(/\d+/g, '#');
      this.log.once(skipKey(uri) + kind, `Failpath skipped ${fileName}: ${result.skipped}`);
    }
    for (const error of result.ruleErrors) {
      this.log.once(
        ruleErrorKey(uri) + error.ruleId,
        `Failpath rule ${error.ruleId} failed on ${fileName}: ${error.message}${error.stack ? `\n${error.stack}` : ''}`,
        'error',
      );
    }
  }
}

function skipKey(uri: string): string {
  return `skip:${uri}\u0000`;
}

function ruleErrorKey(uri: string): string {
  return `rule-error:${uri}\u0000`;
}
