import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import { propertyName } from '../engine/ast';
import { importInsertionPoint, newlineOf, preferredQuote } from '../engine/fixkit';
import { nameWords, secretKindOf } from '../engine/secretNames';
import { usesSemicolons } from '../engine/errorflow';

type MessageId = 'knownFormat' | 'highEntropy';

/** A credential format recognisable from the string alone. `prefix` is all a message ever shows of it. */
interface KeyFormat {
  kind: string;
  prefix: string;
  pattern: RegExp;
  /** The random part, checked for placeholders and entropy (`sk_live_xxxxxxxx` is a placeholder). */
  randomPart: (match: RegExpExecArray) => string;
  envName: string;
  /** Extra validation on the matched text (e.g. a JWT's claims); false means "not a live credential". */
  accept?: (match: RegExpExecArray) => boolean;
}

const KEY_FORMATS: readonly KeyFormat[] = [
  { kind: 'a Stripe live secret key', prefix: 'sk_live_', pattern: /\bsk_live_([0-9A-Za-z]{16,})/, randomPart: (m) => m[1], envName: 'STRIPE_SECRET_KEY' },
  { kind: 'a Stripe live restricted key', prefix: 'rk_live_', pattern: /\brk_live_([0-9A-Za-z]{16,})/, randomPart: (m) => m[1], envName: 'STRIPE_RESTRICTED_KEY' },
  { kind: 'an AWS access key id', prefix: 'AKIA', pattern: /\b(?:AKIA|ASIA)([0-9A-Z]{16})\b/, randomPart: (m) => m[1], envName: 'AWS_ACCESS_KEY_ID' },
  { kind: 'a GitHub token', prefix: 'ghp_', pattern: /\bgh[pousr]_([A-Za-z0-9]{36,})\b/, randomPart: (m) => m[1], envName: 'GITHUB_TOKEN' },
  { kind: 'a GitHub fine-grained token', prefix: 'github_pat_', pattern: /\bgithub_pat_([A-Za-z0-9_]{22,})\b/, randomPart: (m) => m[1], envName: 'GITHUB_TOKEN' },
  { kind: 'a Slack token', prefix: 'xox', pattern: /\bxox[abpr]-([0-9A-Za-z-]{10,})/, randomPart: (m) => m[1], envName: 'SLACK_TOKEN' },
  {
    kind: 'a private key', prefix: '-----BEGIN PRIVATE KEY-----',
    pattern: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----\s*([A-Za-z0-9+/=\s:,-]{40,})/,
    randomPart: (m) => m[2].replace(/\s+/g, ''), envName: 'PRIVATE_KEY',
  },
  {
    kind: 'a JSON Web Token', prefix: 'eyJ', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.(eyJ[A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{16,})/,
    randomPart: (m) => m[2], envName: 'JWT_TOKEN', accept: (m) => isLiveJwtPayload(m[1]),
  },
];

/**
 * Every format above needs one of these substrings: one scan rejects a literal before the eight patterns run.
 * Keep it in step with KEY_FORMATS.
 */
const ANY_KEY_FORMAT = /sk_live_|rk_live_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abpr]-|-----BEGIN|eyJ/;

/** The shortest text any key format matches (`xoxb-` and 10 characters) or a random secret can be (16). */
const MIN_CANDIDATE_LENGTH = 15;

interface KnownFormatMatch {
  format: KeyFormat;
  match: RegExpExecArray;
}

