import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import type { FunctionLike } from '../engine/external';
import { isFunctionLike } from '../engine/external';
import { skipOuter } from '../engine/bindings';
import { calleeText, enclosingFunction, findConstDeclaration, walk } from '../engine/ast';
import { ensureImport, indentUnit, indentationAt, newlineOf } from '../engine/fixkit';
import { isBrowserCode } from '../engine/environment';
import { perText } from '../engine/perFile';

type MessageId = 'noCap' | 'noDelay' | 'fixedDelay' | 'noJitter';

/** What the waits between attempts look like, as far as the code in view shows. */
type DelayShape = 'none' | 'fixed' | 'growing' | 'jittered' | 'unknown';

type Loop = ts.ForStatement | ts.WhileStatement | ts.DoStatement;

interface RetryShape {
  external: ts.CallExpression;
  counters: ReadonlySet<string>;
  capped: boolean;
  delay: { shape: DelayShape; ms?: ts.Expression };
}

/** Names that, called and awaited, wait: `await sleep(ms)`, `await delay(ms)`, `await wait(ms)`. */
const DELAY_HELPER = /^(sleep|delay|wait|pause|snooze|setTimeoutAsync|setTimeoutPromise|promiseTimeout)(Ms|Millis|Async|Promise)?$/i;
/** Helpers whose name says they compute or perform a backoff: the rule cannot see inside, so it trusts them. */
const BACKOFF_HELPER = /backoff|jitter/i;
/** Calls that only reshape a number (`Math.min(delay * 2, max)`): transparent for the growth/jitter question. */
const NUMERIC_CALLS: ReadonlySet<string> = new Set([
  'Math.min', 'Math.max', 'Math.floor', 'Math.ceil', 'Math.round', 'Math.trunc', 'Math.abs', 'Number', 'parseInt', 'parseFloat',
]);
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BASE_MS = 200;
const DEFAULT_MAX_MS = 10_000;
const HELPER_NAME = 'retryWithBackoff';

