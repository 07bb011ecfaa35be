import * as ts from 'typescript';
import type { FileContext } from './types';
import { memberChain, type FunctionLike } from './external';
import { skipOuter } from './bindings';
import { identifierAt, walk } from './ast';
import { perNode, perText } from './perFile';
import {
  CALL, CLASS_DECLARATION, CLASS_EXPRESSION, FUNCTION_DECLARATION, FUNCTION_EXPRESSION, GET_ACCESSOR, METHOD_DECLARATION,
  PROPERTY_ACCESS, PROPERTY_DECLARATION, SET_ACCESSOR, STATIC_KEYWORD, THIS,
} from './kinds';
import type { FileLogger, LogStyle } from './loggers';

/** Questions about what code does with a caught error: is it logged, counted, handed on? Shared by error rules. */

const LOG_METHODS: ReadonlySet<string> = new Set([
  'error', 'warn', 'warning', 'info', 'log', 'debug', 'trace', 'fatal', 'critical', 'crit', 'notice', 'verbose',
  'silly', 'exception', 'emerg', 'alert',
]);

/** Functions and methods that report a failure somewhere: `logError(...)`, `Sentry.captureException(...)`, `bugsnag.notify(...)`. */
const REPORTING_NAME = /^(log|report|capture|notify|track|alert)([A-Z_]|$)/;

const METRIC_METHODS: ReadonlySet<string> = new Set([
  'increment', 'incr', 'inc', 'decrement', 'decr', 'gauge', 'histogram', 'observe', 'timing', 'distribution',
  'recordException', 'setStatus',
]);

/** Receivers that are metrics, tracing or error-tracking clients: any call on them records the failure. */
const TELEMETRY_RECEIVER = /metric|stats|counter|telemetry|prom|gauge|histogram|span|tracer|sentry|datadog|newrelic|bugsnag|rollbar|honeybadger|apm/i;

/** Counters bumped by hand in a catch: `failures++`, `stats.errors += 1`. */
const FAILURE_COUNTER = /fail|err|miss|skip|count/i;

/** The call's member name and the name its receiver chain starts from (`this.` dropped). */
export function calleeParts(call: ts.CallExpression): { root: string; path: string[]; method: string } | undefined {
  const chain = memberChain(call.expression);
  if (!chain) return undefined;
  const root = chain.root.replace(/^this\./, '');
  const method = chain.path.length > 0 ? chain.path[chain.path.length - 1] : root;
  return { root, path: chain.path, method };
}

/** `logger.error(...)`, `console.warn(...)`, `this.log.info(...)`, `logError(...)`, `Sentry.captureException(...)`. */
export function isLogCall(call: ts.CallExpression): boolean {
  const parts = calleeParts(call);
  if (!parts) return false;
  if (parts.path.length === 0) return /^(log|logger|warn)$/i.test(parts.root) || REPORTING_NAME.test(parts.root);
  return LOG_METHODS.has(parts.method) || REPORTING_NAME.test(parts.method);
}

/** `metrics.increment(...)`, `counter.inc()`, `span.recordException(...)`, `statsd.timing(...)`. */
export function isMetricCall(call: ts.CallExpression): boolean {
  const parts = calleeParts(call);
  if (!parts || parts.path.length === 0) return false;
  if (METRIC_METHODS.has(parts.method)) return true;
  const receivers = [parts.root, ...parts.path.slice(0, -1)];
  return receivers.some((name) => TELEMETRY_RECEIVER.test(name));
}

export function isFailureCounterUpdate(node: ts.Node): boolean {
  let target: ts.Expression | undefined;
  if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node))
    && (node.operator === ts.SyntaxKind.PlusPlusToken)) {
    target = node.operand;
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) {
    target = node.left;
  }
  if (!target) return false;
  const name = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : undefined;
  return name !== undefined && FAILURE_COUNTER.test(name);
}

/** Names a catch variable or callback parameter binds (`err`, or each name of `{ message, code }`). */
export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) names.push(...boundNames(element.name));
  }
  return names;
}

