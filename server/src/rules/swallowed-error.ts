import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import { skipOuter } from '../engine/bindings';
import { enclosingFunction, lookupName, walk } from '../engine/ast';
import { PROPERTY_ACCESS } from '../engine/kinds';
import { memberChain } from '../engine/external';
import { indentUnit, indentationAt, newlineOf, preferredQuote } from '../engine/fixkit';
import { errorLogCall, fileLogger } from '../engine/loggers';
import { isBrowserCode } from '../engine/environment';
import { isCommandLineTool, isTestSupportFile } from '../engine/fileRole';
import {
  boundNames, calleeParts, classLogger, freshErrorName, functionName, isFailureCounterUpdate, isLogCall, isMetricCall, isValueReference,
  operationName, usesSemicolons,
} from '../engine/errorflow';

type MessageId = 'emptyCatch' | 'droppedInCatch' | 'emptyPromiseCatch' | 'droppedInPromiseCatch';

/**
 * Calls that stay in the process and whose failure the fallback fully answers: a malformed string is not an
 * incident. `try { return JSON.parse(s) } catch { return undefined }` is parsing, not swallowing.
 */
const LOCAL_PARSE_CALLS: ReadonlySet<string> = new Set([
  'JSON.parse', 'JSON.stringify', 'decodeURIComponent', 'decodeURI', 'encodeURIComponent', 'encodeURI', 'BigInt',
  'atob', 'btoa', 'structuredClone', 'Buffer.from', 'parseInt', 'parseFloat', 'Number', 'String',
  'require', 'require.resolve',
]);
const LOCAL_PARSE_CONSTRUCTORS: ReadonlySet<string> = new Set(['URL', 'URLSearchParams', 'RegExp']);
const NODE_IO_MODULE = /^(node:)?(fs|fs\/promises|child_process|net|dns|dns\/promises|http|https|http2|dgram|tls|worker_threads|zlib)$/;
/** Body decoders of fetch's Request/Response: failing means the body was not what was expected. */
const BODY_READERS: ReadonlySet<string> = new Set(['json', 'text', 'formData']);
/** Schema libraries whose `parse`/`validate` throws on bad input: the catch answers invalid input, e.g. with a 400. */
const VALIDATION_MODULES: ReadonlySet<string> = new Set(['zod', 'yup', 'joi', 'valibot', 'superstruct']);

/** Calls that hand a failure on to the caller: `reject(...)`, `next(...)`, `callback(...)`, `emit('error', ...)`. */
const PROPAGATING_CALLEES = /^(reject|next|cb|callback|done|fail|onError)$/;