export const retryWithoutBackoff: Rule = {
  meta: {
    id: 'retry-without-backoff',
    category: 'retries',
    defaultSeverity: 'warning',
    description: 'A retry loop (or recursive retry) around an external call with no delay, a fixed delay without jitter, or no attempt cap.',
    hasFix: true,
    scope: 'statement',
    // The fix declares the helper once per file (at its end) unless the file has it.
    fileFacts: (file) => `${new RegExp(`\\b${HELPER_NAME}\\b`).test(file.text)}:${file.text.includes('maxMs')}:${file.text.endsWith('\n')}`,
    messages: {
      noCap: '{{retrier}} retries `{{callee}}` with no attempt cap{{alsoGap}}: while the dependency is down it retries forever, holding this caller and adding load to a service that is already failing. Cap the attempts and back off exponentially with full jitter.',
      noDelay: '{{retrier}} retries `{{callee}}` immediately, with no delay: a failing dependency gets every attempt within milliseconds, and all callers retrying at once turn a blip into an outage. Wait between attempts, growing the delay exponentially with full jitter.',
      fixedDelay: '{{retrier}} retries `{{callee}}` after a fixed delay (`{{delay}}`) with no jitter: callers that failed together retry together, in lockstep, at the same rate however long the outage lasts. Grow the delay exponentially and randomize it (full jitter).',
      noJitter: '{{retrier}} retries `{{callee}}` with a growing delay but no jitter: callers that failed together retry in synchronized waves (thundering herd). Randomize the delay, e.g. `Math.random() * backoffMs` (full jitter).',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    // Every retry this rule reports repeats an external call (or a connect of a known client).
    if (!context.external.mayCallOut(context)) return { kinds: {} };
    const onLoop = (node: ts.Node): void => {
      if (!isBrowserCode(context)) checkLoop(context, node as Loop);
    };
    return {
      kinds: {
        [ts.SyntaxKind.ForStatement]: onLoop,
        [ts.SyntaxKind.WhileStatement]: onLoop,
        [ts.SyntaxKind.DoStatement]: onLoop,
        [ts.SyntaxKind.CatchClause]: (node: ts.Node) => {
          if (!isBrowserCode(context)) checkRecursiveRetry(context, node as ts.CatchClause);
        },
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Retry loops

function checkLoop(context: RuleContext, loop: Loop): void {
  if (!mayHoldTry(context.text, loop.statement)) return;
  const condition = loopCondition(loop);
  if (condition && iteratesACollection(condition)) return;
  const attempt = retryAttemptIn(context, loop);
  if (!attempt) return;
  const counters = counterNames(loop);
  if (indexesByCounter(attempt.tryStatement.tryBlock, counters)) return;
  const shape: RetryShape = {
    external: attempt.call,
    counters,
    capped: loopIsCapped(loop, counters),
    delay: delayIn(context, loop.statement, counters, loop),
  };
  const messageId = verdict(shape);
  if (!messageId) return;
  const fix = loopFix(context, loop, attempt.tryStatement, shape);
  context.report({
    start: loop.getStart(context.sourceFile),
    end: loopHeaderEnd(context, loop),
    messageId,
    data: messageData(context, shape, 'This loop'),
    fixes: fix ? [fix] : [],
  });
}

/** Where the text spells `try` (in keywords, and in words and strings too); asked per loop, found once per text. */
const tryOffsets = perText('retry-without-backoff:tryOffsets', (text): number[] => {
  const offsets: number[] = [];
  for (let at = text.indexOf('try'); at !== -1; at = text.indexOf('try', at + 3)) offsets.push(at);
  return offsets;
});

/** A loop body without `try` in its text holds no try statement, so no retry attempt: not walked. */
function mayHoldTry(text: string, body: ts.Statement): boolean {
  const offsets = tryOffsets(text);
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (offsets[middle] < body.pos) low = middle + 1;
    else high = middle;
  }
  return low < offsets.length && offsets[low] < body.end;
}

function loopCondition(loop: Loop): ts.Expression | undefined {
  return ts.isForStatement(loop) ? loop.condition : loop.expression;
}

/** `i < items.length`, `queue.size > 0`: a walk over a collection, not a retry. */
function iteratesACollection(condition: ts.Expression): boolean {
  let found = false;
  walk(condition, (node) => {
    if (ts.isPropertyAccessExpression(node) && (node.name.text === 'length' || node.name.text === 'size')) found = true;
  });
  return found;
}

/**
 * The try statement that makes this loop a retry: it awaits an external call, leaves the loop on success
 * (`return` / `break` / a success flag the condition reads), and its catch lets the loop go round again.
 */
function retryAttemptIn(context: RuleContext, loop: Loop): { tryStatement: ts.TryStatement; call: ts.CallExpression } | undefined {
  for (const tryStatement of tryStatementsOf(loop.statement)) {
    const clause = tryStatement.catchClause;
    if (!clause || alwaysLeaves(clause.block, loop)) continue;
    const call = awaitedExternalCall(context, tryStatement.tryBlock);
    if (!call || advancesCursor(tryStatement.tryBlock, call)) continue;
    if (leavesLoop(tryStatement.tryBlock, loop) || setsSuccessFlag(tryStatement.tryBlock, loopCondition(loop))) {
      return { tryStatement, call };
    }
  }
  return undefined;
}

/** Try statements in a loop body, outside nested functions and nested loops (those are their own retries). */
function tryStatementsOf(body: ts.Statement): ts.TryStatement[] {
  const found: ts.TryStatement[] = [];
  walk(body, (node) => {
    if (node !== body && ts.isIterationStatement(node, false)) return false;
    if (ts.isTryStatement(node)) found.push(node);
    return undefined;
  });
  return found;
}

/** The first external call awaited (or returned) in a block, outside nested functions. */
function awaitedExternalCall(context: RuleContext, block: ts.Block): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  walk(block, (node) => {
    if (found) return false;
    const awaited = ts.isAwaitExpression(node) ? node.expression : undefined;
    if (!awaited) return undefined;
    const inner = skipOuter(awaited);
    if (ts.isCallExpression(inner) && externalOf(context, inner)) found = inner;
    return undefined;
  });
  return found;
}

function externalOf(context: RuleContext, call: ts.CallExpression): boolean {
  return (context.external.classify(call) ?? context.external.classifyPromiseChain(call)) !== undefined || opensConnection(context, call);
}

/**
 * `amqp.connect(url)`, `mongoose.connect(uri)`: the engine files a module's `connect` under factories (it returns
 * a client), but awaiting it dials the server, so a loop around it is a reconnect loop.
 */
function opensConnection(context: RuleContext, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'connect' || !ts.isIdentifier(callee.expression)) return false;
  return context.bindings.get(callee.expression.text)?.knowledge !== undefined;
}

/**
 * `cursor = page.next` / `page++` in the attempt, read by the call's arguments: each round asks for something
 * new (pagination, a moving window), which is progress, not a retry of the same call.
 */
function advancesCursor(block: ts.Block, call: ts.CallExpression): boolean {
  const assigned = new Set<string>();
  walk(block, (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const name = referenceName(node.left);
      if (name) assigned.add(name);
    } else if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      const name = referenceName(node.operand);
      if (name) assigned.add(name);
    }
  });
  return assigned.size > 0 && call.arguments.some((argument) => mentionsAny(argument, assigned));
}

/** A `return`, or a `break` that ends this loop, somewhere in the block. */
function leavesLoop(block: ts.Block, loop: Loop): boolean {
  let found = false;
  const label = ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined;
  const visit = (node: ts.Node, nestedBreakTarget: boolean): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) found = true;
    else if (ts.isBreakStatement(node)) {
      if (node.label ? node.label.text === label : !nestedBreakTarget) found = true;
    }
    const nested = nestedBreakTarget || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, nested));
  };
  ts.forEachChild(block, (child) => visit(child, false));
  return found;
}

/** `while (!done) { try { await call(); done = true } catch {} }`. */
function setsSuccessFlag(block: ts.Block, condition: ts.Expression | undefined): boolean {
  if (!condition) return false;
  const negated = new Set<string>();
  walk(condition, (node) => {
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken && ts.isIdentifier(node.operand)) {
      negated.add(node.operand.text);
    }
  });
  let found = false;
  walk(block, (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)
      && negated.has(node.left.text) && node.right.kind === ts.SyntaxKind.TrueKeyword) {
      found = true;
    }
  });
  return found;
}

/** A catch block that always leaves (a top-level `throw`, `return` or `break`) does not retry. */
function alwaysLeaves(block: ts.Block, loop: Loop): boolean {
  return block.statements.some((statement) => ts.isThrowStatement(statement) || ts.isReturnStatement(statement)
    || (ts.isBreakStatement(statement) && (!statement.label || (ts.isLabeledStatement(loop.parent) && loop.parent.label.text === statement.label.text))));
}