/** Whether an identifier node reads a variable (not a property name, object key or declaration name). */
export function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === identifier) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  if ((ts.isFunctionDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)
    || ts.isClassDeclaration(parent) || ts.isPropertySignature(parent)) && parent.name === identifier) return false;
  if (ts.isQualifiedName(parent) || ts.isTypeReferenceNode(parent)) return false;
  return true;
}

/** Whether any of `names` is read anywhere under `root`, nested functions included. */
export function readsAny(root: ts.Node, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (ts.isIdentifier(node) && names.includes(node.text) && isValueReference(node)) found = true;
    if (ts.isShorthandPropertyAssignment(node) && names.includes(node.name.text)) found = true;
    return undefined;
  }, { intoFunctions: true });
  return found;
}

/** Every identifier text under a node: to pick a new name that neither shadows nor is shadowed. */
export function identifiersIn(root: ts.Node): Set<string> {
  const names = new Set<string>();
  walk(root, (node) => {
    if (ts.isIdentifier(node)) names.add(node.text);
    return undefined;
  }, { intoFunctions: true });
  return names;
}

const ERROR_NAME_CANDIDATES = ['err', 'error', 'caughtError', 'caughtErr'];

/** A name for a new catch binding that nothing in `scope` already uses. */
export function freshErrorName(scope: ts.Node, reserved: readonly string[] = []): string {
  const unwritten = firstCandidateNotWritten(scope, reserved);
  if (unwritten) return unwritten;
  const used = identifiersIn(scope);
  for (const name of reserved) used.add(name);
  const free = ERROR_NAME_CANDIDATES.find((name) => !used.has(name));
  if (free) return free;
  for (let index = 2; ; index++) if (!used.has(`err${index}`)) return `err${index}`;
}

/**
 * `freshErrorName`'s answer read off the text when it can be: the first candidate (not reserved) that is not
 * written anywhere in the scope names no identifier there. Undefined when that candidate is written (in code, a
 * comment or a string: the identifiers decide then) or a unicode escape could spell it.
 */
function firstCandidateNotWritten(scope: ts.Node, reserved: readonly string[]): string | undefined {
  const text = scope.getSourceFile().text;
  const escape = text.indexOf('\\u', scope.pos);
  if (escape >= 0 && escape < scope.end) return undefined;
  const candidate = ERROR_NAME_CANDIDATES.find((name) => !reserved.includes(name));
  return candidate !== undefined && !writesName(text, candidate, scope.pos, scope.end) ? candidate : undefined;
}

/** Whether `name` is written between `from` and `to`, other than inside a longer ASCII name. */
function writesName(text: string, name: string, from: number, to: number): boolean {
  for (let at = text.indexOf(name, from); at >= 0 && at < to; at = text.indexOf(name, at + 1)) {
    if (!isAsciiNameCharacter(text.charCodeAt(at - 1)) && !isAsciiNameCharacter(text.charCodeAt(at + name.length))) return true;
  }
  return false;
}

/** Whether the file ends its statements with semicolons (most do; standard-style files do not). */
export function usesSemicolons(file: FileContext): boolean {
  return semicolonStyle(file.text);
}

export function semicolonStyleOf(text: string): boolean {
  return semicolonStyle(text);
}

// Asked per fix (every swallowed error, every loop): the whole-text scan runs once per text.
const semicolonStyle = perText('usesSemicolons', (text) => semicolonEndsALineEarly(text) || semicolonEndsALineOfCode(text));

/** The definition: block comments removed, some line ends with `;` (before spaces or a line comment), or no code. */
function semicolonEndsALineOfCode(text: string): boolean {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '');
  return /;[ \t]*(\/\/[^\n]*)?\r?$/m.test(code) || !/\S/.test(code);
}

/**
 * True when a `;` outside block comments ends its line with nothing between it and the line's end that removing
 * block comments could change: the definition's answer, found from the first such line (usually an early import)
 * without copying the text. Undefined when it cannot tell that way (the definition decides then).
 */