export const swallowedError: Rule = {
  meta: {
    id: 'swallowed-error',
    category: 'error handling',
    defaultSeverity: 'warning',
    description: 'A catch block or `.catch` callback that drops the error without logging, rethrowing, counting or using it.',
    hasFix: true,
    scope: 'statement',
    messages: {
      emptyCatch: 'Empty catch block: the error is dropped and nothing records that this failed. When it happens in production there is no log line, no metric and no trace to start from. Log it (and keep the fallback), rethrow it, or hand it on.',
      droppedInCatch: 'This catch block {{action}} without logging, rethrowing, counting or using the error: the failure leaves no trace, so the first sign of it in production is a wrong result with nothing to explain it.',
      emptyPromiseCatch: 'The rejection handler `{{handler}}` drops the error: if `{{source}}` fails, nothing records it. Log the error (and keep the fallback) or let it reach a handler that does.',
      droppedInPromiseCatch: 'This rejection handler answers a failure of `{{source}}` without logging, counting or using the error: the failure leaves no trace in production.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    // Test helpers swallow on purpose (`try { await dropTables() } catch {}` in a setup hook); a command-line
    // tool's user is at the terminal, not paged at night.
    if (isTestSupportFile(context) || isCommandLineTool(context)) return { kinds: {} };
    return {
      kinds: {
        [ts.SyntaxKind.CatchClause]: (node: ts.Node) => checkCatchClause(context, node as ts.CatchClause),
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => checkPromiseCatch(context, node as ts.CallExpression),
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// try/catch

function checkCatchClause(context: RuleContext, clause: ts.CatchClause): void {
  const names = clause.variableDeclaration ? boundNames(clause.variableDeclaration.name) : [];
  if (handlesError(clause.block, names)) return;
  const tryStatement = clause.parent;
  if (guardsOnlyLocalParsing(context, tryStatement.tryBlock) || runsNoCall(tryStatement.tryBlock)) return;
  if (isRetryAttempt(tryStatement) || isBooleanProbe(tryStatement)) return;
  const empty = clause.block.statements.length === 0;
  const fix = catchClauseFix(context, clause);
  // `+ 1` takes the `)` in; a half-typed `catch (er` at the end of the file has none.
  const start = clause.getStart(context.sourceFile);
  const end = Math.min(clause.variableDeclaration ? clause.variableDeclaration.getEnd() + 1 : start + 'catch'.length, clause.getEnd());
  context.report({
    start,
    end,
    messageId: empty ? 'emptyCatch' : 'droppedInCatch',
    data: { action: describeExit(clause.block) },
    fixes: fix ? [fix] : [],
  });
}

/**
 * The error is handled when the handler uses it at all, rethrows or throws anything, logs, records a metric
 * or hands a failure on (`reject(...)`, `next(...)`, `emit('error', ...)`) — nested callbacks included.
 */
function handlesError(body: ts.Node, names: readonly string[]): boolean {
  let handled = false;
  walk(body, (node) => {
    if (handled) return false;
    handled = handlesErrorAt(node, names);
    return undefined;
  }, { intoFunctions: true });
  return handled;
}

/** One node of `handlesError`'s walk: a read of the error (as `readsAny` judges it), a throw, a log, a metric, a hand-on. */
function handlesErrorAt(node: ts.Node, names: readonly string[]): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.Identifier:
      return names.includes((node as ts.Identifier).text) && isValueReference(node as ts.Identifier);
    case ts.SyntaxKind.ShorthandPropertyAssignment:
      return names.includes((node as ts.ShorthandPropertyAssignment).name.text);
    case ts.SyntaxKind.ThrowStatement:
      return true;
    case ts.SyntaxKind.CallExpression: {
      const call = node as ts.CallExpression;
      return isLogCall(call) || isMetricCall(call) || propagatesFailure(call);
    }
    default:
      return isFailureCounterUpdate(node);
  }
}

function propagatesFailure(call: ts.CallExpression): boolean {
  const parts = calleeParts(call);
  if (!parts || call.arguments.length === 0) return false;
  if (parts.path.length === 0) return PROPAGATING_CALLEES.test(parts.root);
  if (parts.method === 'reject' && parts.root === 'Promise') return true;
  const first = call.arguments[0];
  return parts.method === 'emit' && ts.isStringLiteralLike(first) && first.text === 'error';
}

/** What the block does instead of handling the error, for the message. */
function describeExit(block: ts.Block): string {
  const last = block.statements[block.statements.length - 1];
  if (last && ts.isReturnStatement(last)) return last.expression ? 'returns a fallback' : 'returns';
  if (last && ts.isContinueStatement(last)) return 'continues the loop';
  if (last && ts.isBreakStatement(last)) return 'breaks out';
  return 'carries on';
}

/**
 * The try block parses or converts a value in memory (`JSON.parse`, `new URL`, `decodeURIComponent`, a zod
 * schema's `parse`, reading a request body with `await req.json()`) or probes an optional module with `require`,
 * and does nothing that leaves the process or waits on anything else: a malformed input is not an incident and
 * the fallback is the handling. Helpers around the parse (`url.searchParams.delete(...)`, `Object.keys(parsed)`,
 * `isValidUrl(s)`) stay allowed because they run synchronously on the same value.
 */
function guardsOnlyLocalParsing(context: RuleContext, tryBlock: ts.Block): boolean {
  let parses = 0;
  let other = false;
  walk(tryBlock, (node) => {
    if (other) return false;
    if (ts.isAwaitExpression(node)) {
      if (readsBody(node.expression)) parses++;
      else other = true;
      return false;
    }
    if (ts.isYieldExpression(node) || ts.isTaggedTemplateExpression(node)) other = true;
    else if (ts.isCallExpression(node)) {
      if (context.external.classify(node) || isNodeIoCall(context, node)) other = true;
      else if (isLocalParseCall(context, node)) parses++;
    } else if (ts.isNewExpression(node)) {
      const callee = skipOuter(node.expression);
      if (ts.isIdentifier(callee) && LOCAL_PARSE_CONSTRUCTORS.has(callee.text)) parses++;
    }
    return undefined;
  }, { intoFunctions: true });
  return !other && parses > 0;
}

/** `res.json().catch(() => ({}))`, `res.json().then(pick).catch(...)`: a body that is not JSON is an answer too. */
function decodesBody(receiver: ts.Expression): boolean {
  let current = skipOuter(receiver);
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === 'then') {
    current = skipOuter(current.expression.expression);
  }
  return readsBody(current);
}

/** `readFileSync(path)`, `fs.statSync(...)`, `execSync(...)`: I/O whose failure is not about the input's shape. */
function isNodeIoCall(context: RuleContext, call: ts.CallExpression): boolean {
  const chain = memberChain(call.expression);
  const binding = chain ? context.bindings.get(chain.root) : undefined;
  return binding !== undefined && NODE_IO_MODULE.test(binding.module);
}

/** `await req.json()`, `await response.clone().text()`: decoding a body that is already in hand. */
function readsBody(expression: ts.Expression): boolean {
  const call = skipOuter(expression);
  if (!ts.isCallExpression(call) || call.arguments.length > 0 || !ts.isPropertyAccessExpression(call.expression)) return false;
  if (!BODY_READERS.has(call.expression.name.text)) return false;
  let receiver = skipOuter(call.expression.expression);
  if (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === 'clone') {
    receiver = skipOuter(receiver.expression.expression);
  }
  return ts.isIdentifier(receiver) || (ts.isPropertyAccessExpression(receiver) && !ts.isCallExpression(skipOuter(receiver.expression)));
}

/**
 * Nothing in the try block can fail from outside: no call, no `new`, no await, only reads and assignments
 * (`try { return globalThis[name] } catch {}` for runtimes that throw on a missing global).
 */
function runsNoCall(tryBlock: ts.Block): boolean {
  let calls = false;
  walk(tryBlock, (node) => {
    if (calls) return false;
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node) || ts.isYieldExpression(node)
      || ts.isTaggedTemplateExpression(node)) calls = true;
    return undefined;
  }, { intoFunctions: true });
  return !calls && tryBlock.statements.length > 0;
}

