import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import fc from 'fast-check';
import type { ProjectInfo } from '../../server/src/engine/project';

/**
 * Inputs for the robustness properties: the code of every rule test table and the repository's real-looking
 * example files (collected, not copied, so new rule tests are picked up), and fast-check arbitraries that
 * break them — random bytes, truncations, unbalanced brackets, encodings, JSX in .js — plus builders for
 * pathological files (deep nesting, a minified bundle).
 */

/** Repository root, from `out/test/helpers/`. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface SourceCase {
  fileName: string;
  text: string;
  /** Where the text came from, for failure messages. */
  origin: string;
  settings?: Record<string, unknown>;
  project?: ProjectInfo;
}

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * Every `code` and `output` string of the rule test tables under test/rules (and string entries of `valid`),
 * read from the TypeScript sources with the compiler, never executed. Template literals whose substitutions
 * are not top-level string constants are left out (counted in `unresolved`).
 */
export function ruleTableCases(): { cases: SourceCase[]; unresolved: number } {
  const dir = path.join(REPO_ROOT, 'test', 'rules');
  const cases: SourceCase[] = [];
  let unresolved = 0;
  for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.test.ts')).sort()) {
    const sourceFile = ts.createSourceFile(name, fs.readFileSync(path.join(dir, name), 'utf8'), ts.ScriptTarget.Latest, true);
    const constants = topLevelConstants(sourceFile);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const entry = caseOf(node, constants, `${name}:${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        cases.push(...entry.cases);
        unresolved += entry.unresolved;
      } else if (ts.isPropertyAssignment(node) && propertyName(node) === 'valid' && ts.isArrayLiteralExpression(node.initializer)) {
        for (const element of node.initializer.elements) {
          const text = literalValue(element, constants);
          if (typeof text === 'string') cases.push({ fileName: 'file.ts', text, origin: `${name}:valid` });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return { cases, unresolved };
}

function caseOf(node: ts.ObjectLiteralExpression, constants: Map<string, Literal>, origin: string): { cases: SourceCase[]; unresolved: number } {
  const properties = new Map<string, ts.Expression>();
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property)) properties.set(propertyName(property) ?? '', property.initializer);
    else if (ts.isShorthandPropertyAssignment(property)) properties.set(property.name.text, property.name);
  }
  const code = properties.get('code');
  if (!code) return { cases: [], unresolved: 0 };
  const fileName = literalValue(properties.get('fileName'), constants);
  const settings = literalValue(properties.get('settings'), constants);
  const project = literalValue(properties.get('project'), constants);
  const shared = {
    fileName: typeof fileName === 'string' ? fileName : 'file.ts',
    settings: isRecord(settings) ? settings : undefined,
    project: isRecord(project) ? (project as unknown as ProjectInfo) : undefined,
  };
  const cases: SourceCase[] = [];
  let unresolved = 0;
  for (const key of ['code', 'output']) {
    const expression = properties.get(key);
    if (!expression || expression.kind === ts.SyntaxKind.NullKeyword) continue;
    const text = literalValue(expression, constants);
    if (typeof text === 'string') cases.push({ ...shared, text, origin: `${origin} (${key})` });
    else unresolved++;
  }
  return { cases, unresolved };
}

function topLevelConstants(sourceFile: ts.SourceFile): Map<string, Literal> {
  const constants = new Map<string, Literal>();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      const value = literalValue(declaration.initializer, constants);
      if (value !== undefined) constants.set(declaration.name.text, value);
    }
  }
  return constants;
}

/** The value of a literal expression (strings, templates over known constants, numbers, objects, arrays); undefined otherwise. */
function literalValue(node: ts.Node | undefined, constants: Map<string, Literal>): Literal | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(node)) return constants.get(node.text);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literalValue(node.expression, constants);
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const value = literalValue(span.expression, constants);
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      text += String(value) + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literalValue(node.left, constants);
    const right = literalValue(node.right, constants);
    return typeof left === 'string' && typeof right === 'string' ? left + right : undefined;
  }
  if (ts.isArrayLiteralExpression(node)) {
    const values = node.elements.map((element) => literalValue(element, constants));
    return values.every((value) => value !== undefined) ? (values as Literal[]) : undefined;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const result: { [key: string]: Literal } = {};
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) return undefined;
      const key = propertyName(property);
      const value = literalValue(property.initializer, constants);
      if (key === undefined || value === undefined) return undefined;
      result[key] = value;
    }
    return result;
  }
  return undefined;
}

function propertyName(property: ts.PropertyAssignment): string | undefined {
  const name = property.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function isRecord(value: unknown): value is Record<string, Literal> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The real-looking projects in the repository: examples/ and the e2e workspace. */
export function realFiles(): SourceCase[] {
  const cases: SourceCase[] = [];
  for (const root of ['examples/src', 'test/e2e/workspace/src']) {
    const walk = (dir: string): void => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(c|m)?[jt]sx?$/.test(entry.name)) {
          cases.push({ fileName: full, text: fs.readFileSync(full, 'utf8'), origin: path.relative(REPO_ROOT, full) });
        }
      }
    };
    walk(path.join(REPO_ROOT, root));
  }
  return cases;
}

let cachedFixtures: SourceCase[] | undefined;

/** Rule table code and real files together; computed once per process. */
export function allFixtures(): SourceCase[] {
  cachedFixtures ??= [...ruleTableCases().cases, ...realFiles()];
  return cachedFixtures;
}

// ---- arbitraries ----

const EXTENSIONS = ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts'] as const;

export const fileNameArb: fc.Arbitrary<string> = fc.constantFrom(...EXTENSIONS).map((extension) => `src/file.${extension}`);

/** Random bytes decoded as an editor would: UTF-8 with replacement characters, or Latin-1 (NULs and all). */
export const randomBytesArb: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ maxLength: 3000 }), fc.boolean())
  .map(([bytes, utf8]) => Buffer.from(bytes).toString(utf8 ? 'utf8' : 'latin1'));

/** Any string of UTF-16 code units, lone surrogates included. */
export const randomTextArb: fc.Arbitrary<string> = fc.string({ unit: 'binary', maxLength: 2000 });

function fixtureArb(fixtures: readonly SourceCase[]): fc.Arbitrary<SourceCase> {
  return fc.constantFrom(...fixtures);
}

/** A fixture cut off at any point (a file being typed, a half-saved file). */
export function truncationArb(fixtures: readonly SourceCase[]): fc.Arbitrary<SourceCase> {
  return fixtureArb(fixtures).chain((fixture) =>
    fc.nat({ max: fixture.text.length }).map((cut) => ({ ...fixture, text: fixture.text.slice(0, cut), origin: `${fixture.origin} cut at ${cut}` })));
}

const BREAKERS = ['{', '}', '(', ')', '[', ']', '<', '>', '`', "'", '"', '/*', '*/', '//', '${', '=>', ';', ',', '\n', '</div>', '<T>', '@', '#'];

/** A fixture with a few brackets, quotes or comment markers inserted or characters deleted at random places. */
export function bracketMutationArb(fixtures: readonly SourceCase[]): fc.Arbitrary<SourceCase> {
  const mutation = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.constantFrom(...BREAKERS), { nil: undefined }), fc.nat({ max: 3 }));
  return fc.tuple(fixtureArb(fixtures), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([fixture, mutations]) => {
    let text = fixture.text;
    for (const [where, insert, deleteCount] of mutations) {
      const at = Math.floor(where * text.length);
      text = insert === undefined ? text.slice(0, at) + text.slice(at + deleteCount + 1) : text.slice(0, at) + insert + text.slice(at);
    }
    return { ...fixture, text, origin: `${fixture.origin} with brackets mutated` };
  });
}

