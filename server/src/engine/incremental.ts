import * as ts from 'typescript';
import type { Bindings } from './bindings';
import type { Finding, RelatedInformation } from './types';

/**
 * Incremental analysis for the editor. After an edit inside function bodies, the engine analyzes only the
 * top-level statements the edit touched and keeps the findings of the others, moved by the edit's length.
 *
 * That is only right when nothing the kept findings depend on has changed. Rules read the whole tree, so a
 * finding in an untouched statement can still depend on a touched one; the engine keeps findings only when all
 * of these hold, and otherwise analyzes the whole file:
 * - the touched statements differ only inside function (and method, arrow) bodies: their skeleton, the text with
 *   those bodies left out, is the same, so imports, clients, routes, app setup and signatures are unchanged;
 * - no name the touched statements declare is mentioned anywhere else in the file (another statement may call the
 *   edited function and depend on what its body does), and neither version of them creates a client inside a body;
 * - the binding table, the settings, project, workspace knowledge (and its revision), the active rules and the
 *   whole-file facts rules declare (`RuleMeta.fileFacts`) and fixes follow (quotes, semicolons, indentation) are
 *   unchanged;
 * - every position the kept findings carry (range, fix edits, related places) lies outside the edit;
 * - no rule fails.
 * Statements holding module-level code that a rule reported on (and module-level `await`) are analyzed again on
 * every edit: rules judge module-level code against the whole file. Rules whose findings depend on the whole file
 * (an app without a rate limiter, a server without a shutdown handler) keep the default `scope: 'file'` and run
 * over the whole file every time. Suppression comments and fix safety apply to all findings afterwards.
 */

/** How many top-level statements incremental analyses kept and walked, for tests to prove reuse happens. */
export const incrementalCounts = { kept: 0, walked: 0, fullFallbacks: 0 };

/** A finding as kept between analyses: positions are offsets into the text it was found in. */
export interface KeptFinding {
  finding: Finding;
  /** Same-file related places as offsets (undefined for places in other files). */
  relatedOffsets: ({ start: number; end: number } | undefined)[];
}

export interface StatementRecord {
  shape: StatementShape;
  /** Analyzed again after every edit: it holds module-level code whose findings may depend on the whole file. */
  alwaysWalk: boolean;
  /** The text of every node in it that added a binding, in order: bindings the skeleton may not show. */
  bindingText: string;
  /** Findings of statement-scope rules that start in this statement. */
  findings: KeptFinding[];
  replay: StatementReplay;
}

/** What walking a statement did that matters beyond it, to repeat without walking it. */
export interface StatementReplay {
  /** Nodes, in walk order, that added a binding or that whole-file rules handle. */
  nodes: ts.Node[];
  /** The nodes among them that added a binding. */
  bindingNodes: ts.Node[];
}

/** What one analysis leaves for the next analysis of the same document. Hosts hold it and hand it back. */
export interface IncrementalState {
  readonly fileName: string;
  readonly text: string;
  /** Identity and content of everything else the findings were computed from; compared as a whole. */
  readonly contextKey: readonly unknown[];
  readonly statements: readonly ts.Statement[];
  readonly records: ReadonlyMap<ts.Statement, StatementRecord>;
  readonly bindingsKey: string;
}

/** How offsets of the previous text move into the new one: common prefix and suffix around the edit. */
export interface TextChange {
  /** Length of the common prefix. */
  prefix: number;
  /** Offset in the previous text where the common suffix starts. */
  oldSuffixStart: number;
  /** newLength - oldLength. */
  delta: number;
}

export function textChange(before: string, after: string): TextChange {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  // Whole chunks first (a native string comparison), then character by character inside the first that differs.
  while (prefix + CHUNK <= limit && before.slice(prefix, prefix + CHUNK) === after.slice(prefix, prefix + CHUNK)) prefix += CHUNK;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const room = limit - prefix;
  while (suffix + CHUNK <= room
    && before.slice(before.length - suffix - CHUNK, before.length - suffix) === after.slice(after.length - suffix - CHUNK, after.length - suffix)) suffix += CHUNK;
  while (suffix < room && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { prefix, oldSuffixStart: before.length - suffix, delta: after.length - before.length };
}

const CHUNK = 1024;

/** The offset in the new text of an offset of the previous text, or undefined inside (or at the edge of) the edit. */
export function movedOffset(change: TextChange, offset: number): number | undefined {
  if (offset < change.prefix) return offset;
  if (offset > change.oldSuffixStart) return offset + change.delta;
  return undefined;
}

/** Whether a statement of the new tree lies wholly outside the edit (so a reused node really is unchanged). */
export function isOutsideEdit(statement: ts.Statement, change: TextChange): boolean {
  const newSuffixStart = change.oldSuffixStart + change.delta;
  return statement.end < change.prefix || statement.pos > newSuffixStart;
}

/** A top-level statement seen without its function bodies. */
export interface StatementShape {
  /** The statement's text (with its leading trivia) with every function body replaced by `{…}`. */
  skeleton: string;
  /** Offsets of the bodies left out, in order. */
  bodies: { start: number; end: number }[];
  /** Names the statement declares at the top level (functions, classes, variables). */
  declaredNames: string[];
}

export function shapeOf(statement: ts.Statement, text: string): StatementShape {
  const parts: string[] = [];
  const bodies: StatementShape['bodies'] = [];
  let from = statement.pos;
  const stack: ts.Node[] = [statement];
  // Bodies are collected in source order: a stack of children pushed in reverse.
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    const body = functionBody(node);
    if (body) {
      const bodyStart = body.getStart();
      parts.push(text.slice(from, bodyStart), '{…}');
      bodies.push({ start: bodyStart, end: body.end });
      from = body.end;
      continue;
    }
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => { children.push(child); });
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
  }
  parts.push(text.slice(from, statement.end));
  return { skeleton: parts.join(''), bodies, declaredNames: declaredNames(statement) };
}