/**
 * A yes/no probe: `try { await fs.access(path); return true } catch { return false }`. The try block is one
 * operation followed by `return true`, and the catch answers `false`: the failure is the answer, by contract.
 */
function isBooleanProbe(tryStatement: ts.TryStatement): boolean {
  const statements = tryStatement.tryBlock.statements;
  if (statements.length !== 2 || !ts.isExpressionStatement(statements[0])) return false;
  if (!returnsLiteral(statements[1], ts.SyntaxKind.TrueKeyword)) return false;
  const catchBlock = tryStatement.catchClause?.block;
  return catchBlock !== undefined && catchBlock.statements.some((statement) => returnsLiteral(statement, ts.SyntaxKind.FalseKeyword));
}

function returnsLiteral(statement: ts.Statement, kind: ts.SyntaxKind): boolean {
  return ts.isReturnStatement(statement) && statement.expression !== undefined && statement.expression.kind === kind;
}

function isLocalParseCall(context: RuleContext, call: ts.CallExpression): boolean {
  const chain = memberChain(call.expression);
  if (!chain) return false;
  const name = [chain.root, ...chain.path].join('.');
  if (LOCAL_PARSE_CALLS.has(name)) return true;
  const binding = context.bindings.get(chain.root);
  const method = chain.path[chain.path.length - 1];
  return binding !== undefined && VALIDATION_MODULES.has(binding.module)
    && method !== undefined && /^(parse|parseAsync|validate|validateSync|assert|create)$/.test(method)
    && !/Async$/.test(method);
}