/** Variables the loop counts with: `attempt++`, `--retries`, `tries += 1`, `n = n - 1`. */
function counterNames(scope: ts.Node): Set<string> {
  const names = new Set<string>();
  walk(scope, (node) => {
    if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      const name = referenceName(node.operand);
      if (name) names.add(name);
    } else if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      const name = referenceName(node.left);
      if (!name) return;
      if (operator === ts.SyntaxKind.PlusEqualsToken || operator === ts.SyntaxKind.MinusEqualsToken) names.add(name);
      else if (operator === ts.SyntaxKind.EqualsToken && ts.isBinaryExpression(skipOuter(node.right))) {
        const right = skipOuter(node.right) as ts.BinaryExpression;
        const arithmetic = right.operatorToken.kind === ts.SyntaxKind.PlusToken || right.operatorToken.kind === ts.SyntaxKind.MinusToken;
        if (arithmetic && referenceName(right.left) === name) names.add(name);
      }
    }
  });
  return names;
}

/** `attempt` or `this.attempts`: the text a counter is written with. */
function referenceName(expression: ts.Expression): string | undefined {
  const value = skipOuter(expression);
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${value.name.text}`;
  return undefined;
}

function mentionsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (child) => {
    if (found) return false;
    if ((ts.isIdentifier(child) && !isPropertyNameOf(child)) || ts.isPropertyAccessExpression(child)) {
      const name = referenceName(child);
      if (name && names.has(name)) found = true;
    }
    return undefined;
  });
  return found;
}

/** `Date.now()`, `performance.now()`, `new Date()`: a deadline bounds the retries as well as a count. */
function mentionsClock(node: ts.Node): boolean {
  let found = false;
  walk(node, (child) => {
    if (ts.isCallExpression(child)) {
      const text = child.expression.getText();
      if (text === 'Date.now' || text === 'performance.now' || text === 'process.hrtime.bigint') found = true;
    } else if (ts.isNewExpression(child) && ts.isIdentifier(child.expression) && child.expression.text === 'Date') {
      found = true;
    }
  });
  return found;
}

/** `for (...; attempt < 5; ...)`, `while (retries-- > 0)`, or an `if (attempt >= max) throw` inside. */
function loopIsCapped(loop: Loop, counters: ReadonlySet<string>): boolean {
  const condition = loopCondition(loop);
  if (condition && (mentionsAny(condition, counters) || mentionsClock(condition))) return true;
  return hasBoundingCheck(loop.statement, counters);
}

/** An `if` on a counter or the clock whose branch stops retrying (throw, return or break). */
function hasBoundingCheck(scope: ts.Node, counters: ReadonlySet<string>): boolean {
  let found = false;
  walk(scope, (node) => {
    if (found) return false;
    if (ts.isIfStatement(node) && (mentionsAny(node.expression, counters) || mentionsClock(node.expression))
      && (stops(node.thenStatement) || (node.elseStatement !== undefined && stops(node.elseStatement)))) {
      found = true;
    }
    return undefined;
  });
  return found;
}

function stops(statement: ts.Statement): boolean {
  let found = false;
  walk(statement, (node) => {
    if (ts.isThrowStatement(node) || ts.isReturnStatement(node) || ts.isBreakStatement(node)) found = true;
  });
  return found;
}

/** `items[i]` in the attempt: the counter walks a collection (mirrors, shards), it does not count retries. */
function indexesByCounter(block: ts.Block, counters: ReadonlySet<string>): boolean {
  let found = false;
  walk(block, (node) => {
    if (ts.isElementAccessExpression(node) && mentionsAny(node.argumentExpression, counters)) found = true;
  });
  return found;
}

function loopHeaderEnd(context: RuleContext, loop: Loop): number {
  const start = loop.getStart(context.sourceFile);
  if (ts.isDoStatement(loop)) return start + 2;
  const close = context.text.lastIndexOf(')', loop.statement.getStart(context.sourceFile));
  return close > start ? close + 1 : loop.statement.getStart(context.sourceFile);
}

// ---------------------------------------------------------------------------------------------------------------
// Recursive retries: `async function load(n) { try { return await call() } catch { return load(n - 1) } }`

function checkRecursiveRetry(context: RuleContext, clause: ts.CatchClause): void {
  const fn = enclosingFunction(clause);
  if (!fn || !fn.body || !ts.isBlock(fn.body)) return;
  const tryStatement = clause.parent;
  if (enclosingFunction(tryStatement) !== fn) return;
  const recursive = recursiveCallIn(context, clause.block, fn);
  if (!recursive || !repeatsTheSameCall(fn, recursive)) return;
  const call = awaitedExternalCall(context, tryStatement.tryBlock);
  if (!call) return;
  const counters = modifiedParameters(fn, recursive);
  const shape: RetryShape = {
    external: call,
    counters,
    capped: counters.size > 0 && (hasBoundingCheck(fn.body, counters) || hasComparison(fn.body, counters)),
    delay: delayIn(context, fn.body, counters, undefined),
  };
  const messageId = verdict(shape);
  if (!messageId) return;
  context.report({
    node: recursive.expression,
    messageId,
    data: messageData(context, shape, `\`${functionLabel(fn) ?? 'This function'}\` (calling itself)`),
  });
}

