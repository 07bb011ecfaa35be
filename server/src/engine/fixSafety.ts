import * as ts from 'typescript';
import type { Finding, Fix } from './types';
import { applyEdits } from './fixkit';
import { parseErrorsOf, parseFile } from './parse';

/**
 * Quick fixes on code that does not parse. A file with syntax errors is usually being typed: the tree around the
 * error is the parser's guess, so an edit placed by it can land inside an unterminated string or an unclosed call
 * and corrupt the code (and fix-all on save would repeat it). There, a fix is kept only when none of its edits
 * touches a top-level statement holding a syntax error and applying it adds no syntax error. Files that parse
 * cleanly are not checked here (their fixes are held to that by the rule tests).
 */
export function withoutUnsafeFixes(findings: readonly Finding[], sourceFile: ts.SourceFile): Finding[] {
  const errors = parseErrorsOf(sourceFile);
  if (errors.length === 0) return [...findings];
  const broken = brokenStatementSpans(sourceFile, errors);
  const text = sourceFile.text;
  return findings.map((finding) => {
    if (finding.fixes.length === 0) return finding;
    const fixes = finding.fixes.filter((fix) => !touchesBrokenCode(fix, broken) && !addsSyntaxErrors(fix, sourceFile.fileName, text, errors.length));
    return fixes.length === finding.fixes.length ? finding : { ...finding, fixes };
  });
}

interface Span {
  start: number;
  end: number;
}

/**
 * The spans of the top-level statements that hold a syntax error. An error in the trivia after a statement (a file
 * cut off after `} catch `) belongs to the statement before it, up to the error.
 */
function brokenStatementSpans(sourceFile: ts.SourceFile, errors: readonly ts.DiagnosticWithLocation[]): Span[] {
  return errors.map((error) => {
    let statement: ts.Statement | undefined;
    for (const candidate of sourceFile.statements) {
      if (candidate.getFullStart() > error.start) break;
      statement = candidate;
    }
    const errorEnd = error.start + error.length;
    return statement ? { start: statement.getFullStart(), end: Math.max(statement.getEnd(), errorEnd) } : { start: error.start, end: errorEnd };
  });
}

function touchesBrokenCode(fix: Fix, broken: readonly Span[]): boolean {
  // An insertion right before a broken statement (a new import above it) stays; one at its end does not.
  return fix.edits.some((edit) => broken.some((span) => edit.start <= span.end && edit.end > span.start));
}

function addsSyntaxErrors(fix: Fix, fileName: string, text: string, errorsBefore: number): boolean {
  try {
    return parseErrorsOf(parseFile(fileName, applyEdits(text, fix.edits))).length > errorsBefore;
  } catch {
    // Overlapping edits, or text too deep to parse: not a fix to offer.
    return true;
  }
}

/** Syntax errors in a text, for fix-all to refuse a pass that adds any. */
export function syntaxErrorCount(fileName: string, text: string): number {
  try {
    return parseErrorsOf(parseFile(fileName, text)).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
