import * as ts from 'typescript';
import type { FileContext } from './types';
import { identifierAt, walk } from './ast';
import { perAnalysis, perParse, perText } from './perFile';
import { ELEMENT_ACCESS, IDENTIFIER, PROPERTY_ACCESS, TYPE_OF } from './kinds';

/**
 * What a file is for, beyond "browser or server" (environment.ts): test support code the engine's test-file check
 * does not catch, operator-run scripts whose console is their interface, and plain browser scripts. Judged from the
 * code and from the directories closest to the file only: a project checked out under `~/tests/` is not a test.
 */

/** How many of the file's own directories (nearest first) are looked at. */
const NEAR_DIRECTORIES = 3;

const TEST_DIRECTORY = /^(test|tests|spec|__tests__|__mocks__|__fixtures__|e2e|fixtures|testing|test-utils|test-helpers|playwright|cypress)$/i;
const TEST_MODULES: ReadonlySet<string> = new Set([
  'vitest', 'jest', '@jest/globals', 'mocha', 'chai', 'supertest', 'node:test', 'ava', 'tap', 'sinon', 'nock',
  '@playwright/test', 'cypress', '@testing-library/react',
]);
const TEST_FUNCTIONS: ReadonlySet<string> = new Set(['describe', 'it', 'test', 'suite']);

const CLI_DIRECTORY = /^(bin|cli)$/i;
const SCRIPT_DIRECTORY = /^(scripts?|ci|migrations?|upgrades|seeds?|seeders|generators?|codemods?)$/i;
const SCRIPT_FILE = /(^|[.\-_])(seed|migration|migrate|cli)\.[cm]?[jt]sx?$|^(gruntfile|gulpfile|jakefile)\.[cm]?[jt]s$/i;
const CLI_MODULES: ReadonlySet<string> = new Set([
  'commander', 'yargs', 'yargs/yargs', 'inquirer', '@inquirer/prompts', 'prompts', 'enquirer', 'ora', 'meow', 'cac',
  'clipanion', '@oclif/core', 'listr2', '@clack/prompts',
]);

const BROWSER_DIRECTORY = /^(public|static)$/i;
const BROWSER_GLOBALS: ReadonlySet<string> = new Set(['window', 'document', 'navigator', 'localStorage', 'sessionStorage']);

/** The file's directories, nearest first, at most `NEAR_DIRECTORIES` of them (several rules ask, per file). */
const nearDirectories = perText('nearDirectories', (fileName): readonly string[] => (
  fileName.split(/[\\/]/).slice(0, -1).reverse().slice(0, NEAR_DIRECTORIES)
));

function importsAny(file: FileContext, modules: ReadonlySet<string>): boolean {
  for (const binding of file.bindings.all()) {
    if (!binding.isInstance && modules.has(binding.module)) return true;
  }
  return false;
}

/**
 * Test support code: in a test directory near the file (`test/helpers/db.js`, `libs/testing/src/client.ts`),
 * importing a test framework, or calling `describe(...)`/`it(...)` at the top level.
 */
export function isTestSupportFile(file: FileContext): boolean {
  return testSupportVerdict(file);
}

// Several rules ask these of every file.
const testSupportVerdict = perAnalysis('isTestSupportFile', (file) => {
  if (nearDirectories(file.fileName).some((name) => TEST_DIRECTORY.test(name))) return true;
  if (importsAny(file, TEST_MODULES)) return true;
  return callsTestFunctionAtTopLevel(file.sourceFile);
});

const callsTestFunctionAtTopLevel = perParse('callsTestFunctionAtTopLevel', (sourceFile) => sourceFile.statements.some((statement) => {
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return false;
  const callee = statement.expression.expression;
  const name = ts.isIdentifier(callee) ? callee.text
    : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
  return name !== undefined && TEST_FUNCTIONS.has(name);
}));

/**
 * Code an operator runs and watches: a command-line tool, a file in a scripts/ci/migrations/seeds/generators
 * directory near it, a `*.seed.ts`/`*.migration.ts` file, or a task runner's file (`Gruntfile.js`).
 */
export function isOperatorScript(file: FileContext): boolean {
  if (isCommandLineTool(file)) return true;
  const base = file.fileName.split(/[\\/]/).pop() ?? '';
  if (SCRIPT_FILE.test(base)) return true;
  return nearDirectories(file.fileName).some((name) => SCRIPT_DIRECTORY.test(name));
}

/**
 * A command-line tool: a script with a shebang, a file in a bin/ or cli/ directory near it, or a file built on a
 * command-line framework (commander, yargs, inquirer...). Its user is at the terminal, not paged at night.
 */
export function isCommandLineTool(file: FileContext): boolean {
  return commandLineToolVerdict(file);
}

const commandLineToolVerdict = perAnalysis('isCommandLineTool', (file) => {
  if (file.text.startsWith('#!')) return true;
  if (nearDirectories(file.fileName).some((name) => CLI_DIRECTORY.test(name))) return true;
  return importsAny(file, CLI_MODULES);
});

const browserScriptVerdicts = new WeakMap<ts.SourceFile, boolean>();

/**
 * Browser code that imports nothing telling: AMD modules (`define([...], fn)`), `.js` files served from a `public/`
 * or `static/` folder, imports of `*-browser` builds, and files that read `window`/`document`/`navigator`/web storage with no `typeof window`
 * guard (a guard marks code written to run on both sides).
 */