/** A call of the enclosing function from its own catch block, awaited or returned: a recursive retry. */
function recursiveCallIn(context: RuleContext, block: ts.Block, fn: FunctionLike): ts.CallExpression | undefined {
  const name = functionLabel(fn);
  if (!name) return undefined;
  let found: ts.CallExpression | undefined;
  walk(block, (node) => {
    if (found) return false;
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipOuter(node.expression);
    const named = ts.isIdentifier(callee) ? callee.text
      : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? callee.name.text : undefined;
    const sameFunction = context.external.calledFunction(node) === fn || named === name;
    const parent = node.parent;
    const consumed = ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isParenthesizedExpression(parent);
    if (sameFunction && consumed) found = node;
    return undefined;
  });
  return found;
}

function functionLabel(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) {
    return fn.name.text;
  }
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/**
 * A retry passes its own parameters back, changing only counters: `load(url, retries - 1)`,
 * `load({ ...opts, attempt: attempt + 1 })`. `download(node, 'reload')` asks for something else (a fallback
 * variant), so it is not judged as a retry.
 */
function repeatsTheSameCall(fn: FunctionLike, call: ts.CallExpression): boolean {
  const parameters = new Set<string>();
  for (const parameter of fn.parameters) collectBoundNames(parameter.name, parameters);
  const passesOn = (argument: ts.Expression): boolean => {
    const value = skipOuter(argument);
    if (ts.isIdentifier(value)) return parameters.has(value.text);
    if (ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.MinusToken || value.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
      return ts.isNumericLiteral(skipOuter(value.right)) && ts.isIdentifier(skipOuter(value.left)) && parameters.has((skipOuter(value.left) as ts.Identifier).text);
    }
    if (ts.isPrefixUnaryExpression(value) || ts.isPostfixUnaryExpression(value)) return ts.isIdentifier(value.operand) && parameters.has(value.operand.text);
    if (ts.isObjectLiteralExpression(value)) {
      return value.properties.every((property) => (ts.isSpreadAssignment(property) && passesOn(property.expression))
        || (ts.isPropertyAssignment(property) && passesOn(property.initializer))
        || (ts.isShorthandPropertyAssignment(property) && parameters.has(property.name.text)));
    }
    return false;
  };
  return call.arguments.every(passesOn);
}

/** Parameters the recursive call passes on changed (`n - 1`, `attempt + 1`, `{ ...opts, retries: retries - 1 }`). */
function modifiedParameters(fn: FunctionLike, call: ts.CallExpression): Set<string> {
  const parameters = new Set<string>();
  for (const parameter of fn.parameters) collectBoundNames(parameter.name, parameters);
  const modified = new Set<string>();
  for (const argument of call.arguments) {
    walk(argument, (node) => {
      if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.MinusToken || node.operatorToken.kind === ts.SyntaxKind.PlusToken)) {
        for (const side of [node.left, node.right]) {
          const name = referenceName(side);
          if (name && parameters.has(name)) modified.add(name);
        }
      } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand) && parameters.has(node.operand.text)) {
        modified.add(node.operand.text);
      }
    });
  }
  return modified;
}

function collectBoundNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) {
    into.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) collectBoundNames(element.name, into);
  }
}

/** `retries > 0 && ...` or `attempt < max ? ... : ...`: a comparison on the counter bounds the recursion. */
function hasComparison(scope: ts.Node, counters: ReadonlySet<string>): boolean {
  const comparisons = new Set([
    ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
    ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
  ]);
  let found = false;
  walk(scope, (node) => {
    if (ts.isBinaryExpression(node) && comparisons.has(node.operatorToken.kind) && (mentionsAny(node.left, counters) || mentionsAny(node.right, counters))) found = true;
    if (ts.isConditionalExpression(node) && mentionsAny(node.condition, counters)) found = true;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Delays between attempts

/** The best-shaped awaited delay in a scope (outside nested functions and, for loops, nested loops). */
function delayIn(context: RuleContext, scope: ts.Node, counters: ReadonlySet<string>, loop: Loop | undefined): { shape: DelayShape; ms?: ts.Expression } {
  const rank: Record<DelayShape, number> = { none: 0, fixed: 1, growing: 2, jittered: 3, unknown: 4 };
  let best: { shape: DelayShape; ms?: ts.Expression } = { shape: 'none' };
  walk(scope, (node) => {
    if (!ts.isAwaitExpression(node)) return undefined;
    const found = delayOf(context, node.expression, counters, loop ?? scope);
    if (found && rank[found.shape] > rank[best.shape]) best = found;
    return undefined;
  });
  return best;
}

/** Whether an awaited expression waits, and how the wait is computed. */
function delayOf(context: RuleContext, awaited: ts.Expression, counters: ReadonlySet<string>, scope: ts.Node): { shape: DelayShape; ms?: ts.Expression } | undefined {
  const value = skipOuter(awaited);
  if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'Promise') {
    const timer = setTimeoutCallIn(value);
    if (!timer) return undefined;
    const ms = timer.arguments[1];
    return ms ? { shape: msShape(context, ms, counters, scope, 0), ms } : { shape: 'none' };
  }
  if (!ts.isCallExpression(value)) return undefined;
  const name = calleeName(value);
  if (!name) return undefined;
  const ms = value.arguments[0];
  if (isPromisifiedTimer(context, value)) return ms ? { shape: msShape(context, ms, counters, scope, 0), ms } : { shape: 'none' };
  const local = context.external.calledFunction(value);
  if (local && isDelayFunction(local)) {
    const inner = bodyShape(local);
    const outer = ms ? msShape(context, ms, counters, scope, 0) : 'fixed';
    return { shape: combine(inner, outer), ms };
  }
  if (BACKOFF_HELPER.test(name)) return { shape: 'unknown' };
  if (DELAY_HELPER.test(name)) return ms ? { shape: msShape(context, ms, counters, scope, 0), ms } : { shape: 'unknown' };
  return undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** `setTimeout` from 'timers/promises' (`import { setTimeout } from 'timers/promises'`, `timers.setTimeout(ms)`). */
function isPromisifiedTimer(context: RuleContext, call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) {
    const binding = context.bindings.get(callee.text);
    return binding?.module === 'timers/promises' && (binding.imported === 'setTimeout' || callee.text === 'setTimeout');
  }
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'setTimeout' && ts.isIdentifier(callee.expression)) {
    return context.bindings.get(callee.expression.text)?.module === 'timers/promises';
  }
  return false;
}

/** The `setTimeout(resolve, ms)` inside `new Promise(...)`. */
function setTimeoutCallIn(node: ts.Node): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  walk(node, (child) => {
    if (found) return false;
    if (ts.isCallExpression(child) && ts.isIdentifier(child.expression) && child.expression.text === 'setTimeout') found = child;
    return undefined;
  }, { intoFunctions: true });
  return found;
}