/**
 * One attempt of a bounded retry: the try sits directly in a counting loop (`for (let i...)`, `while`), success
 * leaves the loop, the catch lets it go round again, and the code after the loop throws when attempts run out.
 * The failure is not dropped, it is retried and then raised (retry-without-backoff judges the loop itself).
 */
function isRetryAttempt(tryStatement: ts.TryStatement): boolean {
  const loopBody = tryStatement.parent;
  if (!ts.isBlock(loopBody)) return false;
  const loop = loopBody.parent;
  if (!(ts.isForStatement(loop) || ts.isWhileStatement(loop) || ts.isDoStatement(loop))) return false;
  if (!exitsOnSuccess(tryStatement.tryBlock)) return false;
  if (tryStatement.catchClause && containsExit(tryStatement.catchClause.block)) return false;
  const container = loop.parent;
  if (!ts.isBlock(container) && !ts.isSourceFile(container)) return false;
  const after = container.statements.slice(container.statements.indexOf(loop as ts.Statement) + 1);
  return after.length > 0 && ts.isThrowStatement(after[0]);
}

function exitsOnSuccess(block: ts.Block): boolean {
  return containsExit(block);
}

function containsExit(block: ts.Block): boolean {
  let found = false;
  walk(block, (node) => {
    if (found) return false;
    if (ts.isReturnStatement(node) || ts.isBreakStatement(node)) found = true;
    return undefined;
  });
  return found;
}

function catchClauseFix(context: RuleContext, clause: ts.CatchClause): Fix | undefined {
  const declaration = clause.variableDeclaration;
  if (declaration && !ts.isIdentifier(declaration.name)) return undefined;
  const edits: TextEdit[] = [];
  let errorName: string;
  if (declaration && ts.isIdentifier(declaration.name)) {
    errorName = declaration.name.text;
  } else {
    const scope = enclosingFunction(clause) ?? context.sourceFile;
    errorName = freshErrorName(scope);
    const at = clause.getStart(context.sourceFile) + 'catch'.length;
    edits.push({ start: at, end: clause.block.getStart(context.sourceFile), newText: ` (${errorName}) ` });
  }
  const log = logStatement(context, clause, errorName, messageForTry(clause.parent));
  if (!log) return undefined;
  edits.push(insertFirstInBlock(context, clause.block, log, true), ...log.setupEdits);
  return { title: `Log the caught error (${log.expression})`, edits };
}

/** `'<call> failed'` from the first awaited call in the try block, else the enclosing function's name. */
function messageForTry(tryStatement: ts.TryStatement): string {
  let awaited: ts.CallExpression | undefined;
  let anyCall: ts.CallExpression | undefined;
  walk(tryStatement.tryBlock, (node) => {
    if (awaited) return false;
    if (ts.isAwaitExpression(node)) {
      const inner = skipOuter(node.expression);
      if (ts.isCallExpression(inner)) awaited = inner;
    }
    if (!anyCall && ts.isCallExpression(node)) anyCall = node;
    return undefined;
  });
  const operation = (awaited && operationName(awaited)) ?? functionName(enclosingFunction(tryStatement)) ?? (anyCall && operationName(anyCall));
  return operation ? `${operation} failed` : 'Operation failed';
}

// ---------------------------------------------------------------------------------------------------------------
// promise.catch(...) and promise.then(onFulfilled, onRejected)