/** Words that mark a value as an example, a template or a stand-in rather than a credential. */
const PLACEHOLDER = /your|example|sample|placeholder|change[-_ ]?me|dummy|fake|mock|redacted|insert|replace|todo|xxxx|\*\*\*|\.\.\.|<[^>]*>|\{\{|\$\{|(^|[^a-z])test([^a-z]|$)|demo|dev[-_]?secret|secret[-_]?key[-_]?here/i;

/** Directories and file names that hold examples, fixtures and local-development setups rather than production code. */
const EXAMPLE_PATH = /(^|[\\/])(examples?|fixtures?|__fixtures__|mocks?|docs?|samples?|stories|dev)[\\/]|\.(example|sample|stories|story)\.[cm]?[jt]sx?$|[-_.](dev|development|local)\.[cm]?[jt]sx?$/i;

/** Object keys under which values are documentation (OpenAPI `example`, JSON-schema `examples`, `default`s of mocks). */
const EXAMPLE_KEY = /^(example|examples|sample|samples|mock|mocks|fixture|fixtures)$/i;

/** Secret kinds whose values in source are names, not credentials (`sessionCookie = 'connect.sid'`). */
const NAME_LIKE_KINDS: ReadonlySet<string> = new Set(['cookie', 'cookies']);

/** Below these, a string under a secret name is more likely a label, an id or a sample than a random secret. */
const MIN_SECRET_LENGTH = 16;
const MIN_ENTROPY_MIXED = 3.5;
const MIN_HEX_LENGTH = 32;
const MIN_ENTROPY_HEX = 3.0;
const MIN_RANDOM_PART_ENTROPY = 2.5;

const HELPER_NAME = 'missingEnv';

export const hardcodedSecret: Rule = {
  meta: {
    id: 'hardcoded-secret',
    category: 'security',
    defaultSeverity: 'error',
    description: 'A credential written in a string literal: a known key format, or a random-looking value under a secret name.',
    hasFix: true,
    reviewsBrowserCode: true,
    scope: 'statement',
    // The fix declares the `missingEnv` helper once per file: whether the file already has it.
    fileFacts: (file) => String(new RegExp(`\\b${HELPER_NAME}\\b`).test(file.text)),
    messages: {
      knownFormat: 'This string contains {{kind}} (`{{prefix}}…`): anyone who can read the repository, its history, a CI log or the built bundle can use it. Treat it as leaked — rotate it — and read it from configuration (`process.env.{{envName}}`).',
      highEntropy: '`{{name}}` is set to a hard-coded {{length}}-character random-looking string: a {{secretKind}} in the source is shared with everyone who can read the repository and its history, and changing it needs a deploy. Read it from configuration (`process.env.{{envName}}`) and rotate the committed value.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    const check = (node: ts.Node): void => checkLiteral(context, node as ts.StringLiteralLike | ts.TemplateLiteralLikeNode);
    return {
      kinds: {
        [ts.SyntaxKind.StringLiteral]: check,
        [ts.SyntaxKind.NoSubstitutionTemplateLiteral]: check,
        [ts.SyntaxKind.TemplateHead]: check,
        [ts.SyntaxKind.TemplateMiddle]: check,
        [ts.SyntaxKind.TemplateTail]: check,
      },
    };
  },
};

function checkLiteral(context: RuleContext, literal: ts.StringLiteralLike | ts.TemplateLiteralLikeNode): void {
  const text = literal.text;
  // Most literals are short words, keys and messages: too short for any key format or a random secret.
  if (text.length < MIN_CANDIDATE_LENGTH || !isValuePosition(literal)) return;
  const known = knownFormatIn(text);
  const whole = ts.isStringLiteralLike(literal);
  if (known) {
    if (!isExampleValue(literal)) reportKnownFormat(context, literal, known, whole);
    return;
  }
  // `process.env.X || 'dev-secret'` is a local default: flagged only when it is a real key format (above).
  // The checks run cheapest first; each is a pure condition, so the order does not change the verdict.
  if (!whole || !looksRandom(text) || envDefaultName(literal)) return;
  // Known key formats are leaks anywhere (the catalog says so); a merely random-looking value under
  // examples/, fixtures/, docs/ or a dev config is sample data.
  if (EXAMPLE_PATH.test(context.fileName)) return;
  const target = targetName(literal, context);
  const secretKind = target && secretKindOf(target.name);
  if (!target || !secretKind || NAME_LIKE_KINDS.has(secretKind) || isExampleValue(literal)) return;
  if (documentedAsNotSecret(context, literal)) return;
  const envName = envNameFrom(target);
  const fix = envFix(context, literal, envName, false);
  context.report({
    node: literal,
    messageId: 'highEntropy',
    data: { name: target.name, length: text.length, secretKind, envName },
    fixes: fix ? [fix] : [],
  });
}

function reportKnownFormat(
  context: RuleContext, literal: ts.StringLiteralLike | ts.TemplateLiteralLikeNode, known: KnownFormatMatch, whole: boolean,
): void {
  const text = literal.text;
  const envDefault = whole ? envDefaultName(literal as ts.StringLiteralLike) : undefined;
  const target = whole ? targetName(literal as ts.StringLiteralLike) : undefined;
  const matchesWhole = whole && known.match[0].trim() === text.trim();
  const envName = envDefault ?? (target && mentionsVendor(target, known.format) ? envNameFrom(target) : known.format.envName);
  const fix = matchesWhole || envDefault ? envFix(context, literal as ts.StringLiteralLike, envName, envDefault !== undefined) : undefined;
  context.report({
    node: literal,
    messageId: 'knownFormat',
    data: { kind: known.format.kind, prefix: known.format.prefix, envName },
    fixes: fix ? [fix] : [],
  });
}

const NOT_A_SECRET_NOTE = /\bnot\s+(actually\s+|really\s+)?(a\s+)?(real\s+)?secret\b|\bsafe\s+to\s+(commit|expose|publish)\b/i;

/**
 * The author says in a comment on the declaration that the random-looking value under a secret name is not a
 * secret (`// This is not actually a secret key, just a constant we XOR with`): only the name made it look like
 * one, so the rule takes the author's word. Known key formats are reported whatever the comment says.
 */
function documentedAsNotSecret(context: RuleContext, literal: ts.StringLiteralLike): boolean {
  let statement: ts.Node = literal;
  while (statement.parent && !ts.isStatement(statement) && !ts.isClassElement(statement) && !ts.isPropertyAssignment(statement)) {
    statement = statement.parent;
  }
  const text = context.text;
  const leading = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
  if (leading.some((range) => NOT_A_SECRET_NOTE.test(text.slice(range.pos, range.end)))) return true;
  const lineEnd = text.indexOf('\n', literal.getEnd());
  const restOfLine = text.slice(literal.getEnd(), lineEnd === -1 ? text.length : lineEnd);
  const comment = /\/[/*](.*)$/.exec(restOfLine);
  return comment !== null && NOT_A_SECRET_NOTE.test(comment[1]);
}

/** Literals that are values: not module specifiers, not types, not property names, not `require('x')`. */
function isValuePosition(literal: ts.StringLiteralLike | ts.TemplateLiteralLikeNode): boolean {
  const node = literal.kind === ts.SyntaxKind.TemplateHead ? literal.parent
    : literal.kind === ts.SyntaxKind.TemplateMiddle || literal.kind === ts.SyntaxKind.TemplateTail ? literal.parent.parent : literal;
  const parent = node.parent;
  switch (parent.kind) {
    case ts.SyntaxKind.ImportDeclaration:
    case ts.SyntaxKind.ExportDeclaration:
    case ts.SyntaxKind.ExternalModuleReference:
    case ts.SyntaxKind.LiteralType:
    case ts.SyntaxKind.ImportType:
    case ts.SyntaxKind.ModuleDeclaration:
      return false;
    case ts.SyntaxKind.PropertyAssignment:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.EnumMember:
      return (parent as ts.NamedDeclaration).name !== node;
    case ts.SyntaxKind.CallExpression: {
      const callee = (parent as ts.CallExpression).expression;
      return !(ts.isIdentifier(callee) && callee.text === 'require');
    }
    default:
      return true;
  }
}

function knownFormatIn(text: string): KnownFormatMatch | undefined {
  if (!ANY_KEY_FORMAT.test(text)) return undefined;
  for (const format of KEY_FORMATS) {
    const match = format.pattern.exec(text);
    if (!match) continue;
    if (PLACEHOLDER.test(match[0])) continue;
    const random = format.randomPart(match);
    if (shannonEntropy(random) < MIN_RANDOM_PART_ENTROPY || hasLongRun(random)) continue;
    if (format.accept && !format.accept(match)) continue;
    return { format, match };
  }
  return undefined;
}

/**
 * A JWT is a live credential unless its claims say otherwise: Supabase-style `role: "anon"` keys are public by
 * design, a past `exp` cannot be used, and jwt.io's sample (`sub: "1234567890"`, `name: "John Doe"`) is a sample.
 */
function isLiveJwtPayload(encoded: string): boolean {
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    return true;
  }
  if (typeof claims !== 'object' || claims === null) return true;
  const record = claims as Record<string, unknown>;
  if (record.role === 'anon') return false;
  if (typeof record.exp === 'number' && record.exp * 1000 < Date.now()) return false;
  return !(record.sub === '1234567890' && record.name === 'John Doe');
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  return isAscii(text) ? asciiEntropy(text) : codePointEntropy(text);
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) >= 0x80) return false;
  return true;
}

/** Counts per character code in one reused table; sums in order of first occurrence, as `codePointEntropy` does. */
const asciiCounts = new Uint32Array(0x80);
const asciiOrder = new Uint8Array(0x80);

function asciiEntropy(text: string): number {
  let distinct = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (asciiCounts[code]++ === 0) asciiOrder[distinct++] = code;
  }
  let entropy = 0;
  for (let index = 0; index < distinct; index++) {
    const code = asciiOrder[index];
    const probability = asciiCounts[code] / text.length;
    asciiCounts[code] = 0;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

function codePointEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / text.length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

const WHITESPACE = /\s/;
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]+$/;
const HEX = /^[0-9a-f]+$/i;
const DIGIT = /[0-9]/;
const LETTER = /[A-Za-z]/;

/**
 * Random-looking: at least 16 characters, no whitespace, not a URL, path, env var name or placeholder, no long
 * alphabetical/numerical run, and either a hex string of ≥ 32 characters with ≥ 3.0 bits/char, or letters and
 * digits mixed with ≥ 3.5 bits/char.
 */
export function looksRandom(text: string): boolean {
  if (text.length < MIN_SECRET_LENGTH || WHITESPACE.test(text)) return false;
  const first = text.charCodeAt(0);
  const startsPath = first === 0x2e /* . */ || first === 0x2f /* / */ || first === 0x7e; /* ~ */
  if (startsPath || CONSTANT_NAME.test(text) || text.includes('://')) return false;
  // Each test is a pure condition of the verdict: the character-class ones run before the long placeholder pattern.
  const hex = HEX.test(text);
  // Generated secrets mix letters and digits; letters alone are names (`githubOAuthNonce`), digits alone are ids.
  if (hex ? text.length < MIN_HEX_LENGTH : !DIGIT.test(text) || !LETTER.test(text)) return false;
  if (PLACEHOLDER.test(text) || hasLongRun(text)) return false;
  return shannonEntropy(text) >= (hex ? MIN_ENTROPY_HEX : MIN_ENTROPY_MIXED);
}

/** Inside an object under an `example`/`examples`/`mock` key: documentation data (OpenAPI schemas, fixtures). */
function isExampleValue(literal: ts.Node): boolean {
  for (let current = literal.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isPropertyAssignment(current)) {
      const key = propertyName(current.name);
      if (key !== undefined && EXAMPLE_KEY.test(key)) return true;
    }
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** `abcdefgh`, `12345678`, `aaaaaaaa`: a run of 6+ repeated or consecutive characters is typed, not generated. */
function hasLongRun(text: string): boolean {
  let ascending = 1;
  let repeated = 1;
  for (let index = 1; index < text.length; index++) {
    const step = text.charCodeAt(index) - text.charCodeAt(index - 1);
    ascending = step === 1 ? ascending + 1 : 1;
    repeated = step === 0 ? repeated + 1 : 1;
    if (ascending >= 6 || repeated >= 6) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Names

interface Target {
  name: string;
  /** The enclosing property's name for a nested config (`jwt: { secret: '…' }` gives `jwt`). */
  owner?: string;
}

/**
 * Call arguments that are keys by the API's own definition, named as the API names them:
 * `crypto.createHmac(alg, key)`, `createCipheriv(alg, key, iv)`, jsonwebtoken `sign(payload, secret)`/`verify(token, secret)`.
 */
const SECRET_ARGUMENTS: readonly { method: RegExp; index: number; name: string; module?: string }[] = [
  { method: /^createHmac$/, index: 1, name: 'hmacKey' },
  { method: /^create(De)?cipheriv$/, index: 1, name: 'encryptionKey' },
  { method: /^(sign|verify)$/, index: 1, name: 'jwtSecret', module: 'jsonwebtoken' },
];

/** The variable, property, parameter, member or known key argument the literal is assigned to. */
function targetName(literal: ts.StringLiteralLike, context?: RuleContext): Target | undefined {
  let node: ts.Node = literal;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)
    || ts.isTypeAssertionExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (context && ts.isCallExpression(parent)) return secretArgumentName(context, parent, node as ts.Expression);
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isPropertyDeclaration(parent) || ts.isBindingElement(parent))
    && parent.initializer === node && ts.isIdentifier(parent.name)) {
    return { name: parent.name.text };
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const name = propertyName(parent.name);
    if (name === undefined) return undefined;
    const holder = parent.parent.parent;
    const owner = ts.isPropertyAssignment(holder) ? propertyName(holder.name) : undefined;
    return { name, owner };
  }
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = parent.left;
    if (ts.isIdentifier(left)) return { name: left.text };
    if (ts.isPropertyAccessExpression(left)) {
      const owner = ts.isPropertyAccessExpression(left.expression) ? left.expression.name.text
        : ts.isIdentifier(left.expression) ? left.expression.text : undefined;
      return { name: left.name.text, owner };
    }
  }
  return undefined;
}

function secretArgumentName(context: RuleContext, call: ts.CallExpression, argument: ts.Expression): Target | undefined {
  const index = call.arguments.indexOf(argument);
  const callee = call.expression;
  const method = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const root = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
  if (method === undefined) return undefined;
  const known = SECRET_ARGUMENTS.find((entry) => entry.index === index && entry.method.test(method)
    && (entry.module === undefined || (root !== undefined && context.bindings.get(root)?.module === entry.module)));
  return known ? { name: known.name } : undefined;
}

/** `process.env.JWT_SECRET || '…'` / `?? '…'`: the variable the literal stands in for. */
function envDefaultName(literal: ts.StringLiteralLike): string | undefined {
  let node: ts.Node = literal;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (!ts.isBinaryExpression(parent) || parent.right !== node) return undefined;
  const operator = parent.operatorToken.kind;
  if (operator !== ts.SyntaxKind.BarBarToken && operator !== ts.SyntaxKind.QuestionQuestionToken) return undefined;
  const left = parent.left;
  const owner = ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left) ? left.expression : undefined;
  const isProcessEnv = owner !== undefined && ts.isPropertyAccessExpression(owner) && owner.name.text === 'env'
    && ts.isIdentifier(owner.expression) && owner.expression.text === 'process';
  if (!isProcessEnv) return undefined;
  if (ts.isPropertyAccessExpression(left)) return left.name.text;
  return ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression) ? left.argumentExpression.text : undefined;
}

