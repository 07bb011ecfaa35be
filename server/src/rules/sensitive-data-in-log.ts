import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import { skipOuter, type Binding } from '../engine/bindings';
import { constObjectLiteral, findProperty, hasSpread, lookupName, propertyName, propertyValue } from '../engine/ast';
import { memberChain } from '../engine/external';
import { preferredQuote } from '../engine/fixkit';
import { isBrowserCode } from '../engine/environment';
import { isCommandLineTool, isTestSupportFile } from '../engine/fileRole';
import { secretKindOf } from '../engine/secretNames';

type MessageId = 'secretValue' | 'requestObject';

/** One value in a log call's arguments that should not reach the logs. */
interface Leak {
  kind: 'secret' | 'request';
  /** The expression (or shorthand property) that carries it. */
  node: ts.Node;
  /** Key path inside the first object argument, as pino's `redact` sees it; undefined outside an object. */
  path?: string[];
  /** What the fix replaces, and with what; undefined when no safe edit exists (e.g. a spread). */
  edit?: TextEdit;
}

const LOG_METHODS: ReadonlySet<string> = new Set([
  'log', 'info', 'warn', 'warning', 'error', 'debug', 'trace', 'fatal', 'verbose', 'silly', 'notice', 'critical',
  'crit', 'emerg', 'alert', 'http', 'dir', 'table',
]);

/** Modules whose bindings (and instances made from them) are loggers. */
const LOGGER_MODULES: ReadonlySet<string> = new Set([
  'pino', 'winston', 'bunyan', 'pino-http', 'log4js', 'loglevel', 'consola', 'signale', 'npmlog', 'electron-log',
  'debug', 'roarr',
]);

/** Receivers named like a logger: `logger`, `log`, `this.logger`, `req.log`, `auditLogger`, NestJS `Logger`, `LOGGER`. */
const LOGGER_NAME = /^(_?log|_?logger|LOG|LOGGER)$/i;
const LOGGER_SUFFIX = /[a-z0-9]Logger$|^[A-Z][A-Z0-9_]*_LOGGER$/;

// ---------------------------------------------------------------------------------------------------------------