function semicolonEndsALineEarly(text: string): true | undefined {
  // The block comment the definition removes next, as its global replace pairs them: the first `*/` after each `/*`.
  let commentStart = text.indexOf('/*');
  let commentEnd = commentStart < 0 ? -1 : text.indexOf('*/', commentStart + 2) + 2;
  if (commentEnd === 1) return undefined;
  for (let at = text.indexOf(';'); at >= 0; at = text.indexOf(';', at + 1)) {
    while (commentStart >= 0 && commentEnd <= at) {
      commentStart = text.indexOf('/*', commentEnd);
      if (commentStart < 0) break;
      commentEnd = text.indexOf('*/', commentStart + 2) + 2;
      if (commentEnd === 1) return undefined;
    }
    if (commentStart >= 0 && commentStart < at) continue;
    const protectedEnd = endOfSemicolonLine(text, at);
    if (protectedEnd < 0 || (commentStart >= 0 && commentStart < protectedEnd)) continue;
    return true;
  }
  return undefined;
}

/**
 * For the `;` at `at`: where the text that must stay as written for its line to match ends (after `//` when a
 * line comment follows, at the line break otherwise), or -1 when something else follows it on the line.
 */
function endOfSemicolonLine(text: string, at: number): number {
  let next = at + 1;
  while (next < text.length && (text.charCodeAt(next) === 0x20 || text.charCodeAt(next) === 0x09)) next++;
  if (next === text.length) return next;
  const code = text.charCodeAt(next);
  if (code === 0x2f /* / */ && text.charCodeAt(next + 1) === 0x2f) return next + 2;
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029 ? next : -1;
}

/** A short name for what failed: `stripe.refunds.create`, `sendWelcomeEmail`, `this.repo.save` as `repo.save`. */
export function operationName(expression: ts.Expression): string | undefined {
  let current = skipOuter(expression);
  // Look through promise chains to the call that started them: `fetchUser(id).then(...)`.
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)
    && ['then', 'catch', 'finally'].includes(current.expression.name.text)) {
    current = skipOuter(current.expression.expression);
  }
  if (!ts.isCallExpression(current)) return undefined;
  const chain = memberChain(current.expression);
  if (!chain) return undefined;
  const parts = [chain.root.replace(/^this\./, ''), ...chain.path].filter((part) => part !== '[]');
  const name = parts.length > 3 ? parts.slice(-2).join('.') : parts.join('.');
  return /^[\w$.]+$/.test(name) ? name : undefined;
}

export function functionName(fn: FunctionLike | undefined): string | undefined {
  if (!fn) return undefined;
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && ts.isIdentifier(fn.name)) {
    return fn.name.text;
  }
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/**
 * The logger the enclosing class keeps (`this.logger`, `this.log`), when the class already logs through it: its
 * call style is read from those calls (`this.logger.error({ err }, 'msg')` is pino-style, `this.logger.warn('msg',
 * ...)` message-first). A fix then writes what the rest of the class writes, instead of bringing in a new logger.
 */
export function classLogger(at: ts.Node): FileLogger | undefined {
  const owner = classOfThis(at);
  const found = owner && loggerOfClass(owner);
  return found ? { ...found, setupEdits: [] } : undefined;
}

/** Asked per caught error: a walk of the whole class each time was quadratic in the size of a large class. */
const loggerOfClass = perNode('classLogger', styleOfClassLogger);

/** The class whose instance `this` is at `node`: through arrow functions, not through `function` or static members. */
function classOfThis(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    switch (current.kind) {
      case FUNCTION_DECLARATION: case FUNCTION_EXPRESSION:
        return undefined;
      case METHOD_DECLARATION: case PROPERTY_DECLARATION: case GET_ACCESSOR: case SET_ACCESSOR: {
        const modifiers = (current as ts.MethodDeclaration | ts.PropertyDeclaration | ts.AccessorDeclaration).modifiers;
        if (modifiers?.some((modifier) => modifier.kind === STATIC_KEYWORD)) return undefined;
        break;
      }
      case CLASS_DECLARATION: case CLASS_EXPRESSION:
        return current as ts.ClassLikeDeclaration;
    }
  }
  return undefined;
}