export function isBrowserScript(file: FileContext): boolean {
  const cached = browserScriptVerdicts.get(file.sourceFile);
  if (cached !== undefined) return cached;
  const verdict = servedAsStaticScript(file) || isAmdModule(file.sourceFile) || importsBrowserBuild(file) || readsBrowserGlobals(file);
  browserScriptVerdicts.set(file.sourceFile, verdict);
  return verdict;
}

function servedAsStaticScript(file: FileContext): boolean {
  return file.isJavaScript && nearDirectories(file.fileName).some((name) => BROWSER_DIRECTORY.test(name));
}

/** `mixpanel-browser`, `@segment/analytics-next/browser`: packages published for the browser only. */
function importsBrowserBuild(file: FileContext): boolean {
  for (const binding of file.bindings.all()) {
    if (!binding.isInstance && /[-/]browser$/.test(binding.module)) return true;
  }
  return false;
}

function isAmdModule(sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some((statement) => {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return false;
    const callee = statement.expression.expression;
    return ts.isIdentifier(callee) && callee.text === 'define'
      && statement.expression.arguments.some((argument) => ts.isArrayLiteralExpression(argument));
  });
}

function readsBrowserGlobals(file: FileContext): boolean {
  // Cheap text check first: most server files never mention these names.
  if (!mentionsBrowserGlobalAccess(file.text)) return false;
  return readsBrowserGlobalsAtMentions(file) ?? readsBrowserGlobalsByWalk(file);
}

/** Past this many mentions of the names, one walk of the file is cheaper than a descent to each mention. */
const MAX_MENTIONS_VISITED = 64;

/**
 * `readsBrowserGlobalsByWalk`'s answer from the places the names are written: each mention is looked up in the
 * tree instead of walking all of it. Undefined when it cannot tell from the text (a unicode escape can spell a
 * name, or there are too many mentions to be cheaper).
 */
function readsBrowserGlobalsAtMentions(file: FileContext): boolean | undefined {
  const text = file.text;
  if (text.includes('\\u')) return undefined;
  let reads = false;
  let mentions = 0;
  for (const name of BROWSER_GLOBALS) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      if (isNameCharacter(text.charCodeAt(at - 1)) || isNameCharacter(text.charCodeAt(at + name.length))) continue;
      if (++mentions > MAX_MENTIONS_VISITED) return undefined;
      const identifier = identifierAt(file.sourceFile, at, name);
      if (!identifier) continue;
      const parent = identifier.parent;
      // `typeof window` guards the file; the walk does not look inside a `typeof`, so neither do mentions.
      if (parent.kind === TYPE_OF) {
        if (!insideTypeOf(parent.parent)) return false;
        continue;
      }
      if (insideTypeOf(parent)) continue;
      const isAccessed = (parent.kind === PROPERTY_ACCESS || parent.kind === ELEMENT_ACCESS)
        && (parent as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression === identifier;
      if (isAccessed && !reads && !declaresLocally(file, name)) reads = true;
    }
  }
  return reads;
}

/** Whether `node` is, or is inside, a `typeof` expression. */
function insideTypeOf(node: ts.Node | undefined): boolean {
  for (let current = node; current; current = current.parent) if (current.kind === TYPE_OF) return true;
  return false;
}

/** ASCII letters, digits, `_` and `$`: a name next to one of them is part of a longer name. */
function isNameCharacter(code: number): boolean {
  return isWordCharacter(code) || code === 0x24;
}

function readsBrowserGlobalsByWalk(file: FileContext): boolean {
  let reads = false;
  let guarded = false;
  const declaredLocally = new Map<string, boolean>();
  walk(file.sourceFile, (node) => {
    if (guarded) return false;
    const kind = node.kind;
    if (kind === TYPE_OF) {
      const operand = (node as ts.TypeOfExpression).expression;
      if (operand.kind === IDENTIFIER && BROWSER_GLOBALS.has((operand as ts.Identifier).text)) guarded = true;
      return false;
    }
    if (reads || (kind !== PROPERTY_ACCESS && kind !== ELEMENT_ACCESS)) return undefined;
    const target = (node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
    if (target.kind !== IDENTIFIER || !BROWSER_GLOBALS.has((target as ts.Identifier).text)) return undefined;
    const name = (target as ts.Identifier).text;
    let local = declaredLocally.get(name);
    if (local === undefined) {
      local = declaresLocally(file, name);
      declaredLocally.set(name, local);
    }
    if (!local) reads = true;
    return undefined;
  }, { intoFunctions: true });
  return reads && !guarded;
}

/**
 * `/\b(window|document|navigator|localStorage|sessionStorage)\s*[.[]/.test(text)`, written with `indexOf`: run over
 * every file, that regex tried its alternation at each position and cost more than the rest of the check.
 */
function mentionsBrowserGlobalAccess(text: string): boolean {
  for (const name of BROWSER_GLOBALS) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      if (at > 0 && isWordCharacter(text.charCodeAt(at - 1))) continue;
      let next = at + name.length;
      while (next < text.length && isRegExpSpace(text.charCodeAt(next))) next++;
      const after = text.charCodeAt(next);
      if (after === 0x2e /* . */ || after === 0x5b /* [ */) return true;
    }
  }
  return false;
}

/** `\w` of a regular expression: ASCII letters, digits and `_`. */
function isWordCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/** `\s` of a regular expression. */
function isRegExpSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029
    || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** `const document = await Document.findByPk(id)`: a local named like a browser global is not one. */
function declaresLocally(file: FileContext, name: string): boolean {
  return new RegExp(`\\b(const|let|var|function|class|import)\\s+(\\{[^}]*\\b)?${name}\\b|[(,]\\s*${name}\\s*[:,)=]|\\b${name}\\s*=>`).test(file.text);
}
