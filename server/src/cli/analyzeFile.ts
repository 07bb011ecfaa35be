import type * as ts from 'typescript';
import { analyze, fixAll, type AnalysisResult, type Finding, type FailpathSettings, type RuleError } from '../engine';
import type { ProjectInfo, WorkspaceKnowledge } from '../engine/project';
import { parseErrorsOf, parseFile } from '../engine/parse';

/**
 * The work done for one file, as a pure function of its inputs (no file system, no globals), so that it can
 * later run on worker threads unchanged.
 */

export interface FileTask {
  filePath: string;
  /** Decoded text without BOM. */
  text: string;
  settings: FailpathSettings;
  project: ProjectInfo;
  /** Named on the command line: analyzed even when it looks generated or minified. */
  explicit: boolean;
  fix: boolean;
  /** Cross-file knowledge (the workspace index), when the run built one. */
  workspace?: WorkspaceKnowledge;
  /** Called with the syntax tree of the file as read (not of its fixed text). */
  onParsed?: (sourceFile: ts.SourceFile) => void;
}

export interface FileOutcome {
  findings: Finding[];
  skipped?: string;
  ruleErrors: RuleError[];
  /** With `fix`: the fixed text when it differs from the input. */
  fixedText?: string;
  fixesApplied: number;
  /** With `fix`: why fixes were computed but not kept. */
  fixRejected?: string;
}

export function processFile(task: FileTask): FileOutcome {
  const before = analyze(task.filePath, task.text, {
    settings: task.settings, project: task.project, includeGenerated: task.explicit, workspace: task.workspace, onParsed: task.onParsed,
  });
  if (!task.fix || before.skipped || !before.findings.some((finding) => finding.fixes.length > 0)) return unfixed(before);
  const options = { settings: task.settings, project: task.project, includeGenerated: task.explicit, workspace: task.workspace };
  const fixed = fixAll(task.filePath, task.text, options);
  if (fixed.text === task.text) return unfixed(before);
  if (syntaxErrorCount(task.filePath, fixed.text) > syntaxErrorCount(task.filePath, task.text)) {
    return { ...unfixed(before), fixRejected: 'fixes would add syntax errors; file left unchanged' };
  }
  const after = analyze(task.filePath, fixed.text, options);
  return { ...after, ruleErrors: mergeRuleErrors(before.ruleErrors, after.ruleErrors), fixedText: fixed.text, fixesApplied: fixed.applied };
}

/** The analysis as the outcome of a file left as it is (written out: a spread with a field added is slow in V8, ~1 µs). */
function unfixed(result: AnalysisResult): FileOutcome {
  const outcome: FileOutcome = { findings: result.findings, ruleErrors: result.ruleErrors, fixesApplied: 0 };
  if (result.skipped !== undefined) outcome.skipped = result.skipped;
  return outcome;
}

function syntaxErrorCount(filePath: string, text: string): number {
  return parseErrorsOf(parseFile(filePath, text)).length;
}

function mergeRuleErrors(first: readonly RuleError[], second: readonly RuleError[]): RuleError[] {
  const merged = [...first];
  for (const error of second) if (!merged.some((known) => known.ruleId === error.ruleId)) merged.push(error);
  return merged;
}