function checkPromiseCatch(context: RuleContext, call: ts.CallExpression): void {
  // Asked of every call: the argument count and the member name rule out nearly all of them.
  const count = call.arguments.length;
  if (count !== 1 && count !== 2) return;
  const written = skipOuter(call.expression);
  if (written.kind !== PROPERTY_ACCESS) return;
  const callee = written as ts.PropertyAccessExpression;
  if (lookupName(callee.name) !== (count === 1 ? 'catch' : 'then')) return;
  const value = skipOuter(call.arguments[count - 1]);
  const isNoop = isNoopReference(value);
  if (!isNoop && !ts.isArrowFunction(value) && !ts.isFunctionExpression(value)) return;
  if (decodesBody(callee.expression)) return;
  if (isNoop) {
    if (awaitedElsewhere(callee.expression)) return;
    const source = promiseSource(callee);
    report(context, callee.name, 'emptyPromiseCatch', value.getText(context.sourceFile), source, noopFix(context, value, source));
    return;
  }
  const fn = value as ts.ArrowFunction | ts.FunctionExpression;
  const parameter = fn.parameters[0];
  const names = parameter ? boundNames(parameter.name) : [];
  if (handlesError(fn.body, names)) return;
  if (awaitedElsewhere(callee.expression)) return;
  const empty = ts.isBlock(fn.body) && fn.body.statements.length === 0;
  const handlerText = empty ? fn.getText(context.sourceFile) : '...';
  const source = promiseSource(callee);
  report(context, callee.name, empty ? 'emptyPromiseCatch' : 'droppedInPromiseCatch', handlerText, source, callbackFix(context, fn, source));
}

/** What the rejected promise came from, for the message and the log line: named once a handler is found to drop it. */
function promiseSource(callee: ts.PropertyAccessExpression): string {
  return operationName(skipOuter(callee.expression)) ?? 'the promise';
}

function report(context: RuleContext, node: ts.Node, messageId: MessageId, handler: string, source: string, fix: Fix | undefined): void {
  context.report({ node, messageId, data: { handler, source }, fixes: fix ? [fix] : [] });
}

function isNoopReference(value: ts.Expression): boolean {
  if (ts.isIdentifier(value)) return value.text === 'noop';
  return ts.isPropertyAccessExpression(value) && value.name.text === 'noop';
}

/**
 * `const p = load(); p.catch(() => {}); ...; await p` silences the unhandled-rejection warning for a promise
 * whose failure is handled where it is awaited. When the promise variable is used anywhere else, stay silent.
 */