export const sensitiveDataInLog: Rule = {
  meta: {
    id: 'sensitive-data-in-log',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'A log call that writes a secret (password, token, API key, cookie, card data) or a whole request headers/body object.',
    hasFix: true,
    scope: 'statement',
    messages: {
      secretValue: '`{{expression}}` is named like a {{kind}} and `{{callee}}` writes it to the log: log files and log platforms are read by far more people and systems than should ever see credentials, and they are kept for months. Redact it, or log a fact about it (whether it is set, its length).',
      requestObject: '`{{callee}}` logs the whole `{{expression}}`: request {{part}} carry `Authorization` headers, session cookies, passwords and card numbers straight into the logs. Log the fields you need instead.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    let skipFile: boolean | undefined;
    let commandLineTool: boolean | undefined;
    return {
      kinds: {
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => {
          const call = node as ts.CallExpression;
          // Which calls log is read off the call; whether the file is reviewed at all is asked at the first one.
          if (!isLoggingCall(context, call)) return;
          skipFile ??= isBrowserCode(context) || isTestSupportFile(context);
          if (skipFile || runsOnlyInDevelopment(call)) return;
          commandLineTool ??= isCommandLineTool(context);
          if (commandLineTool && isConsoleCall(call)) return;
          checkLogCall(context, call);
        },
      },
    };
  },
};

function checkLogCall(context: RuleContext, call: ts.CallExpression): void {
  const leaks: Leak[] = [];
  call.arguments.forEach((argument, index) => collectLeaks(context, argument, index === 0 ? [] : undefined, leaks));
  if (leaks.length === 0) return;
  const redaction = pinoRedaction(context, call);
  const callee = call.expression.getText(context.sourceFile).replace(/\s+/g, '');
  for (const leak of leaks) {
    if (leak.path && redaction.covers(leak.path, leak.kind)) continue;
    const expression = leakText(context, leak.node);
    const fix: Fix | undefined = leak.edit
      ? { title: leak.kind === 'request' ? `Log only the field names of \`${expression}\`` : `Redact \`${expression}\` in this log call`, edits: [leak.edit] }
      : undefined;
    context.report({
      node: leak.node,
      messageId: leak.kind === 'request' ? 'requestObject' : 'secretValue',
      data: {
        expression,
        callee,
        kind: leak.kind === 'secret' ? secretKindOf(leakName(leak.node) ?? '') ?? 'secret' : 'secret',
        part: /headers$/.test(expression) ? 'headers' : /cookies$/.test(expression) ? 'cookies' : 'bodies',
      },
      fixes: fix ? [fix] : [],
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Which calls log

function isLoggingCall(context: RuleContext, call: ts.CallExpression): boolean {
  // A plain `x.y(...)` callee (nothing for skipOuter to strip) is judged by its name first: most calls do not log.
  const written = call.expression;
  if (ts.isPropertyAccessExpression(written) && !LOG_METHODS.has(lookupName(written.name))) return false;
  const callee = skipOuter(written);
  if (ts.isIdentifier(callee)) {
    const binding = context.bindings.get(callee.text);
    return binding !== undefined && binding.isInstance && binding.module === 'debug';
  }
  if (!mayCallLogMethod(callee)) return false;
  const chain = memberChain(callee);
  if (!chain || chain.path.length === 0) return false;
  const method = chain.path[chain.path.length - 1];
  if (!LOG_METHODS.has(method)) return false;
  const root = chain.root.replace(/^this\./, '');
  if (chain.root === 'console' && chain.path.length === 1) return !context.bindings.get('console');
  const receivers = [root, ...chain.path.slice(0, -1)];
  if (receivers.some((name) => LOGGER_NAME.test(name) || LOGGER_SUFFIX.test(name) || name === context.settings.logger.name)) return true;
  const binding = context.bindings.get(chain.root);
  return binding !== undefined && isLoggerBinding(binding);
}

/**
 * False when the callee's own member name is not a log method, read off the node before building its member
 * chain (most calls in a file are not logging). A callee that is itself a call (`loggerFor(x)()`) is left to the chain.
 */
function mayCallLogMethod(callee: ts.Expression): boolean {
  switch (callee.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return LOG_METHODS.has((callee as ts.PropertyAccessExpression).name.text);
    case ts.SyntaxKind.ElementAccessExpression: {
      const argument = (callee as ts.ElementAccessExpression).argumentExpression;
      return ts.isStringLiteralLike(argument) && LOG_METHODS.has(argument.text);
    }
    case ts.SyntaxKind.CallExpression:
      return true;
    default:
      return false;
  }
}

/**
 * A command-line tool's console is its user interface, not a log: the generated admin password it prints
 * (`Password: …`) is meant for the operator at the terminal. Its logger calls are still reviewed.
 */
function isConsoleCall(call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console';
}

function isLoggerBinding(binding: Binding): boolean {
  if (binding.module === '@nestjs/common') return binding.imported === 'Logger' || (binding.isInstance && binding.parent?.imported === 'Logger');
  return LOGGER_MODULES.has(binding.module);
}

const DEVELOPMENT_COMPARISON = /NODE_ENV\s*===?\s*['"`](development|dev|local|test)['"`]|NODE_ENV\s*!==?\s*['"`]production['"`]/;
const DEVELOPMENT_FLAG = /^(is_?)?(dev|development|local)(_?(mode|env))?$/i;

/**
 * The log call sits in the then-branch of a development-only condition (`NODE_ENV === 'development'`,
 * `NODE_ENV !== 'production'`, `env.isDevelopment`, `isDev && verbose`): it never runs in production.
 */
function runsOnlyInDevelopment(call: ts.CallExpression): boolean {
  let child: ts.Node = call;
  for (let current = call.parent; current && !ts.isSourceFile(current); child = current, current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
    if (ts.isIfStatement(current) && current.thenStatement === child && isDevelopmentCondition(current.expression)) return true;
  }
  return false;
}

function isDevelopmentCondition(expression: ts.Expression): boolean {
  const node = skipOuter(expression);
  if (ts.isBinaryExpression(node)) {
    if (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return isDevelopmentCondition(node.left) || isDevelopmentCondition(node.right);
    return DEVELOPMENT_COMPARISON.test(node.getText());
  }
  if (ts.isIdentifier(node)) return DEVELOPMENT_FLAG.test(node.text);
  if (ts.isPropertyAccessExpression(node)) return DEVELOPMENT_FLAG.test(node.name.text);
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// What in the arguments leaks

/**
 * Walks a log argument the way its value flows into the log line: object literals, arrays, template strings,
 * concatenation, `||`/`??`, `String(x)`, `JSON.stringify(x)`, `util.inspect(x)`. A value turned into a fact
 * (`!!token`, `token.length`, `typeof token`, `token === x`) or passed to any other function (`mask(token)`,
 * `Object.keys(req.body)`) does not leak. `path` is the key path inside the first argument's object literal.
 */
function collectLeaks(context: RuleContext, expression: ts.Expression, path: string[] | undefined, leaks: Leak[]): void {
  const node = skipOuter(expression);
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const leak = accessLeak(context, node, path);
    if (leak) leaks.push(leak);
    return;
  }
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) collectPropertyLeaks(context, property, path, leaks);
    return;
  }
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) collectLeaks(context, ts.isSpreadElement(element) ? element.expression : element, undefined, leaks);
    return;
  }
  if (ts.isTemplateExpression(node)) {
    for (const span of node.templateSpans) {
      const inner = skipOuter(span.expression);
      const before = leaks.length;
      collectLeaks(context, span.expression, undefined, leaks);
      // A secret alone in `${...}` is replaced together with its braces: `token=${token}` becomes `token=[REDACTED]`.
      const added = leaks.slice(before);
      if (added.length === 1 && added[0].node === inner && added[0].kind === 'secret') added[0].edit = templateSpanEdit(context, span);
    }
    return;
  }
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.PlusToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
      collectLeaks(context, node.left, undefined, leaks);
      collectLeaks(context, node.right, undefined, leaks);
    }
    return;
  }
  if (ts.isConditionalExpression(node)) {
    collectLeaks(context, node.whenTrue, undefined, leaks);
    collectLeaks(context, node.whenFalse, undefined, leaks);
    return;
  }
  if (ts.isCallExpression(node)) {
    const passed = passThroughArgument(node);
    if (passed) collectLeaks(context, passed, undefined, leaks);
  }
}