/** The style of the first `this.logger.error|warn|info(...)` call in a class, else of the first such `this.log` call. */
function styleOfClassLogger(owner: ts.ClassLikeDeclaration): Omit<FileLogger, 'setupEdits'> | undefined {
  const text = owner.getSourceFile().text;
  // A unicode escape can spell `logger` in a way no text search finds: walk the class then.
  const escape = text.indexOf('\\u', owner.pos);
  if (escape >= 0 && escape < owner.end) {
    const styles = styleOfCallsOnLoggers(owner);
    if (styles.logger) return { expression: 'this.logger', style: styles.logger };
    return styles.log ? { expression: 'this.log', style: styles.log } : undefined;
  }
  const logger = styleOfFirstCallOn(owner, text, 'logger');
  if (logger) return { expression: 'this.logger', style: logger };
  const log = styleOfFirstCallOn(owner, text, 'log');
  return log ? { expression: 'this.log', style: log } : undefined;
}

/**
 * The style of the first `this.<name>.error|warn|info(...)` call in a class, found from where `name` is written
 * in its text (document order is the order a walk of the class meets those calls in).
 */
function styleOfFirstCallOn(owner: ts.ClassLikeDeclaration, text: string, name: 'logger' | 'log'): LogStyle | undefined {
  for (let at = text.indexOf(name, owner.pos); at >= 0 && at < owner.end; at = text.indexOf(name, at + 1)) {
    if (isAsciiNameCharacter(text.charCodeAt(at - 1)) || isAsciiNameCharacter(text.charCodeAt(at + name.length))) continue;
    const identifier = identifierAt(owner, at, name);
    const style = identifier && styleOfLogCallThrough(identifier);
    if (style) return style;
  }
  return undefined;
}

/** For `logger` in `this.logger.error(first, ...)`: pino when `first` is an object, winston when it is a message. */
function styleOfLogCallThrough(name: ts.Identifier): LogStyle | undefined {
  const target = name.parent;
  if (target.kind !== PROPERTY_ACCESS || (target as ts.PropertyAccessExpression).name !== name
    || (target as ts.PropertyAccessExpression).expression.kind !== THIS) return undefined;
  const callee = target.parent;
  if (callee.kind !== PROPERTY_ACCESS || (callee as ts.PropertyAccessExpression).expression !== target
    || !LOGGED_LEVELS.has((callee as ts.PropertyAccessExpression).name.text)) return undefined;
  const call = callee.parent;
  if (call.kind !== CALL || (call as ts.CallExpression).expression !== callee || (call as ts.CallExpression).arguments.length === 0) return undefined;
  const first = (call as ts.CallExpression).arguments[0];
  if (ts.isObjectLiteralExpression(first)) return 'pino';
  if (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first)) return 'winston';
  return undefined;
}

/** ASCII letters, digits, `_` and `$`: a name next to one of them is part of a longer name. */
function isAsciiNameCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x24;
}

/**
 * The style of the first `this.logger.error|warn|info(...)` call and of the first such `this.log` call in a class,
 * from one walk.
 */
function styleOfCallsOnLoggers(owner: ts.ClassLikeDeclaration): { logger?: LogStyle; log?: LogStyle } {
  const styles: { logger?: LogStyle; log?: LogStyle } = {};
  walk(owner, (node) => {
    if (styles.logger) return false;
    if (node.kind !== CALL) return undefined;
    const call = node as ts.CallExpression;
    if (call.arguments.length === 0) return undefined;
    const callee = call.expression;
    if (callee.kind !== PROPERTY_ACCESS || !LOGGED_LEVELS.has((callee as ts.PropertyAccessExpression).name.text)) return undefined;
    const target = (callee as ts.PropertyAccessExpression).expression;
    if (target.kind !== PROPERTY_ACCESS || (target as ts.PropertyAccessExpression).expression.kind !== THIS) return undefined;
    const name = (target as ts.PropertyAccessExpression).name.text;
    if ((name !== 'logger' && name !== 'log') || styles[name]) return undefined;
    const first = call.arguments[0];
    if (ts.isObjectLiteralExpression(first)) styles[name] = 'pino';
    else if (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first)) styles[name] = 'winston';
    return undefined;
  }, { intoFunctions: true });
  return styles;
}

const LOGGED_LEVELS: ReadonlySet<string> = new Set(['error', 'warn', 'info']);
