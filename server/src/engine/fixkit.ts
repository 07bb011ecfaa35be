import * as ts from 'typescript';
import type { FileContext, TextEdit } from './types';
import { perText } from './perFile';

/** Helpers that build the text edits of quick fixes; each returns edits and never touches the file. */

export function lineStartOf(text: string, position: number): number {
  const newline = text.lastIndexOf('\n', position - 1);
  return newline + 1;
}

/** Leading whitespace of the line holding `position`. */
export function indentationAt(text: string, position: number): string {
  const start = lineStartOf(text, position);
  const match = /^[ \t]*/.exec(text.slice(start, start + 200));
  return match ? match[0] : '';
}

/** One level of indentation as the file writes it (two spaces when it cannot tell). */
export function indentUnit(text: string): string {
  return indentUnitOf(text);
}

// The text helpers below are asked once per fix; each answer is remembered for the last text.
const indentUnitOf = perText('indentUnit', (text) => {
  const sample = text.slice(0, 20_000);
  if (/\n\t/.test(sample)) return '\t';
  // ` * ` continuation lines of a block comment (a license header) are not indentation.
  const match = /\n( +)[^\s*]/.exec(sample);
  return match && match[1].length <= 8 ? match[1] : '  ';
});

export function newlineOf(text: string): string {
  return newlineStyle(text);
}

const newlineStyle = perText('newlineOf', (text) => (text.includes('\r\n') ? '\r\n' : '\n'));

/** Applies non-overlapping edits to a text. Throws on overlap: a rule bug, never silently corrupt code. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at offset ${edit.start}`);
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

export interface ImportRequest {
  module: string;
  /** Default import name (`import pino from 'pino'` / `const pino = require('pino')`). */
  defaultName?: string;
  /** A named import (`import { Router } from 'express'`). */
  named?: string;
}

/**
 * The edit that adds an import once, after the file's last import (or at the top, after a shebang and
 * directive prologue). Returns undefined when the file already has the binding.
 */
export function ensureImport(file: FileContext, request: ImportRequest): TextEdit | undefined {
  const localName = request.defaultName ?? request.named;
  if (!localName) return undefined;
  const existing = file.bindings.get(localName);
  if (existing) return undefined;
  const quote = preferredQuote(file.text);
  const nl = newlineOf(file.text);
  const statement = file.isEsm
    ? request.defaultName
      ? `import ${request.defaultName} from ${quote}${request.module}${quote};`
      : `import { ${request.named} } from ${quote}${request.module}${quote};`
    : request.defaultName
      ? `const ${request.defaultName} = require(${quote}${request.module}${quote});`
      : `const { ${request.named} } = require(${quote}${request.module}${quote});`;
  const position = importInsertionPoint(file.sourceFile);
  return { start: position, end: position, newText: `${statement}${nl}` };
}

/** Where a new import goes: after the last import, else after a shebang or directive prologue. */
export function importInsertionPoint(sourceFile: ts.SourceFile): number {
  let lastImportEnd = -1;
  let prologueEnd = -1;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || isRequireStatement(statement)) {
      lastImportEnd = statement.getEnd();
    } else if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression) && lastImportEnd < 0) {
      prologueEnd = statement.getEnd();
    } else {
      break;
    }
  }
  const anchor = lastImportEnd >= 0 ? lastImportEnd : prologueEnd;
  const text = sourceFile.text;
  if (anchor >= 0) {
    const newline = text.indexOf('\n', anchor);
    return newline < 0 ? text.length : newline + 1;
  }
  if (text.startsWith('#!')) {
    const newline = text.indexOf('\n');
    return newline < 0 ? text.length : newline + 1;
  }
  return 0;
}

function isRequireStatement(statement: ts.Statement): boolean {
  if (!ts.isVariableStatement(statement)) return false;
  return statement.declarationList.declarations.every((declaration) => {
    const init = declaration.initializer;
    return init !== undefined && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}

export function preferredQuote(text: string): string {
  return quoteStyle(text);
}

const quoteStyle = perText('preferredQuote', (text) => {
  const sample = text.slice(0, 5000);
  const single = (sample.match(/from '|require\('/g) ?? []).length;
  const double = (sample.match(/from "|require\("/g) ?? []).length;
  return double > single ? '"' : "'";
});

/**
 * Adds `propertyText` (e.g. `timeout: 10000`) to an object literal, on its own line when the literal is
 * multi-line, keeping the existing trailing comma style.
 */
export function addPropertyToObjectLiteral(file: FileContext, literal: ts.ObjectLiteralExpression, propertyText: string): TextEdit {
  const text = file.text;
  const properties = literal.properties;
  const closeBrace = literal.getEnd() - 1;
  if (properties.length === 0) {
    return { start: literal.getStart(file.sourceFile), end: literal.getEnd(), newText: `{ ${propertyText} }` };
  }
  const last = properties[properties.length - 1];
  const hasTrailingComma = properties.hasTrailingComma;
  const between = text.slice(last.getEnd(), closeBrace);
  const multiLine = text.slice(literal.getStart(file.sourceFile), closeBrace).includes('\n');
  if (multiLine) {
    const indent = indentationAt(text, last.getStart(file.sourceFile));
    const nl = newlineOf(text);
    const insertion = hasTrailingComma ? `${nl}${indent}${propertyText},` : `,${nl}${indent}${propertyText}`;
    const at = hasTrailingComma ? last.getEnd() + between.indexOf(',') + 1 : last.getEnd();
    return { start: at, end: at, newText: insertion };
  }
  const at = last.getEnd();
  return { start: at, end: at, newText: `, ${propertyText}` };
}