/** `String(x)`, `JSON.stringify(x)`, `util.inspect(x)`, `inspect(x)`, `x.toString()`: the value goes into the log as is. */
function passThroughArgument(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuter(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? `${callee.expression.getText()}.${callee.name.text}` : '';
  if (name === 'String' || name === 'JSON.stringify' || name === 'util.inspect' || name === 'inspect' || name === 'util.format') return call.arguments[0];
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'toString' && call.arguments.length === 0) return callee.expression;
  return undefined;
}

function collectPropertyLeaks(context: RuleContext, property: ts.ObjectLiteralElementLike, path: string[] | undefined, leaks: Leak[]): void {
  if (ts.isSpreadAssignment(property)) {
    const inner = skipOuter(property.expression);
    if ((ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) && requestPart(inner)) {
      leaks.push({ kind: 'request', node: inner, path: undefined });
    }
    return;
  }
  const key = property.name ? propertyName(property.name) : undefined;
  if (key === undefined) return;
  const keyPath = path ? [...path, key] : undefined;
  if (ts.isShorthandPropertyAssignment(property)) {
    if (secretKindOf(key)) {
      leaks.push({ kind: 'secret', node: property, path: keyPath, edit: replaceWith(context, property, `${key}: ${redacted(context)}`) });
    }
    return;
  }
  if (!ts.isPropertyAssignment(property)) return;
  const value = property.initializer;
  if (secretKindOf(key) && carriesValue(value)) {
    const before = leaks.length;
    collectLeaks(context, value, keyPath, leaks);
    // The key says secret whatever the value is called (`{ password: pwd }`): report the property once.
    if (leaks.length === before) leaks.push({ kind: 'secret', node: property, path: keyPath, edit: replaceWith(context, value, redacted(context)) });
    return;
  }
  collectLeaks(context, value, keyPath, leaks);
}