function awaitedElsewhere(receiver: ts.Expression): boolean {
  const target = skipOuter(receiver);
  if (!ts.isIdentifier(target)) return false;
  const scope = enclosingFunction(target)?.body ?? target.getSourceFile();
  let uses = 0;
  walk(scope, (node) => {
    if (ts.isIdentifier(node) && node.text === target.text && node !== target) {
      const parent = node.parent;
      const isDeclaration = (ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === node;
      const isPropertyName = ts.isPropertyAccessExpression(parent) && parent.name === node;
      if (!isDeclaration && !isPropertyName) uses++;
    }
    return undefined;
  }, { intoFunctions: true });
  return uses > 0;
}

function noopFix(context: RuleContext, value: ts.Expression, source: string): Fix | undefined {
  const errorName = freshErrorName(enclosingFunction(value) ?? context.sourceFile);
  const log = logStatement(context, value, errorName, `${source} failed`);
  if (!log) return undefined;
  return {
    title: `Log the rejection (${log.expression})`,
    edits: [{ start: value.getStart(context.sourceFile), end: value.getEnd(), newText: `(${errorName}) => { ${log.call}; }` }, ...log.setupEdits],
  };
}

function callbackFix(context: RuleContext, fn: ts.ArrowFunction | ts.FunctionExpression, source: string): Fix | undefined {
  const parameter = fn.parameters[0];
  if (parameter && !ts.isIdentifier(parameter.name)) return undefined;
  const edits: TextEdit[] = [];
  let errorName: string;
  if (parameter && ts.isIdentifier(parameter.name)) {
    errorName = parameter.name.text;
  } else {
    errorName = freshErrorName(fn.body);
    edits.push(addParameter(context, fn, errorName));
  }
  const log = logStatement(context, fn, errorName, `${source} failed`);
  if (!log) return undefined;
  if (ts.isBlock(fn.body)) {
    edits.push(insertFirstInBlock(context, fn.body, log, false));
  } else {
    const body = fn.body;
    edits.push({ start: body.getStart(context.sourceFile), end: body.getEnd(), newText: `{ ${log.call}; return ${body.getText(context.sourceFile)}; }` });
  }
  edits.push(...log.setupEdits);
  return { title: `Log the rejection (${log.expression})`, edits };
}

/** `() =>` becomes `(err) =>`; `function () {` becomes `function (err) {`. */
function addParameter(context: RuleContext, fn: ts.ArrowFunction | ts.FunctionExpression, name: string): TextEdit {
  const text = context.text;
  const from = fn.typeParameters ? fn.typeParameters.end : (fn.name ?? fn).getStart(context.sourceFile);
  const openParen = text.indexOf('(', from);
  return { start: openParen + 1, end: openParen + 1, newText: name };
}

// ---------------------------------------------------------------------------------------------------------------
// shared fix pieces

interface LogStatement {
  /** The log call, without a statement terminator. */
  call: string;
  /** `;`, or nothing in files written without semicolons. */
  terminator: string;
  expression: string;
  setupEdits: TextEdit[];
}

/** The log line in the file's logger (console in browser-only files without one), with its setup edits. */
function logStatement(context: RuleContext, at: ts.Node, errorName: string, message: string): LogStatement | undefined {
  const terminator = usesSemicolons(context) ? ';' : '';
  const logger = classLogger(at) ?? fileLogger(context, at);
  if (logger.setupEdits.length > 0 && isBrowserCode(context)) {
    const quote = preferredQuote(context.text);
    const quoted = `${quote}${message.split(quote).join(`\\${quote}`)}${quote}`;
    return { call: `console.error(${quoted}, ${errorName})`, terminator, expression: 'console.error', setupEdits: [] };
  }
  if (logger.expression === errorName) return undefined;
  return { call: errorLogCall(context, logger, errorName, message), terminator, expression: logger.expression, setupEdits: logger.setupEdits };
}

/**
 * Puts `statement` first in a block, before any return/continue, so the block's behaviour is unchanged.
 * An empty one-line catch block is opened onto lines; other one-line blocks stay on one line.
 */
function insertFirstInBlock(context: RuleContext, block: ts.Block, log: LogStatement, expandEmpty: boolean): TextEdit {
  const text = context.text;
  const open = block.getStart(context.sourceFile);
  const close = block.getEnd() - 1;
  const inner = text.slice(open + 1, close);
  const nl = newlineOf(text);
  if (!inner.includes('\n')) {
    if (inner.trim() === '') {
      if (expandEmpty) {
        const indent = indentationAt(text, open);
        return { start: open, end: block.getEnd(), newText: `{${nl}${indent}${indentUnit(text)}${log.call}${log.terminator}${nl}${indent}}` };
      }
      return { start: open, end: block.getEnd(), newText: `{ ${log.call}; }` };
    }
    // On one line the next statement follows directly, so the call always ends with a semicolon.
    return { start: open + 1, end: open + 1 + (inner.length - inner.trimStart().length), newText: ` ${log.call}; ` };
  }
  const first = block.statements[0];
  const indent = first ? indentationAt(text, first.getStart(context.sourceFile)) : `${indentationAt(text, close)}${indentUnit(text)}`;
  const terminator = log.terminator || (continuesExpression(block) ? ';' : '');
  return { start: open + 1, end: open + 1, newText: `${nl}${indent}${log.call}${terminator}` };
}

/** Without semicolons, a next line starting with `(`, `[` or a template would continue the inserted call. */
function continuesExpression(block: ts.Block): boolean {
  const first = block.statements[0];
  return first !== undefined && /^[([`+\-/]/.test(first.getText());
}
