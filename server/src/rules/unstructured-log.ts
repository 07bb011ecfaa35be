import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import { skipOuter } from '../engine/bindings';
import { enclosingFunction, lookupName, walk } from '../engine/ast';
import { isFunctionLike, type FunctionLike } from '../engine/external';
import { errorLogCall, fileLogger, type ErrorLogLevel } from '../engine/loggers';
import { isBrowserCode, isTestFile } from '../engine/environment';
import { isBrowserScript, isOperatorScript, isTestSupportFile } from '../engine/fileRole';
import { boundNames, classLogger, freshErrorName, functionName, isValueReference, operationName } from '../engine/errorflow';

type MessageId = 'inErrorHandler' | 'errorArgument' | 'consoleAsHandler';

const CONSOLE_METHODS: ReadonlySet<string> = new Set(['log', 'error', 'warn', 'info']);

/** First parameter names that mark a Node-style callback's error: `err`, `error`, `er`, `dbErr`, `writeError`. */
const ERROR_PARAMETER = /^(err|error|er)$|^[a-z]\w*(Err|Error)$/;

/** Array and collection callbacks take items, not errors, whatever the item is called. */
const ITERATION_METHODS: ReadonlySet<string> = new Set([
  'map', 'forEach', 'filter', 'reduce', 'reduceRight', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some',
  'every', 'flatMap', 'sort', 'toSorted',
]);

const ERROR_EVENTS: ReadonlySet<string> = new Set(['error', 'uncaughtException', 'unhandledRejection']);
const LISTENER_METHODS: ReadonlySet<string> = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** Short property names that say little on their own: `user.id` is kept as `userId`. */
const GENERIC_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'code', 'type', 'status', 'key', 'email']);