/** A property value that may carry the secret: not a literal, not a fact about it, not masked by a call. */
function carriesValue(value: ts.Expression): boolean {
  const node = skipOuter(value);
  if (ts.isLiteralExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) return false;
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return false;
  if (ts.isIdentifier(node)) return node.text !== 'undefined';
  if (ts.isPrefixUnaryExpression(node) || ts.isTypeOfExpression(node)) return false;
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    const passes = operator === ts.SyntaxKind.PlusToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken;
    return passes && (carriesValue(node.left) || carriesValue(node.right));
  }
  // `password ? '******' : undefined` logs a mask, not the password.
  if (ts.isConditionalExpression(node)) return carriesValue(node.whenTrue) || carriesValue(node.whenFalse);
  if (ts.isTemplateExpression(node)) return node.templateSpans.some((span) => carriesValue(span.expression));
  if (ts.isPropertyAccessExpression(node)) return node.name.text !== 'length';
  if (ts.isCallExpression(node)) {
    const passed = passThroughArgument(node);
    return passed !== undefined && carriesValue(passed);
  }
  return ts.isElementAccessExpression(node);
}

/** A name or member read: a secret by its name, or a whole request headers/body/cookies object. */
function accessLeak(context: RuleContext, node: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression, path: string[] | undefined): Leak | undefined {
  const name = leakName(node);
  if (name === undefined) return undefined;
  if (ts.isIdentifier(node) && !isValueIdentifier(context, node)) return undefined;
  if (secretKindOf(name)) return { kind: 'secret', node, path, edit: replaceWith(context, node, redacted(context)) };
  const part = (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) ? requestPart(node) : undefined;
  if (!part) return undefined;
  const target = node.getText(context.sourceFile);
  const keys = part === 'body' ? `Object.keys(${target} ?? {})` : `Object.keys(${target})`;
  return { kind: 'request', node, path, edit: replaceWith(context, node, keys) };
}

/** `undefined` and package imports (`import jwt from 'jsonwebtoken'`) are not values that hold a secret. */
function isValueIdentifier(context: RuleContext, identifier: ts.Identifier): boolean {
  if (identifier.text === 'undefined') return false;
  const binding = context.bindings.get(identifier.text);
  if (!binding || binding.isInstance) return true;
  return /^(\.|\/|@\/|~\/|#)/.test(binding.module);
}

function leakName(node: ts.Node): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isShorthandPropertyAssignment(node)) return node.name.text;
  if (ts.isPropertyAssignment(node)) return propertyName(node.name);
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  return undefined;
}

/**
 * `req.headers`, `request.body`, `ctx.request.body`, `ctx.headers`, `req.cookies`, `event.headers`: the whole
 * incoming request part, as Express, Koa, Fastify, Next.js and Lambda name it.
 */
function requestPart(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): 'headers' | 'body' | 'cookies' | undefined {
  const name = leakName(node);
  if (name !== 'headers' && name !== 'body' && name !== 'cookies') return undefined;
  const owner = skipOuter(node.expression);
  const ownerText = ts.isIdentifier(owner) ? owner.text
    : ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.expression) ? `${owner.expression.text}.${owner.name.text}` : undefined;
  if (ownerText === undefined) return undefined;
  if (/^(req|request|ctx\.request|context\.request|c\.req|this\.request)$/.test(ownerText)) return name;
  if (name !== 'body' && /^(ctx|event)$/.test(ownerText)) return name;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// pino `redact`

interface Redaction {
  covers(path: readonly string[], kind: Leak['kind']): boolean;
}

const NO_REDACTION: Redaction = { covers: () => false };
const UNKNOWN_REDACTION: Redaction = { covers: () => true };