/**
 * Bodies of functions, methods and arrows. Constructor and accessor bodies stay in the skeleton: rules treat code
 * there like module-level code (it runs once, when the object is made), and such code is judged file-wide.
 */
function functionBody(node: ts.Node): ts.Node | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
      return (node as ts.FunctionLikeDeclaration).body;
    default:
      return undefined;
  }
}

function declaredNames(statement: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text];
  if (!ts.isVariableStatement(statement)) return [];
  const names: string[] = [];
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  for (const declaration of statement.declarationList.declarations) collect(declaration.name);
  return names;
}

/** Offsets where `name` occurs in `text` as a whole word (in code, comments and strings alike). */
export function wordOccurrences(text: string, name: string): number[] {
  const found: number[] = [];
  if (name.length === 0) return found;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (!isWordChar(text.charCodeAt(at - 1)) && !isWordChar(text.charCodeAt(at + name.length))) found.push(at);
  }
  return found;
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95 || code > 127;
}

/** The text of the nodes that added bindings, in order. */
export function bindingTextOf(replay: StatementReplay, text: string): string {
  return replay.bindingNodes.map((node) => text.slice(node.pos, node.end)).join('\u0001');
}

/** Whether an offset lies inside one of the statement's function bodies (else it is module-level code). */
export function insideBody(shape: StatementShape, offset: number): boolean {
  return shape.bodies.some((body) => offset > body.start && offset < body.end);
}

/** The binding table as text: names, modules, how each was made. Equal keys mean rules see the same clients. */
export function bindingsKey(bindings: Bindings, text: string): string {
  const parts: string[] = [];
  for (const binding of bindings.all()) {
    const declaration = binding.declaration;
    parts.push([binding.name, binding.module, binding.imported, binding.isInstance ? 'i' : '', binding.parent?.name ?? '',
      text.slice(declaration.pos, declaration.end)].join('\u0001'));
  }
  return parts.join('\u0002');
}

/** A kept finding moved into the new text, or undefined when one of its positions lay inside the edit. */
export function movedFinding(kept: KeptFinding, change: TextChange, sourceFile: ts.SourceFile): KeptFinding | undefined {
  const { finding } = kept;
  // Wholly before the edit (same offsets, same lines): the finding as it was.
  if (lastOffsetOf(kept) < change.prefix) return kept;
  const start = movedOffset(change, finding.start);
  const end = movedOffset(change, finding.end);
  if (start === undefined || end === undefined) return undefined;
  const fixes = [];
  for (const fix of finding.fixes) {
    const edits = [];
    for (const edit of fix.edits) {
      const editStart = movedOffset(change, edit.start);
      const editEnd = movedOffset(change, edit.end);
      if (editStart === undefined || editEnd === undefined) return undefined;
      edits.push({ start: editStart, end: editEnd, newText: edit.newText });
    }
    fixes.push({ title: fix.title, edits });
  }
  const related: RelatedInformation[] = [];
  const relatedOffsets: KeptFinding['relatedOffsets'] = [];
  for (let index = 0; index < finding.related.length; index++) {
    const offsets = kept.relatedOffsets[index];
    if (!offsets) {
      related.push(finding.related[index]);
      relatedOffsets.push(undefined);
      continue;
    }
    const relatedStart = movedOffset(change, offsets.start);
    const relatedEnd = movedOffset(change, offsets.end);
    if (relatedStart === undefined || relatedEnd === undefined) return undefined;
    related.push({ ...finding.related[index], range: rangeOf(sourceFile, relatedStart, relatedEnd) });
    relatedOffsets.push({ start: relatedStart, end: relatedEnd });
  }
  // Written out, not spread with the fields replaced: V8 takes a slow path for that, and a large file moves thousands.
  const moved: Finding = {
    ruleId: finding.ruleId, messageId: finding.messageId, severity: finding.severity, message: finding.message,
    start, end, range: rangeOf(sourceFile, start, end), fixes, related,
  };
  return { finding: moved, relatedOffsets };
}

function lastOffsetOf(kept: KeptFinding): number {
  let last = kept.finding.end;
  for (const fix of kept.finding.fixes) for (const edit of fix.edits) last = Math.max(last, edit.end);
  for (const offsets of kept.relatedOffsets) if (offsets) last = Math.max(last, offsets.end);
  return last;
}

/** A finding as kept: same-file related places turned into offsets while the tree still matches the text. */
export function keptFinding(finding: Finding, sourceFile: ts.SourceFile): KeptFinding {
  const relatedOffsets = finding.related.map((related) => {
    if (related.fileName !== sourceFile.fileName) return undefined;
    const lineCount = sourceFile.getLineStarts().length;
    if (related.range.start.line >= lineCount || related.range.end.line >= lineCount) return undefined;
    return {
      start: sourceFile.getPositionOfLineAndCharacter(related.range.start.line, related.range.start.character),
      end: sourceFile.getPositionOfLineAndCharacter(related.range.end.line, related.range.end.character),
    };
  });
  return { finding, relatedOffsets };
}

function rangeOf(sourceFile: ts.SourceFile, start: number, end: number): Finding['range'] {
  return { start: sourceFile.getLineAndCharacterOfPosition(start), end: sourceFile.getLineAndCharacterOfPosition(end) };
}

/** Index of the top-level statement holding `offset` (statements are sorted and disjoint), or -1. */
export function statementIndexAt(statements: readonly ts.Statement[], offset: number): number {
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const statement = statements[middle];
    if (offset < statement.pos) high = middle - 1;
    else if (offset >= statement.end) low = middle + 1;
    else return middle;
  }
  return -1;
}