const UNICODE_NAMES: Record<string, string> = {
  id: 'ид',
  res: 'résponse',
  data: 'データ',
  user: 'usuário',
  error: 'errør',
  err: '\u{1D452}rr',
  url: 'ūrl',
  body: 'корпус',
  result: '结果',
};

/** A fixture with a BOM, CRLF line endings, Unicode identifiers (astral ones too) and emoji in strings, in any mix. */
export function encodingVariantArb(fixtures: readonly SourceCase[]): fc.Arbitrary<SourceCase> {
  return fc.tuple(fixtureArb(fixtures), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()).map(([fixture, bom, crlf, unicode, emoji]) => {
    let text = fixture.text;
    if (unicode) text = text.replace(/\b(id|res|data|user|error|err|url|body|result)\b(?!['":])/g, (name: string) => UNICODE_NAMES[name]);
    if (emoji) text = `// 🚀 Ünïcödé ${'\u{1F600}'} comment\n${text.replace(/'([^'\n\\]*)'/, "'$1 👍🏽'")}`;
    if (crlf) text = text.replace(/\r?\n/g, '\r\n');
    if (bom) text = `\uFEFF${text}`;
    return { ...fixture, text, origin: `${fixture.origin} (bom=${bom} crlf=${crlf} unicode=${unicode} emoji=${emoji})` };
  });
}

const JSX_SNIPPETS = [
  'export function Badge({ user }) {\n  return <span className="badge">{user.name}</span>;\n}\n',
  'const List = (props) => (\n  <ul>\n    {props.items.map((item) => <li key={item.id}>{item.label}</li>)}\n  </ul>\n);\n',
  'export const Page = () => <><Header title={"x > y"} /><main>{fetch ? "a" : "b"}</main></>;\n',
  'const broken = <div><span></div>;\n',
];

/** A JavaScript fixture with JSX mixed in, under a `.js` name (as React projects write it). */
export function jsxInJsArb(fixtures: readonly SourceCase[]): fc.Arbitrary<SourceCase> {
  const javascript = fixtures.filter((fixture) => /\.(c|m)?jsx?$/.test(fixture.fileName));
  return fc.tuple(fixtureArb(javascript.length > 0 ? javascript : fixtures), fc.constantFrom(...JSX_SNIPPETS), fc.boolean()).map(([fixture, jsx, before]) => ({
    ...fixture,
    fileName: fixture.fileName.replace(/\.[^./\\]+$/, '.js'),
    text: before ? `${jsx}${fixture.text}` : `${fixture.text}\n${jsx}`,
    origin: `${fixture.origin} with JSX in .js`,
  }));
}

/** Fixture-based cases that break code the way editing does, in one arbitrary. */
export function brokenSourceArb(fixtures: readonly SourceCase[]): fc.Arbitrary<SourceCase> {
  return fc.oneof(
    truncationArb(fixtures),
    bracketMutationArb(fixtures),
    encodingVariantArb(fixtures),
    jsxInJsArb(fixtures),
    fc.tuple(randomBytesArb, fileNameArb).map(([text, fileName]) => ({ fileName, text, origin: 'random bytes' })),
    fc.tuple(randomTextArb, fileNameArb).map(([text, fileName]) => ({ fileName, text, origin: 'random UTF-16' })),
  );
}

// ---- pathological files ----

export type NestingKind = 'parentheses' | 'arrays' | 'objects' | 'calls' | 'arrows' | 'blocks' | 'binary' | 'ternaries' | 'unclosed';

/** A file nested `depth` levels deep, around an external call so rules have something to look at. */
export function deeplyNested(kind: NestingKind, depth: number): string {
  const call = "fetch('https://api.example.com/x')";
  switch (kind) {
    case 'parentheses': return `export const x = ${'('.repeat(depth)}${call}${')'.repeat(depth)};\n`;
    case 'arrays': return `export const x = ${'['.repeat(depth)}${call}${']'.repeat(depth)};\n`;
    case 'objects': return `export const x = ${'{ a: '.repeat(depth)}${call}${' }'.repeat(depth)};\n`;
    case 'calls': return `export const x = ${'f('.repeat(depth)}${call}${')'.repeat(depth)};\n`;
    case 'arrows': return `export const x = ${'async () => '.repeat(depth)}${call};\n`;
    case 'blocks': return `export async function f(u: string) {\n${'if (u) {\n'.repeat(depth)}await ${call};\n${'}\n'.repeat(depth)}}\n`;
    case 'binary': return `export const x = ${'a + '.repeat(depth)}${call};\n`;
    case 'ternaries': return `export const x = ${'u ? a : '.repeat(depth)}${call};\n`;
    case 'unclosed': return `export async function f() {\n${'try { if (x) { g(['.repeat(depth)}await ${call};\n`;
  }
}

/** One line of minified JavaScript of about `bytes` bytes, full of external calls, like a production bundle. */
export function minifiedBundle(bytes: number): string {
  const parts: string[] = ['!function(e){"use strict";var t={};'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const part = i % 3 === 0
      ? `function a${i}(n){return fetch("https://api.example.com/"+n).then(function(r){return r.json()})}`
      : i % 3 === 1
        ? `t.m${i}=async function(n){try{return await e.axios.get("/x/"+n)}catch(o){console.log(o)}};`
        : `var b${i}=[1,2,3].map(function(x){return x*${i}}),c${i}={k:b${i},v:"${'x'.repeat(i % 40)}"};`;
    parts.push(part);
    size += part.length;
  }
  parts.push('}(this);\n');
  return parts.join('');
}