/** A same-file function that waits: its body arms a `setTimeout`. */
function isDelayFunction(fn: FunctionLike): boolean {
  return fn.body !== undefined && setTimeoutCallIn(fn.body) !== undefined;
}

/** What a delay function's own body adds: jitter (`Math.random`), growth (`**`, `Math.pow`, `<<`). */
function bodyShape(fn: FunctionLike): DelayShape {
  if (!fn.body) return 'unknown';
  const traits = numericTraits(fn.body);
  return traits.jitter ? 'jittered' : traits.growth ? 'growing' : 'fixed';
}

function combine(a: DelayShape, b: DelayShape): DelayShape {
  const rank: Record<DelayShape, number> = { none: 0, fixed: 1, growing: 2, jittered: 3, unknown: 4 };
  return rank[a] >= rank[b] ? a : b;
}

function numericTraits(node: ts.Node): { jitter: boolean; growth: boolean } {
  let jitter = false;
  let growth = false;
  walk(node, (child) => {
    if (ts.isCallExpression(child)) {
      const text = child.expression.getText();
      if (text === 'Math.random' || /jitter/i.test(text)) jitter = true;
      if (text === 'Math.pow') growth = true;
    } else if (ts.isBinaryExpression(child)) {
      const operator = child.operatorToken.kind;
      if (operator === ts.SyntaxKind.AsteriskAsteriskToken || operator === ts.SyntaxKind.LessThanLessThanToken) growth = true;
    }
  }, { intoFunctions: true });
  return { jitter, growth };
}

/**
 * How the milliseconds of a delay vary between attempts. Follows local variables to their initializers and
 * assignments in the retry scope; a call it cannot see into makes the answer 'unknown' (the rule then stays quiet).
 */
function msShape(context: RuleContext, ms: ts.Expression, counters: ReadonlySet<string>, scope: ts.Node, depth: number): DelayShape {
  if (depth > 4) return 'unknown';
  let jitter = false;
  let growth = false;
  let unknown = false;
  const note = (shape: DelayShape): void => {
    if (shape === 'unknown') unknown = true;
    else if (shape === 'jittered') jitter = true;
    else if (shape === 'growing') growth = true;
  };
  walk(ms, (node) => {
    if (ts.isCallExpression(node)) {
      const text = node.expression.getText();
      if (text === 'Math.random') jitter = true;
      else if (text === 'Math.pow') growth = true;
      else if (!NUMERIC_CALLS.has(text)) {
        const local = context.external.calledFunction(node);
        if (local && local.body) note(bodyShape(local) === 'fixed' && node.arguments.some((argument) => mentionsAny(argument, counters)) ? 'growing' : bodyShape(local));
        else if (/jitter|random/i.test(text)) jitter = true;
        else unknown = true;
      }
      return undefined;
    }
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.AsteriskAsteriskToken || operator === ts.SyntaxKind.LessThanLessThanToken) growth = true;
      return undefined;
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const name = referenceName(node);
      if (name && counters.has(name)) {
        growth = true;
        return false;
      }
      if (ts.isIdentifier(node) && !isPropertyNameOf(node)) note(variableShape(context, node, counters, scope, depth));
    }
    return undefined;
  });
  if (unknown) return 'unknown';
  if (jitter) return 'jittered';
  return growth ? 'growing' : 'fixed';
}

function isPropertyNameOf(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return ts.isPropertyAccessExpression(parent) && parent.name === identifier;
}

/**
 * A variable used as the delay: reassigned in the retry scope (`delay *= 2`) it grows; declared with an
 * initializer it has that initializer's shape; a parameter or import is fixed for the whole retry.
 */