export const unstructuredLog: Rule = {
  meta: {
    id: 'unstructured-log',
    category: 'observability',
    defaultSeverity: 'warning',
    description: '`console.*` logging an error in server-side code instead of the structured logger.',
    hasFix: true,
    scope: 'statement',
    // A file-wide `/* eslint-disable no-console */` exempts the whole file.
    fileFacts: (file) => String(allowsConsoleInFile(file.text)),
    messages: {
      inErrorHandler: '`{{method}}` in an error path writes an unstructured line: no level your log pipeline can filter or alert on, no request context, and (for `console.log(err)`) often just `[object Object]` or a stack split over many lines. Log the error with the structured logger.',
      errorArgument: '`{{method}}` logs an error as unstructured text: the stack lands on many separate lines with no level, fields or context, so it cannot be searched or alerted on. Log it with the structured logger.',
      consoleAsHandler: '`{{method}}` as an error handler prints the error as unstructured text, without level or context. Use a handler that logs it with the structured logger.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    // Asked at the first console call: most files have none, and the browser-script check walks the file.
    let exempt: boolean | undefined;
    const isExempt = (): boolean => (exempt ??= isExemptFile(context));
    return {
      kinds: {
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => {
          const call = node as ts.CallExpression;
          const callee = skipOuter(call.expression);
          if (!ts.isPropertyAccessExpression(callee)) return;
          // Asked of every call: the member name rules out nearly all of them before anything else is read.
          const member = lookupName(callee.name);
          const method = CONSOLE_METHODS.has(member) ? consoleMemberName(callee) : undefined;
          if (method) {
            if (!isExempt()) checkConsoleCall(context, call, method);
          } else if (member === 'catch' || member === 'then' || LISTENER_METHODS.has(member)) {
            checkConsoleAsHandler(context, call, callee, isExempt);
          }
        },
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// which files

/**
 * Server-side production code only: not browser code (`'use client'`, React hooks, UI libraries, a React
 * component file with no server-side import, AMD modules, scripts served from `public/`, code reading `window`),
 * not tests or test helpers, not scripts an operator runs and watches (CLIs, migrations, seeds, generators),
 * whose console is their interface, and not files that switch the project's no-console lint rule off.
 */
function isExemptFile(context: RuleContext): boolean {
  return isTestFile(context.fileName) || isScriptConfig(context) || isTestSupportFile(context) || isOperatorScript(context)
    || isBrowserCode(context) || allowsConsoleInFile(context.text) || isBrowserScript(context);
}

function isScriptConfig(context: RuleContext): boolean {
  return /\.config\.[cm]?[jt]s$/.test(context.fileName);
}

/** The project lints against console and this line or file was deliberately let through. */
const CONSOLE_LINT_OFF = /(eslint-disable|oxlint-disable|biome-ignore)[^\n]*(no-console|noConsole)/;
const CONSOLE_LINT_OFF_FOR_FILE = /\/\*\s*(eslint-disable|oxlint-disable)\s+[^*]*no-console/;

function allowsConsoleInFile(text: string): boolean {
  return CONSOLE_LINT_OFF_FOR_FILE.test(text);
}

/** `// eslint-disable-next-line no-console` (or oxlint/biome) on the line before the call, or on its own line. */
function allowsConsoleOnLine(context: RuleContext, call: ts.Node): boolean {
  const text = context.text;
  const start = call.getStart(context.sourceFile);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const lineEnd = text.indexOf('\n', start);
  return CONSOLE_LINT_OFF.test(text.slice(previousStart, lineEnd < 0 ? text.length : lineEnd));
}

// ---------------------------------------------------------------------------------------------------------------
// console calls

function consoleMethod(callee: ts.Expression): string | undefined {
  const expression = skipOuter(callee);
  return ts.isPropertyAccessExpression(expression) ? consoleMemberName(expression) : undefined;
}

/** `log` for `console.log`; undefined for anything not a console logging method. */
function consoleMemberName(expression: ts.PropertyAccessExpression): string | undefined {
  const name = expression.name.text;
  if (!CONSOLE_METHODS.has(name)) return undefined;
  const target = skipOuter(expression.expression);
  return ts.isIdentifier(target) && target.text === 'console' ? name : undefined;
}

function checkConsoleCall(context: RuleContext, call: ts.CallExpression, method: string): void {
  if (isStructuredLine(call) || allowsConsoleOnLine(context, call)) return;
  const handler = errorHandlerAround(call);
  const parts = loggedParts(call.arguments);
  if (!handler && parts.error === undefined) return;
  const fix = consoleCallFix(context, call, method, handler, parts);
  context.report({
    node: call.expression,
    messageId: handler ? 'inErrorHandler' : 'errorArgument',
    data: { method: `console.${method}` },
    fixes: fix ? [fix] : [],
  });
}

/** `console.error(JSON.stringify({ level, msg, err }))`: already one structured line. */
function isStructuredLine(call: ts.CallExpression): boolean {
  if (call.arguments.length !== 1) return false;
  const argument = skipOuter(call.arguments[0]);
  return ts.isCallExpression(argument) && ts.isPropertyAccessExpression(argument.expression)
    && ts.isIdentifier(argument.expression.expression) && argument.expression.expression.text === 'JSON'
    && argument.expression.name.text === 'stringify';
}

/** The error path a node sits in. */
type ErrorHandler =
  | { kind: 'catch'; clause: ts.CatchClause }
  | { kind: 'callback'; fn: FunctionLike; role: CallbackRole };

type CallbackRole = 'rejection' | 'errorEvent' | 'nodeStyle';

/**
 * A catch block, a rejection handler (`.catch(err => …)`, `.then(ok, err => …)`), an `'error'` listener, or the
 * error branch (`if (err) …`) of a Node-style callback — up to the nearest function boundary.
 */
function errorHandlerAround(node: ts.Node): ErrorHandler | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isBlock(current) && ts.isCatchClause(current.parent)) return { kind: 'catch', clause: current.parent };
    if (isFunctionLike(current)) {
      const role = callbackRole(current);
      if (role === 'rejection' || role === 'errorEvent') return { kind: 'callback', fn: current, role };
      if (role === 'nodeStyle' && insideErrorBranch(node, current)) return { kind: 'callback', fn: current, role };
      return undefined;
    }
  }
  return undefined;
}

/** What kind of callback a function is, from the call it is passed to. */
function callbackRole(fn: FunctionLike): CallbackRole | undefined {
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const index = call.arguments.indexOf(fn as ts.Expression);
  const callee = skipOuter(call.expression);
  const member = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (member === 'catch' && call.arguments.length === 1) return 'rejection';
  if (member === 'then' && index === 1) return 'rejection';
  if (member !== undefined && LISTENER_METHODS.has(member) && index === 1) {
    const event = call.arguments[0];
    return ts.isStringLiteralLike(event) && ERROR_EVENTS.has(event.text) ? 'errorEvent' : undefined;
  }
  if (member !== undefined && ITERATION_METHODS.has(member)) return undefined;
  const first = fn.parameters[0];
  const isLast = index === call.arguments.length - 1;
  return isLast && first && ts.isIdentifier(first.name) && ERROR_PARAMETER.test(first.name.text) ? 'nodeStyle' : undefined;
}

/** Inside `if (err) { … }` (or the `else` of `if (!err)`) of the callback whose error parameter is `err`. */
function insideErrorBranch(node: ts.Node, fn: FunctionLike): boolean {
  const parameter = fn.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name)) return false;
  const name = parameter.name.text;
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (!ts.isIfStatement(current) || child === current.expression) continue;
    const sense = errorConditionSense(current.expression, name);
    if (sense === 'truthy' && child === current.thenStatement) return true;
    if (sense === 'negated' && child === current.elseStatement) return true;
  }
  return false;
}