const VENDOR_WORDS: Readonly<Record<string, string>> = {
  STRIPE_SECRET_KEY: 'stripe', STRIPE_RESTRICTED_KEY: 'stripe', AWS_ACCESS_KEY_ID: 'aws', GITHUB_TOKEN: 'github', SLACK_TOKEN: 'slack',
};

/** `const key = 'sk_live_…'` is better named STRIPE_SECRET_KEY; `stripeLiveKey` already says whose key it is. */
function mentionsVendor(target: Target, format: KeyFormat): boolean {
  const vendor = VENDOR_WORDS[format.envName];
  const words = [...nameWords(target.owner ?? ''), ...nameWords(target.name)];
  return vendor === undefined ? words.length > 1 : words.includes(vendor);
}

/** `stripeSecretKey` → `STRIPE_SECRET_KEY`; a bare `secret` inside `jwt: { … }` → `JWT_SECRET`. */
function envNameFrom(target: Target): string {
  const own = nameWords(target.name);
  const words = own.length === 1 && target.owner ? [...nameWords(target.owner), ...own] : own;
  const name = words.join('_').toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `SECRET_${name}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The fix: `process.env.NAME ?? missingEnv('NAME')`, with the helper declared once per file.

function envFix(context: RuleContext, literal: ts.StringLiteralLike, envName: string, isEnvDefault: boolean): Fix | undefined {
  if (!canHoldExpression(literal)) return undefined;
  const helper = helperEdit(context);
  if (helper === null) return undefined;
  const quote = preferredQuote(context.text);
  const replacement = isEnvDefault
    ? `${HELPER_NAME}(${quote}${envName}${quote})`
    : `process.env.${envName} ?? ${HELPER_NAME}(${quote}${envName}${quote})`;
  const edits: TextEdit[] = [{ start: literal.getStart(context.sourceFile), end: literal.getEnd(), newText: replacement }];
  if (helper) edits.push(helper);
  return { title: `Read it from process.env.${envName} (fail fast when unset)`, edits };
}

/** Enum members and `case` labels need constants; a literal type position was excluded earlier. */
function canHoldExpression(literal: ts.StringLiteralLike): boolean {
  let node: ts.Node = literal;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isEnumMember(parent) || ts.isCaseClause(parent)) return false;
  // `'…' as const` would become `(… ?? …) as const`, which is not allowed on a non-literal.
  return !(ts.isAsExpression(literal.parent) && ts.isTypeReferenceNode(literal.parent.type) && literal.parent.type.getText() === 'const');
}

/**
 * The edit that declares the helper after the imports, or undefined when the file already declares it;
 * null when the name is taken by something else (then no fix rather than a clash).
 */
function helperEdit(context: RuleContext): TextEdit | undefined | null {
  const declared = context.sourceFile.statements.find((statement) => ts.isFunctionDeclaration(statement) && statement.name?.text === HELPER_NAME);
  if (declared) return undefined;
  if (context.bindings.get(HELPER_NAME) || new RegExp(`\\b${HELPER_NAME}\\b`).test(context.text)) return null;
  const nl = newlineOf(context.text);
  const quote = '`';
  const signature = context.isJavaScript ? `function ${HELPER_NAME}(name)` : `function ${HELPER_NAME}(name: string): never`;
  const semicolon = usesSemicolons(context) ? ';' : '';
  const text = `${signature} {${nl}  throw new Error(${quote}Missing required environment variable \${name}${quote})${semicolon}${nl}}${nl}`;
  const at = importInsertionPoint(context.sourceFile);
  const before = at > 0 ? nl : '';
  return { start: at, end: at, newText: `${before}${text}${at > 0 ? '' : nl}` };
}