function variableShape(context: RuleContext, identifier: ts.Identifier, counters: ReadonlySet<string>, scope: ts.Node, depth: number): DelayShape {
  const name = identifier.text;
  let reassigned: DelayShape | undefined;
  walk(scope, (node) => {
    if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && node.left.text === name && node.left !== identifier
      && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const shape = node.operatorToken.kind === ts.SyntaxKind.EqualsToken ? msShape(context, node.right, counters, scope, depth + 1) : 'growing';
      reassigned = combine(reassigned ?? 'growing', shape === 'fixed' ? 'growing' : shape);
    }
  });
  if (reassigned) return reassigned;
  const declaration = declarationOf(identifier);
  if (declaration?.initializer) return msShape(context, declaration.initializer, counters, scope, depth + 1);
  return 'fixed';
}

/** The `const`/`let` declaration of a name visible from the use (enclosing blocks, then the file). */
function declarationOf(identifier: ts.Identifier): ts.VariableDeclaration | undefined {
  const constant = findConstDeclaration(identifier);
  if (constant) return constant;
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text) return declaration;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Verdict and message

function verdict(shape: RetryShape): MessageId | undefined {
  if (!shape.capped) return 'noCap';
  switch (shape.delay.shape) {
    case 'none': return 'noDelay';
    case 'fixed': return 'fixedDelay';
    case 'growing': return 'noJitter';
    default: return undefined;
  }
}

function messageData(context: RuleContext, shape: RetryShape, retrier: string): Record<string, string> {
  const alsoGap = shape.delay.shape === 'none' ? ' and no delay between attempts'
    : shape.delay.shape === 'fixed' ? ' and a fixed delay without jitter'
      : shape.delay.shape === 'growing' ? ' and no jitter' : '';
  const delay = shape.delay.ms ? shape.delay.ms.getText(context.sourceFile).replace(/\s+/g, ' ') : '';
  return {
    retrier,
    callee: calleeText(shape.external, context.sourceFile),
    alsoGap,
    delay: delay.length > 40 ? `${delay.slice(0, 37)}...` : delay,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Quick fix: `return await retryWithBackoff(() => call(), { attempts, baseMs, maxMs });`

interface SimpleRetry {
  /** The expression the loop awaits and returns. */
  attempt: ts.Expression;
  attempts: string;
  /** The catch rethrows the caught error once the attempts run out, as the helper does. */
  rethrowsLast: boolean;
}

function loopFix(context: RuleContext, loop: Loop, tryStatement: ts.TryStatement, shape: RetryShape): Fix | undefined {
  const simple = simpleRetry(loop, tryStatement, shape);
  if (!simple || mentionsAny(simple.attempt, shape.counters)) return undefined;
  const block = loop.parent;
  if (!ts.isBlock(block) || !isFunctionLike(block.parent)) return undefined;
  const index = block.statements.indexOf(loop);
  const after = block.statements.slice(index + 1);
  // What happens once the attempts run out must stay what it was: the helper rethrows the last error.
  const endsWithThrow = after.length === 1 && ts.isThrowStatement(after[0]);
  if (after.length > 0 && !endsWithThrow) return undefined;
  if (after.length === 0 && !simple.rethrowsLast && shape.capped) return undefined;
  const helper = helperReference(context);
  if (!helper) return undefined;
  let start = loop.getStart(context.sourceFile);
  const end = endsWithThrow ? after[0].getEnd() : loop.getEnd();
  const previous = block.statements[index - 1];
  if (endsWithThrow && previous && isUnusedErrorHolder(previous, block, loop, after[0])) start = previous.getStart(context.sourceFile);
  const call = `return await ${helper.name}(${callbackText(context, simple.attempt, loop)}, { attempts: ${simple.attempts}, baseMs: ${baseMsText(shape, loop)}, maxMs: ${maxMsText(shape)} });`;
  const edits: TextEdit[] = [{ start, end, newText: call }, ...helper.edits];
  return { title: `Retry with capped exponential backoff and full jitter (${helper.name})`, edits };
}

/**
 * `for (let i = 0; i < N; i++) { try { return await X } catch (e) { … } }` (or `while (true)` / `for (;;)` with no
 * cap), where the catch only waits, remembers the error or rethrows it when the attempts run out.
 */
function simpleRetry(loop: Loop, tryStatement: ts.TryStatement, shape: RetryShape): SimpleRetry | undefined {
  if (ts.isDoStatement(loop) || tryStatement.finallyBlock || !tryStatement.catchClause) return undefined;
  const body = loop.statement;
  if (!ts.isBlock(body) || body.statements[0] !== tryStatement) return undefined;
  if (!body.statements.slice(1).every((statement) => isDelayStatement(statement))) return undefined;
  const only = tryStatement.tryBlock.statements.length === 1 ? tryStatement.tryBlock.statements[0] : undefined;
  if (!only || !ts.isReturnStatement(only) || !only.expression || !ts.isAwaitExpression(only.expression)) return undefined;
  const attempts = attemptCount(loop, shape);
  if (!attempts) return undefined;
  const clause = tryStatement.catchClause;
  const caught = clause.variableDeclaration && ts.isIdentifier(clause.variableDeclaration.name) ? clause.variableDeclaration.name.text : undefined;
  let rethrowsLast = false;
  for (const statement of clause.block.statements) {
    if (isDelayStatement(statement) || ts.isContinueStatement(statement) || ts.isEmptyStatement(statement) || isErrorAssignment(statement, caught)) continue;
    const rethrow = capRethrow(statement, shape.counters, loopCondition(loop), caught);
    if (rethrow === undefined) return undefined;
    rethrowsLast = rethrowsLast || rethrow;
  }
  return { attempt: only.expression.expression, attempts, rethrowsLast };
}

function isDelayStatement(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement) || !ts.isAwaitExpression(statement.expression)) return false;
  const value = skipOuter(statement.expression.expression);
  if (ts.isNewExpression(value)) return setTimeoutCallIn(value) !== undefined;
  if (!ts.isCallExpression(value)) return false;
  const name = calleeName(value);
  return name !== undefined && (DELAY_HELPER.test(name) || name === 'setTimeout');
}