function errorConditionSense(condition: ts.Expression, name: string): 'truthy' | 'negated' | undefined {
  const expression = skipOuter(condition);
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
    return isNamed(expression.operand, name) ? 'negated' : undefined;
  }
  if (ts.isBinaryExpression(expression) && (isNamed(expression.left, name) || isNamed(expression.right, name))) {
    const other = isNamed(expression.left, name) ? expression.right : expression.left;
    const isNullish = other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined');
    const operator = expression.operatorToken.kind;
    if (isNullish && (operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsEqualsToken)) return 'negated';
    return 'truthy';
  }
  let reads = false;
  walk(expression, (child) => {
    if (ts.isIdentifier(child) && child.text === name && isValueReference(child)) reads = true;
    return reads ? false : undefined;
  });
  return reads ? 'truthy' : undefined;
}

function isNamed(expression: ts.Expression, name: string): boolean {
  const inner = skipOuter(expression);
  return ts.isIdentifier(inner) && inner.text === name;
}

// ---------------------------------------------------------------------------------------------------------------
// what a console call logs: the error, a message, context values

interface LoggedParts {
  /** Static text of the arguments, in order: the message. */
  texts: string[];
  /** The error expression: the caught/callback error, an identifier bound to an error, or `new Error(...)`. */
  error?: string;
  /** Context fields, by key: `orderId` → `orderId`, `userId` → `user.id`. */
  context: Map<string, string>;
  /** False when an argument could not be carried into the structured call without losing it. */
  fixable: boolean;
}

function loggedParts(args: readonly ts.Expression[]): LoggedParts {
  const parts: LoggedParts = { texts: [], context: new Map(), fixable: true };
  for (const argument of args) splitArgument(argument, parts);
  return parts;
}

function splitArgument(argument: ts.Expression, parts: LoggedParts): void {
  const value = skipOuter(argument);
  if (ts.isStringLiteralLike(value)) {
    parts.texts.push(value.text);
  } else if (ts.isTemplateExpression(value)) {
    parts.texts.push(value.head.text);
    for (const span of value.templateSpans) {
      splitValue(span.expression, parts);
      parts.texts.push(span.literal.text);
    }
  } else if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    splitArgument(value.left, parts);
    splitArgument(value.right, parts);
  } else {
    splitValue(value, parts);
  }
}

function splitValue(expression: ts.Expression, parts: LoggedParts): void {
  const value = skipOuter(expression);
  const error = errorReferenceIn(value);
  if (error !== undefined) {
    // Details read off the error (`err.message`, `err.stack`, `String(err)`) are carried by the serialized error.
    if (parts.error !== undefined && parts.error !== error) parts.fixable = false;
    parts.error = error;
    return;
  }
  if (ts.isNumericLiteral(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword) {
    parts.texts.push(value.getText());
    return;
  }
  const path = plainPath(value);
  if (path) {
    addContext(parts, keyForPath(path), value.getText());
    return;
  }
  if (ts.isObjectLiteralExpression(value)) {
    for (const property of value.properties) {
      if (ts.isShorthandPropertyAssignment(property)) addContext(parts, property.name.text, property.name.text);
      else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) addContext(parts, property.name.text, property.initializer.getText());
      else parts.fixable = false;
    }
    return;
  }
  parts.fixable = false;
}

function addContext(parts: LoggedParts, key: string, value: string): void {
  const existing = parts.context.get(key);
  if ((existing !== undefined && existing !== value) || key === 'err') parts.fixable = false;
  else parts.context.set(key, value);
}