/**
 * The `redact` paths of the pino logger this call goes through, when it was created in this file
 * (`const logger = pino({ redact: ['req.headers.authorization', '*.password'] })`, children included).
 * Options the rule cannot read count as covering everything: precision first.
 */
function pinoRedaction(context: RuleContext, call: ts.CallExpression): Redaction {
  const chain = memberChain(skipOuter(call.expression));
  let binding = chain ? context.bindings.get(chain.root) : undefined;
  for (; binding; binding = binding.parent) {
    if (binding.module !== 'pino' || !binding.isInstance || !binding.creation) continue;
    if (binding.parent?.isInstance) continue;
    const first = binding.creation.arguments?.[0];
    if (!first) return NO_REDACTION;
    const options = objectLiteralOf(first);
    if (!options) return UNKNOWN_REDACTION;
    const redact = findProperty(options, 'redact');
    if (!redact) return hasSpread(options) ? UNKNOWN_REDACTION : NO_REDACTION;
    const paths = redactPaths(propertyValue(redact));
    return paths ? pathRedaction(paths) : UNKNOWN_REDACTION;
  }
  return NO_REDACTION;
}

function objectLiteralOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const node = skipOuter(expression);
  if (ts.isObjectLiteralExpression(node)) return node;
  return ts.isIdentifier(node) ? constObjectLiteral(node) : undefined;
}

/** `redact: ['a.b', '*.c']` or `redact: { paths: [...] }`; undefined when the list is not literal. */
function redactPaths(value: ts.Expression | undefined): string[][] | undefined {
  if (!value) return undefined;
  let list = skipOuter(value);
  if (ts.isObjectLiteralExpression(list)) {
    const paths = findProperty(list, 'paths');
    const inner = paths && propertyValue(paths);
    if (!inner) return undefined;
    list = skipOuter(inner);
  }
  if (!ts.isArrayLiteralExpression(list)) return undefined;
  const paths: string[][] = [];
  for (const element of list.elements) {
    if (!ts.isStringLiteralLike(element)) return undefined;
    paths.push(parseRedactPath(element.text));
  }
  return paths;
}

/** `req.headers["x-api-key"]` → `['req', 'headers', 'x-api-key']`; `*` stays a wildcard segment. */
export function parseRedactPath(text: string): string[] {
  const segments: string[] = [];
  const pattern = /\[\s*(?:"([^"]*)"|'([^']*)'|(\*|\d+))\s*\]|([^.[\]]+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    segments.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  return segments;
}

function pathRedaction(paths: readonly string[][]): Redaction {
  const matches = (pattern: readonly string[], path: readonly string[]): boolean =>
    pattern.length === path.length && pattern.every((segment, index) => segment === '*' || segment === path[index]);
  return {
    covers(path, kind) {
      if (paths.some((pattern) => matches(pattern, path))) return true;
      // A whole headers/body object is covered when the config redacts something inside it at that path.
      return kind === 'request' && paths.some((pattern) => pattern.length > path.length && matches(pattern.slice(0, path.length), path));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Fixes

function redacted(context: RuleContext): string {
  const quote = preferredQuote(context.text);
  return `${quote}[REDACTED]${quote}`;
}

function replaceWith(context: RuleContext, node: ts.Node, text: string): TextEdit {
  return { start: node.getStart(context.sourceFile), end: node.getEnd(), newText: text };
}

/** Replaces `${token}` (braces included) with the literal text `[REDACTED]`. */
function templateSpanEdit(context: RuleContext, span: ts.TemplateSpan): TextEdit {
  const template = span.parent;
  const index = template.templateSpans.indexOf(span);
  const previousLiteral = index === 0 ? template.head : template.templateSpans[index - 1].literal;
  const start = previousLiteral.getEnd() - 2;
  const end = span.literal.getStart(context.sourceFile) + 1;
  return { start, end, newText: '[REDACTED]' };
}

function leakText(context: RuleContext, node: ts.Node): string {
  const name = ts.isShorthandPropertyAssignment(node) || ts.isPropertyAssignment(node) ? propertyName(node.name) ?? '' : node.getText(context.sourceFile);
  const text = name.replace(/\s+/g, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
