import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixAll, type Finding, type Fix, type TextEdit } from '../engine';
import type { DocumentAnalysis } from './analysis';
import { ruleDocsUri } from './docsLinks';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from './protocol';

export const IGNORE_REASON_PLACEHOLDER = 'reason';

/**
 * Code actions for a document whose analysis matches its current version: per Failpath diagnostic the rule's
 * fixes, an ignore comment and a link to the rule's page; and, when asked for, one edit applying every fix.
 */
export function codeActionsFor(document: TextDocument, analysis: DocumentAnalysis, params: CodeActionParams): CodeAction[] {
  if (!analysis.settings.enable || analysis.version !== document.version) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix, false)) actions.push(...quickFixes(document, analysis, params.context.diagnostics));
  if (wants(only, FIX_ALL_KIND, true)) {
    const action = fixAllAction(document, analysis);
    if (action) actions.push(action);
  }
  return actions;
}

/**
 * Whether the client asked for actions of `kind`. Source actions are returned only on explicit request
 * (on save, or from the Source Action menu), as VS Code would hide them from the light bulb anyway.
 */
function wants(only: readonly string[] | undefined, kind: string, explicitOnly: boolean): boolean {
  if (only === undefined || only.length === 0) return !explicitOnly;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

function quickFixes(document: TextDocument, analysis: DocumentAnalysis, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const fixes: CodeAction[] = [];
  const others: CodeAction[] = [];
  const titles = new Set<string>();
  const add = (list: CodeAction[], action: CodeAction): void => {
    if (titles.has(action.title)) return;
    titles.add(action.title);
    list.push(action);
  };
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const finding = findingOf(diagnostic, analysis.result.findings);
    if (!finding) continue;
    finding.fixes.forEach((fix, index) => add(fixes, fixAction(document, fix, diagnostic, index === 0)));
    add(others, ignoreLineAction(document, finding, diagnostic));
    const docs = showDocsAction(finding.ruleId, diagnostic);
    if (docs) add(others, docs);
  }
  return [...fixes, ...others];
}

/**
 * The current finding behind a diagnostic the client holds: same rule and range, else (the client's copy
 * predates the latest edit) the same rule at an overlapping range.
 */
function findingOf(diagnostic: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  const sameRule = findings.filter((finding) => finding.ruleId === diagnostic.code);
  return sameRule.find((finding) => sameRange(finding.range, diagnostic.range))
    ?? sameRule.find((finding) => rangesOverlap(finding.range, diagnostic.range));
}

function fixAction(document: TextDocument, fix: Fix, diagnostic: Diagnostic, preferred: boolean): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: { changes: { [document.uri]: fix.edits.map((edit) => toLspEdit(document, edit)) } },
  };
}

/** `// failpath-ignore-next-line <rule> -- reason` above the finding's first line, indented like it. */
function ignoreLineAction(document: TextDocument, finding: Finding, diagnostic: Diagnostic): CodeAction {
  const line = finding.range.start.line;
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indentation = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const eol = document.getText().includes('\r\n') ? '\r\n' : '\n';
  const comment = `${indentation}// failpath-ignore-next-line ${finding.ruleId} -- ${IGNORE_REASON_PLACEHOLDER}${eol}`;
  return {
    title: `Ignore ${finding.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [document.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: comment }] } },
  };
}

function showDocsAction(ruleId: string, diagnostic: Diagnostic): CodeAction | undefined {
  const href = ruleDocsUri(ruleId);
  if (href === undefined) return undefined;
  const title = `Show documentation for ${ruleId}`;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [href] },
  };
}

function fixAllAction(document: TextDocument, analysis: DocumentAnalysis): CodeAction | undefined {
  if (!analysis.result.findings.some((finding) => finding.fixes.length > 0)) return undefined;
  const text = document.getText();
  const fixed = fixAll(analysis.fileName, text, analysis.options);
  if (fixed.applied === 0 || fixed.text === text) return undefined;
  return {
    title: 'Fix all Failpath problems',
    kind: FIX_ALL_KIND,
    edit: { changes: { [document.uri]: [smallestReplacement(document, text, fixed.text)] } },
  };
}

/** One edit covering only what changed, so the editor keeps the cursor and folding outside it. */
function smallestReplacement(document: TextDocument, before: string, after: string): LspTextEdit {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return toLspEdit(document, { start, end: endBefore, newText: after.slice(start, endAfter) });
}

function toLspEdit(document: TextDocument, edit: TextEdit): LspTextEdit {
  return { range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, newText: edit.newText };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

function rangesOverlap(a: Range, b: Range): boolean {
  return !isBefore(a.end, b.start) && !isBefore(b.end, a.start);
}

function isBefore(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