/** `orderId` → ['orderId']; `req.params.orderId` → ['req', 'params', 'orderId']; `this.region` → ['region']. */
function plainPath(expression: ts.Expression): string[] | undefined {
  if (ts.isIdentifier(expression)) return expression.text === 'undefined' ? undefined : [expression.text];
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const target = skipOuter(expression.expression);
  if (target.kind === ts.SyntaxKind.ThisKeyword) return [expression.name.text];
  const inner = plainPath(target);
  return inner ? [...inner, expression.name.text] : undefined;
}

function keyForPath(path: readonly string[]): string {
  const last = path[path.length - 1];
  if (path.length < 2 || !GENERIC_KEYS.has(last)) return last;
  return `${path[path.length - 2]}${last.charAt(0).toUpperCase()}${last.slice(1)}`;
}

/** The error an expression logs: an identifier bound to an error (as written), or a `new XError(...)` in it. */
function errorReferenceIn(expression: ts.Expression): string | undefined {
  let found: string | undefined;
  walk(expression, (node) => {
    if (found !== undefined) return false;
    if (ts.isIdentifier(node) && isValueReference(node) && isBoundToError(node)) found = node.text;
    else if (ts.isNewExpression(node) && isErrorConstruction(node)) found = node.getText();
    return undefined;
  });
  return found;
}

function isErrorConstruction(node: ts.Expression): boolean {
  const value = skipOuter(node);
  if (!ts.isNewExpression(value)) return false;
  const callee = skipOuter(value.expression);
  return ts.isIdentifier(callee) && /Error$/.test(callee.text);
}

/**
 * Whether a name refers to an error: a catch variable (or a name destructured from one), the error parameter of
 * an error callback, or a variable initialized with `new XError(...)`. Resolved outward; the nearest binding wins.
 */
