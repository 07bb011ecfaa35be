import * as ts from 'typescript';
import { ALL_RULES, analyze, applyEdits, fixAll, normalizeSettings, type AnalysisResult, type AnalyzeOptions, type Finding, type Rule, type TextEdit } from '../../server/src/engine';
import { parseErrorsOf, parseFile } from '../../server/src/engine/parse';
import type { SourceCase } from '../helpers/generators';

/**
 * What must hold for any file and every registered rule, as a list of violations (empty when all hold), so one
 * run can report every broken case at once and fast-check can shrink a failing one.
 */

export function optionsFor(testCase: SourceCase, rules: readonly Rule[] = ALL_RULES): AnalyzeOptions {
  return {
    settings: normalizeSettings(testCase.settings).settings,
    project: testCase.project,
    rules,
    includeGenerated: true,
  };
}

export interface CheckOutcome {
  violations: string[];
  result?: AnalysisResult;
  /** Fix-all ran and changed the text. */
  fixed: boolean;
}

export function checkInvariants(testCase: SourceCase, rules: readonly Rule[] = ALL_RULES): CheckOutcome {
  const { fileName, text } = testCase;
  const options = optionsFor(testCase, rules);
  const violations: string[] = [];
  let result: AnalysisResult;
  try {
    result = analyze(fileName, text, options);
  } catch (error) {
    return { violations: [`analyze threw: ${stackOf(error)}`], fixed: false };
  }
  for (const error of result.ruleErrors) violations.push(`rule ${error.ruleId} threw: ${error.stack ?? error.message}`);
  if (result.skipped !== undefined && result.findings.length > 0) violations.push('a skipped file has findings');
  const before = syntaxErrors(fileName, text);
  for (const finding of result.findings) {
    violations.push(...rangeViolations(finding, text));
    finding.fixes.forEach((fix, index) => {
      const label = `${finding.ruleId}/${finding.messageId} fix ${index + 1} "${fix.title}"`;
      const editProblems = editViolations(fix.edits, text);
      violations.push(...editProblems.map((problem) => `${label}: ${problem}`));
      if (editProblems.length > 0) return;
      const after = syntaxErrors(fileName, applyEdits(text, fix.edits));
      if (after.length > before.length) violations.push(`${label} adds syntax errors: ${after.map(describeDiagnostic).join('; ')}`);
    });
  }
  if (violations.length > 0 || !result.findings.some((finding) => finding.fixes.length > 0)) return { violations, result, fixed: false };
  violations.push(...fixAllViolations(testCase, options, before.length));
  return { violations, result, fixed: true };
}

function fixAllViolations(testCase: SourceCase, options: AnalyzeOptions, errorsBefore: number): string[] {
  const { fileName, text } = testCase;
  let once: string;
  let twice: string;
  try {
    once = fixAll(fileName, text, options).text;
    twice = fixAll(fileName, once, options).text;
  } catch (error) {
    return [`fixAll threw: ${stackOf(error)}`];
  }
  const violations: string[] = [];
  const after = syntaxErrors(fileName, once);
  if (after.length > errorsBefore) violations.push(`fixAll adds syntax errors: ${after.map(describeDiagnostic).join('; ')}\n--- fixed text ---\n${once}`);
  if (twice !== once) violations.push(`fixAll is not idempotent\n--- once ---\n${once}\n--- twice ---\n${twice}`);
  const importsBefore = importCounts(fileName, text);
  for (const [module, count] of importCounts(fileName, once)) {
    if (count - (importsBefore.get(module) ?? 0) > 1) violations.push(`fixAll imports '${module}' ${count - (importsBefore.get(module) ?? 0)} times\n${once}`);
  }
  return violations;
}

function rangeViolations(finding: Finding, text: string): string[] {
  const label = `${finding.ruleId}/${finding.messageId}`;
  const problems: string[] = [];
  if (!(finding.start >= 0 && finding.start <= finding.end && finding.end <= text.length)) {
    problems.push(`${label}: offsets ${finding.start}-${finding.end} outside a document of ${text.length} characters`);
  }
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029/);
  for (const position of [finding.range.start, finding.range.end]) {
    const line = lines[position.line];
    if (line === undefined || position.character < 0 || position.character > line.length) {
      problems.push(`${label}: position ${position.line}:${position.character} outside the document`);
    }
  }
  return problems;
}

/** Edits lie inside the text and no two of one fix touch the same characters (or insert at the same point). */
export function editViolations(edits: readonly TextEdit[], text: string): string[] {
  const problems: string[] = [];
  for (const edit of edits) {
    if (!(Number.isInteger(edit.start) && Number.isInteger(edit.end) && edit.start >= 0 && edit.start <= edit.end && edit.end <= text.length)) {
      problems.push(`edit ${edit.start}-${edit.end} outside a document of ${text.length} characters`);
    }
  }
  for (let i = 0; i < edits.length; i++) {
    for (let j = i + 1; j < edits.length; j++) {
      if (overlap(edits[i], edits[j])) problems.push(`edits ${edits[i].start}-${edits[i].end} and ${edits[j].start}-${edits[j].end} overlap`);
    }
  }
  return problems;
}

function overlap(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return (a.start < b.end && b.start < a.end) || (a.start === a.end && a.start > b.start && a.start < b.end)
    || (b.start === b.end && b.start > a.start && b.start < a.end);
}

export function syntaxErrors(fileName: string, text: string): readonly ts.DiagnosticWithLocation[] {
  return parseErrorsOf(parseFile(fileName, text));
}

function describeDiagnostic(diagnostic: ts.DiagnosticWithLocation): string {
  return `${diagnostic.start}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
}

/** How many import declarations and top-level `require('m')` bindings each module has. */
function importCounts(fileName: string, text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (module: string): void => { counts.set(module, (counts.get(module) ?? 0) + 1); };
  for (const statement of parseFile(fileName, text).statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) add(statement.moduleSpecifier.text);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require'
          && init.arguments.length === 1 && ts.isStringLiteral(init.arguments[0])) add(init.arguments[0].text);
      }
    }
  }
  return counts;
}

function stackOf(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}

/** Formats violations of many cases for one assertion message, bounded so a flood stays readable. */
export function report(failures: { origin: string; violations: string[] }[]): string {
  return failures.slice(0, 15).map((failure) => `■ ${failure.origin}\n  ${failure.violations.join('\n  ')}`).join('\n')
    + (failures.length > 15 ? `\n… and ${failures.length - 15} more` : '');
}