/** `lastError = err;` */
function isErrorAssignment(statement: ts.Statement, caught: string | undefined): boolean {
  if (!caught || !ts.isExpressionStatement(statement)) return false;
  const expression = statement.expression;
  return ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    && ts.isIdentifier(expression.left) && ts.isIdentifier(skipOuter(expression.right)) && (skipOuter(expression.right) as ts.Identifier).text === caught;
}

/**
 * `if (attempt === max - 1) throw err;`: a cap check on the counter alone. Returns whether it rethrows the caught
 * error itself (true), throws something else (false), or is not such a check (undefined).
 */
function capRethrow(statement: ts.Statement, counters: ReadonlySet<string>, condition: ts.Expression | undefined, caught: string | undefined): boolean | undefined {
  if (!ts.isIfStatement(statement) || statement.elseStatement) return undefined;
  const then = ts.isBlock(statement.thenStatement) && statement.thenStatement.statements.length === 1 ? statement.thenStatement.statements[0] : statement.thenStatement;
  if (!ts.isThrowStatement(then) || !mentionsAny(statement.expression, counters)) return undefined;
  const allowed = new Set(counters);
  if (condition) walk(condition, (node) => { if (ts.isIdentifier(node)) allowed.add(node.text); });
  let onlyCounters = true;
  walk(statement.expression, (node) => {
    if (ts.isCallExpression(node)) onlyCounters = false;
    if (ts.isIdentifier(node) && !isPropertyNameOf(node) && !allowed.has(node.text)) onlyCounters = false;
  });
  if (!onlyCounters) return undefined;
  const thrown = then.expression && skipOuter(then.expression);
  return thrown !== undefined && ts.isIdentifier(thrown) && thrown.text === caught;
}

/** `let lastError;` right before the loop, used nowhere but in the loop and its final `throw`. */
function isUnusedErrorHolder(statement: ts.Statement, block: ts.Block, loop: Loop, finalThrow: ts.Statement): boolean {
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return false;
  const declaration = statement.declarationList.declarations[0];
  if (!ts.isIdentifier(declaration.name)) return false;
  const init = declaration.initializer && skipOuter(declaration.initializer);
  if (init && !(init.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(init) && init.text === 'undefined'))) return false;
  const name = declaration.name.text;
  const from = loop.getStart();
  const to = finalThrow.getEnd();
  let usedElsewhere = false;
  walk(block, (node) => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && (node.getStart() < from || node.getStart() > to)) usedElsewhere = true;
  }, { intoFunctions: true });
  return !usedElsewhere;
}

/**
 * How many attempts a counted `for` makes: `i = 0; i < N` is N, `i = 1; i <= N` is N, `i = 0; i <= N` is N + 1.
 * `while (true)` / `for (;;)` with no cap get a default.
 */
function attemptCount(loop: Loop, shape: RetryShape): string | undefined {
  if (!shape.capped) {
    const condition = loopCondition(loop);
    const forever = !condition || condition.kind === ts.SyntaxKind.TrueKeyword;
    return forever ? String(DEFAULT_ATTEMPTS) : undefined;
  }
  if (!ts.isForStatement(loop) || !loop.initializer || !loop.condition || !loop.incrementor) return undefined;
  const init = loop.initializer;
  if (!ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
  const declaration = init.declarations[0];
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer || !ts.isNumericLiteral(declaration.initializer)) return undefined;
  const counter = declaration.name.text;
  const start = Number(declaration.initializer.text);
  if (!isIncrementOf(loop.incrementor, counter) || (start !== 0 && start !== 1)) return undefined;
  const condition = skipOuter(loop.condition);
  if (!ts.isBinaryExpression(condition)) return undefined;
  let bound: ts.Expression;
  let inclusive: boolean;
  const operator = condition.operatorToken.kind;
  if (ts.isIdentifier(condition.left) && condition.left.text === counter) {
    if (operator !== ts.SyntaxKind.LessThanToken && operator !== ts.SyntaxKind.LessThanEqualsToken) return undefined;
    bound = condition.right;
    inclusive = operator === ts.SyntaxKind.LessThanEqualsToken;
  } else if (ts.isIdentifier(condition.right) && condition.right.text === counter) {
    if (operator !== ts.SyntaxKind.GreaterThanToken && operator !== ts.SyntaxKind.GreaterThanEqualsToken) return undefined;
    bound = condition.left;
    inclusive = operator === ts.SyntaxKind.GreaterThanEqualsToken;
  } else {
    return undefined;
  }
  if (mentionsAny(bound, new Set([counter]))) return undefined;
  const offset = (inclusive ? 1 : 0) - start;
  const boundText = bound.getText();
  if (ts.isNumericLiteral(bound)) return String(Number(bound.text) + offset);
  const simpleBound = ts.isIdentifier(bound) || ts.isPropertyAccessExpression(bound);
  const written = simpleBound ? boundText : `(${boundText})`;
  return offset === 0 ? boundText : offset > 0 ? `${written} + ${offset}` : `${written} - ${-offset}`;
}