function isBoundToError(identifier: ts.Identifier): boolean {
  const name = identifier.text;
  for (let current: ts.Node | undefined = identifier.parent; current; current = current.parent) {
    if (ts.isCatchClause(current) && current.variableDeclaration && boundNames(current.variableDeclaration.name).includes(name)) return true;
    if (isFunctionLike(current)) {
      const index = current.parameters.findIndex((parameter) => boundNames(parameter.name).includes(name));
      if (index >= 0) return index === 0 && ts.isIdentifier(current.parameters[0].name) && callbackRole(current) !== undefined;
    }
    const statements = ts.isBlock(current) || ts.isSourceFile(current) ? current.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return false;
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) {
          return declaration.initializer !== undefined && isErrorConstruction(declaration.initializer);
        }
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// the fix

function levelOf(method: string): ErrorLogLevel {
  return method === 'warn' ? 'warn' : 'error';
}

function consoleCallFix(context: RuleContext, call: ts.CallExpression, method: string, handler: ErrorHandler | undefined, parts: LoggedParts): Fix | undefined {
  if (!parts.fixable) return undefined;
  const edits: TextEdit[] = [];
  let error = parts.error;
  if (error === undefined) {
    if (!handler) return undefined;
    const binding = handlerErrorBinding(context, handler);
    if (!binding) return undefined;
    error = binding.name;
    if (binding.edit) edits.push(binding.edit);
  }
  const logger = classLogger(call) ?? fileLogger(context, call);
  const contextFields = [...parts.context].map(([key, value]) => (key === value ? key : `${key}: ${value}`)).join(', ');
  if (logger.style === 'nest' && contextFields !== '') return undefined;
  if (logger.expression === error || parts.context.has(logger.expression)) return undefined;
  const message = messageFrom(parts.texts) ?? fallbackMessage(handler, call);
  const replacement = errorLogCall(context, logger, error, message, contextFields, levelOf(method));
  edits.push({ start: call.getStart(context.sourceFile), end: call.getEnd(), newText: replacement }, ...logger.setupEdits);
  return { title: `Log with ${logger.expression} (structured)`, edits };
}

/** The handler's error variable, adding `catch (err)` or an `(err)` parameter when it has none. */
function handlerErrorBinding(context: RuleContext, handler: ErrorHandler): { name: string; edit?: TextEdit } | undefined {
  if (handler.kind === 'catch') {
    const declaration = handler.clause.variableDeclaration;
    if (declaration) return ts.isIdentifier(declaration.name) ? { name: declaration.name.text } : undefined;
    const name = freshErrorName(enclosingFunction(handler.clause) ?? context.sourceFile);
    const at = handler.clause.getStart(context.sourceFile) + 'catch'.length;
    return { name, edit: { start: at, end: handler.clause.block.getStart(context.sourceFile), newText: ` (${name}) ` } };
  }
  const fn = handler.fn;
  const first = fn.parameters[0];
  if (first) return ts.isIdentifier(first.name) ? { name: first.name.text } : undefined;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const name = freshErrorName(enclosingFunction(fn) ?? context.sourceFile);
  const from = fn.typeParameters ? fn.typeParameters.end : (fn.name ?? fn).getStart(context.sourceFile);
  const openParen = context.text.indexOf('(', from);
  if (openParen < 0 || openParen > fn.body.getStart(context.sourceFile)) return undefined;
  return { name, edit: { start: openParen + 1, end: openParen + 1, newText: name } };
}

/** `'Payment failed:'` → `Payment failed`; `Failed to charge ${orderId}:` → `Failed to charge`. */
function messageFrom(texts: readonly string[]): string | undefined {
  const message = texts.join(' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([:,.;!?])/g, '$1')
    .replace(/([:,.;!?])(?:\s*[:,.;])+/g, '$1')
    .trim()
    .replace(/[\s:,;\-=>|]+$/, '')
    .replace(/^[\s:,;\-=>|]+/, '');
  return message === '' ? undefined : message;
}

function fallbackMessage(handler: ErrorHandler | undefined, call: ts.CallExpression): string {
  let operation: string | undefined;
  if (handler?.kind === 'catch') operation = firstAwaitedOperation(handler.clause.parent.tryBlock);
  if (handler?.kind === 'callback') {
    const owner = handler.fn.parent as ts.CallExpression;
    const callee = skipOuter(owner.expression);
    if (handler.role === 'rejection' && ts.isPropertyAccessExpression(callee)) operation = operationName(callee.expression);
    else if (handler.role === 'nodeStyle') operation = operationName(owner);
    else if (handler.role === 'errorEvent' && ts.isPropertyAccessExpression(callee)) {
      const emitter = callee.expression.getText().replace(/^this\./, '');
      if (/^[\w$.]+$/.test(emitter)) return `${emitter} error`;
    }
  }
  operation = operation ?? functionName(enclosingFunction(call));
  return operation ? `${operation} failed` : 'Unexpected error';
}

function firstAwaitedOperation(block: ts.Block): string | undefined {
  let operation: string | undefined;
  walk(block, (node) => {
    if (operation !== undefined) return false;
    if (ts.isAwaitExpression(node)) operation = operationName(node.expression);
    return undefined;
  });
  return operation;
}

// ---------------------------------------------------------------------------------------------------------------
// .catch(console.error), .on('error', console.error)

function checkConsoleAsHandler(context: RuleContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, isExempt: () => boolean): void {
  const member = callee.name.text;
  const handler = member === 'catch' && call.arguments.length === 1 ? call.arguments[0]
    : member === 'then' && call.arguments.length === 2 ? call.arguments[1]
      : LISTENER_METHODS.has(member) && call.arguments.length === 2 && ts.isStringLiteralLike(call.arguments[0]) && ERROR_EVENTS.has(call.arguments[0].text)
        ? call.arguments[1]
        : undefined;
  if (!handler) return;
  const method = consoleMethod(handler);
  if (!method || isExempt() || allowsConsoleOnLine(context, handler)) return;
  const isRejection = member === 'catch' || member === 'then';
  const emitter = callee.expression.getText().replace(/^this\./, '');
  const operation = isRejection ? operationName(callee.expression) : undefined;
  const message = operation ? `${operation} failed` : !isRejection && /^[\w$.]+$/.test(emitter) ? `${emitter} error` : 'Unexpected error';
  const logger = classLogger(call) ?? fileLogger(context, call);
  const name = freshErrorName(enclosingFunction(call) ?? context.sourceFile, [logger.expression]);
  const replacement = `(${name}) => ${errorLogCall(context, logger, name, message, '', levelOf(method))}`;
  context.report({
    node: handler,
    messageId: 'consoleAsHandler',
    data: { method: `console.${method}` },
    fixes: [{
      title: `Log with ${logger.expression} (structured)`,
      edits: [{ start: handler.getStart(context.sourceFile), end: handler.getEnd(), newText: replacement }, ...logger.setupEdits],
    }],
  });
}
