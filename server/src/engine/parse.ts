import * as ts from 'typescript';
import { textChange, type TextChange } from './incremental';

export function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (lower.endsWith('.ts') || lower.endsWith('.mts') || lower.endsWith('.cts')) return ts.ScriptKind.TS;
  // .js/.mjs/.cjs may hold JSX; the JSX kind parses plain JS too.
  return ts.ScriptKind.JSX;
}

export function isJavaScriptFile(fileName: string): boolean {
  return /\.(c|m)?jsx?$/i.test(fileName);
}

export function isAnalyzableFile(fileName: string): boolean {
  return /\.(c|m)?[jt]sx?$/i.test(fileName) && !/\.d\.(c|m)?ts$/i.test(fileName);
}

/** One parse per file, with parent pointers: every rule reads this tree. */
export function parseFile(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
}

/**
 * The tree of `text`, reusing the unchanged nodes of `previous` (the editor's last parse of the same file):
 * only the span between the texts' common prefix and suffix is parsed again. `previous` must not be read
 * afterwards: the compiler moves its reused nodes into the new tree.
 */
export function reparseFile(previous: ts.SourceFile, text: string): ts.SourceFile {
  const before = previous.text;
  if (before === text) return previous;
  const { prefix, oldSuffixStart } = textChange(before, text);
  const span = ts.createTextSpan(prefix, oldSuffixStart - prefix);
  const change = ts.createTextChangeRange(span, text.length - before.length + oldSuffixStart - prefix);
  const tree = ts.updateSourceFile(previous, text, change);
  changes.set(tree, { before, change: { prefix, oldSuffixStart, delta: text.length - before.length } });
  return tree;
}

/** How a tree made by `reparseFile` differs from the text it was made from, so the engine need not compare again. */
const changes = new WeakMap<ts.SourceFile, { before: string; change: TextChange }>();

/** The change from `before` to the tree's text: remembered from `reparseFile`, else computed. */
export function changeSince(before: string, sourceFile: ts.SourceFile): TextChange {
  const known = changes.get(sourceFile);
  return known && known.before === before ? known.change : textChange(before, sourceFile.text);
}

/** Syntax errors the parser recorded; used to prove a fix adds none. */
export function parseErrorsOf(sourceFile: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sourceFile as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

export function usesEsmSyntax(sourceFile: ts.SourceFile, fileName: string): boolean {
  if (/\.mjs$|\.mts$/i.test(fileName)) return true;
  if (/\.cjs$|\.cts$/i.test(fileName)) return false;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) return true;
    if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  }
  // TypeScript files without imports are still written as modules by most projects.
  return !isJavaScriptFile(fileName) && !sourceFile.text.includes('require(');
}

/**
 * Minified or generated code: a few very long lines, or a generated-file marker near the top.
 * Checked on a bounded prefix so it costs nothing on normal files.
 */
export function looksGeneratedOrMinified(text: string): boolean {
  const head = text.slice(0, 2000);
  if (/@generated|DO NOT EDIT|auto-generated/i.test(head)) return true;
  if (text.length < 5000) return false;
  // The lines of the first 100 KB, counted without splitting them into strings (every file is asked).
  const sampleLength = Math.min(text.length, 100_000);
  let lines = 0;
  let longLines = 0;
  let lineStart = 0;
  while (lineStart <= sampleLength) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline >= sampleLength ? sampleLength : newline;
    lines++;
    if (lineEnd - lineStart > 1000) longLines++;
    lineStart = lineEnd + 1;
  }
  return longLines > 0 && sampleLength / lines > 300;
}