function isIncrementOf(incrementor: ts.Expression, counter: string): boolean {
  const value = skipOuter(incrementor);
  if ((ts.isPostfixUnaryExpression(value) || ts.isPrefixUnaryExpression(value)) && value.operator === ts.SyntaxKind.PlusPlusToken) {
    return ts.isIdentifier(value.operand) && value.operand.text === counter;
  }
  return ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken
    && ts.isIdentifier(value.left) && value.left.text === counter && ts.isNumericLiteral(value.right) && value.right.text === '1';
}

/** `() => X`, or `async () => X` when X itself awaits; continuation lines re-indented to the loop's level. */
function callbackText(context: RuleContext, attempt: ts.Expression, loop: Loop): string {
  let awaits = false;
  walk(attempt, (node) => { if (ts.isAwaitExpression(node)) awaits = true; });
  const nl = newlineOf(context.text);
  const from = indentationAt(context.text, attempt.getStart(context.sourceFile));
  const to = indentationAt(context.text, loop.getStart(context.sourceFile));
  const lines = attempt.getText(context.sourceFile).split(/\r?\n/);
  const text = lines.map((line, index) => (index > 0 && line.startsWith(from) ? to + line.slice(from.length) : line)).join(nl);
  return `${awaits ? 'async ' : ''}() => ${text}`;
}

/** The loop's own fixed delay becomes the base when it is a number or a name visible outside the loop. */
function baseMsText(shape: RetryShape, loop: Loop): string {
  const ms = shape.delay.ms && skipOuter(shape.delay.ms);
  if (!ms || shape.delay.shape !== 'fixed') return String(DEFAULT_BASE_MS);
  if (ts.isNumericLiteral(ms)) return ms.text;
  if (ts.isIdentifier(ms)) {
    const declaration = declarationOf(ms);
    const insideLoop = declaration !== undefined && declaration.getStart() >= loop.getStart() && declaration.getEnd() <= loop.getEnd();
    return insideLoop ? String(DEFAULT_BASE_MS) : ms.text;
  }
  return String(DEFAULT_BASE_MS);
}

function maxMsText(shape: RetryShape): string {
  const ms = shape.delay.ms && skipOuter(shape.delay.ms);
  if (ms && shape.delay.shape === 'fixed' && ts.isNumericLiteral(ms)) return String(Math.max(DEFAULT_MAX_MS, Number(ms.text) * 8));
  return String(DEFAULT_MAX_MS);
}

/** The helper to call: the user's (imported once) or ours (inserted once at the end of the file). */
function helperReference(context: RuleContext): { name: string; edits: TextEdit[] } | undefined {
  const configured = context.settings.retryHelper;
  if (configured) {
    const existing = context.bindings.get(configured.name);
    if (existing && existing.module !== configured.module) return undefined;
    const edit = ensureImport(context, { module: configured.module, named: configured.name });
    return { name: configured.name, edits: edit ? [edit] : [] };
  }
  if (context.bindings.get(HELPER_NAME)) return undefined;
  const declared = context.sourceFile.statements.find((statement) => ts.isFunctionDeclaration(statement) && statement.name?.text === HELPER_NAME);
  if (declared) return declared.getText(context.sourceFile).includes('maxMs') ? { name: HELPER_NAME, edits: [] } : undefined;
  if (nameIsTaken(context.sourceFile, HELPER_NAME)) return undefined;
  const at = context.text.length;
  const nl = newlineOf(context.text);
  const lead = context.text.endsWith('\n') ? nl : nl + nl;
  return { name: HELPER_NAME, edits: [{ start: at, end: at, newText: `${lead}${helperSource(context)}${nl}` }] };
}

function nameIsTaken(sourceFile: ts.SourceFile, name: string): boolean {
  let taken = false;
  walk(sourceFile, (node) => {
    if (taken) return false;
    if ((ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isParameter(node))
      && node.name && ts.isIdentifier(node.name) && node.name.text === name) taken = true;
    return undefined;
  }, { intoFunctions: true });
  return taken;
}

function helperSource(context: RuleContext): string {
  const nl = newlineOf(context.text);
  const i = indentUnit(context.text);
  const signature = context.isJavaScript
    ? `async function ${HELPER_NAME}(fn, { attempts, baseMs, maxMs }) {`
    : `async function ${HELPER_NAME}<T>(fn: () => PromiseLike<T>, { attempts, baseMs, maxMs }: { attempts: number; baseMs: number; maxMs: number }): Promise<T> {`;
  return [
    '/** Calls `fn` up to `attempts` times; between attempts waits a random 0..min(maxMs, baseMs * 2^n) ms (full jitter). Rethrows the last error. */',
    signature,
    `${i}for (let attempt = 1; ; attempt++) {`,
    `${i}${i}try {`,
    `${i}${i}${i}return await fn();`,
    `${i}${i}} catch (error) {`,
    `${i}${i}${i}if (attempt >= attempts) throw error;`,
    `${i}${i}${i}const backoffMs = Math.min(maxMs, baseMs * 2 ** (attempt - 1));`,
    `${i}${i}${i}await new Promise((resolve) => setTimeout(resolve, Math.random() * backoffMs));`,
    `${i}${i}}`,
    `${i}}`,
    '}',
  ].join(nl);
}
