import * as ts from 'typescript';
import type { Fix, RelatedInformation, Rule, RuleContext, TextEdit } from '../engine/types';
import { crossFileRelated, isFunctionLike, type FunctionLike } from '../engine/external';
import { skipOuter } from '../engine/bindings';
import { calleeText, walk } from '../engine/ast';
import { isBrowserCode } from '../engine/environment';
import { isTestSupportFile } from '../engine/fileRole';
import { errorLogCall, fileLogger } from '../engine/loggers';
import { operationName } from '../engine/errorflow';
import { AS, CALL, IDENTIFIER, NON_NULL, PARENTHESIZED, PROPERTY_ACCESS, SATISFIES, TYPE_ASSERTION } from '../engine/kinds';

const ASYNC_KEYWORD = ts.SyntaxKind.AsyncKeyword;

type MessageId = 'external' | 'asyncFunction' | 'thenWithoutCatch' | 'combinator' | 'asyncForEach';

/** What the dropped promise comes from, for the message. */
interface PromiseSource {
  messageId: 'external' | 'asyncFunction' | 'combinator';
  callee: string;
  /** Where, in another file, the call leaves the process (cross-file knowledge). */
  related?: RelatedInformation[];
}

/** A link of a promise chain: `.then(a)`, `.catch(b)`, `.finally(c)`, innermost first. */
interface ChainLink {
  method: 'then' | 'catch' | 'finally';
  argumentCount: number;
}

const CHAIN_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);
/** `Promise.allSettled` never rejects, so dropping it loses no rejection. */
const REJECTING_COMBINATORS: ReadonlySet<string> = new Set(['all', 'race', 'any']);
const CALLBACK_NAME = /^(cb|callback|done|next)$|Callback$/;

const UNHANDLED = 'if it rejects, nothing handles the rejection: Node 15+ exits the process on an unhandled rejection (older versions only warn, and the failure goes unnoticed)';

export const floatingPromise: Rule = {
  meta: {
    id: 'floating-promise',
    category: 'fallbacks',
    defaultSeverity: 'warning',
    description: 'A promise from an external call or a same-file async function that is neither awaited, returned, assigned, caught nor passed on.',
    hasFix: true,
    scope: 'statement',
    messages: {
      external: '`{{callee}}` leaves the process and returns a promise that nothing awaits, returns or catches: ' + UNHANDLED + '. Await it, or add a `.catch` that logs.',
      asyncFunction: '`{{callee}}` is async and its promise is dropped here: ' + UNHANDLED + '. Await it, or add a `.catch` that logs.',
      thenWithoutCatch: '`{{callee}}` is chained with `.then()` and no rejection handler after it: ' + UNHANDLED + '. Await it, or end the chain with a `.catch` that logs.',
      combinator: '`{{callee}}` combines promises that can reject, and the combined promise is dropped: ' + UNHANDLED + '. Await it, or add a `.catch` that logs.',
      asyncForEach: '`forEach` does not wait for an async callback: each call of it returns a promise that is dropped, so the awaited `{{callee}}` runs after this statement has moved on, and its rejection is unhandled (Node 15+ exits the process). Use `for…of` with `await`, or `await Promise.all(items.map(async …))`.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    if (!mayDropPromise(context)) return { kinds: {} };
    let skipFile: boolean | undefined;
    return {
      kinds: {
        [ts.SyntaxKind.ExpressionStatement]: (node: ts.Node) => {
          // Test support code (fakes, fixtures) is not what gets paged: its dropped promise fails a test at most.
          skipFile ??= isBrowserCode(context) || isBrowserScript(context) || isTestSupportFile(context);
          if (skipFile) return;
          checkStatement(context, node as ts.ExpressionStatement);
        },
      },
    };
  },
};

/**
 * Whether any call of the file can be a promise source: an external call, a call of a same-file function that is
 * async or declares `Promise<…>` (one that is neither only returns a promise through an external call), or a
 * `Promise` combinator. Most files have none of these.
 */
function mayDropPromise(context: RuleContext): boolean {
  if (context.external.mayCallOut(context)) return true;
  for (const fn of context.external.sameFileFunctions()) if (isAsync(fn) || declaresPromise(fn)) return true;
  // `Promise` written with an escape is still the identifier `Promise`.
  return context.text.includes('Promise') || context.text.includes('\\u');
}

/**
 * Browser scripts the shared check cannot see from imports: AMD modules (`define([...], function () {…})`) and
 * plain `.js` files served from a `public/` or `static/` folder.
 */
function isBrowserScript(context: RuleContext): boolean {
  if (context.isJavaScript && /(^|[\\/])(public|static)[\\/]/.test(context.fileName)) return true;
  return context.sourceFile.statements.some((statement) => {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return false;
    const callee = statement.expression.expression;
    return ts.isIdentifier(callee) && callee.text === 'define'
      && statement.expression.arguments.some((argument) => ts.isArrayLiteralExpression(argument));
  });
}

function checkStatement(context: RuleContext, statement: ts.ExpressionStatement): void {
  const expression = skipParentheses(statement.expression);
  if (expression.kind !== CALL) return;
  const call = expression as ts.CallExpression;
  // Asked of every statement: most calls are neither a `forEach` nor a possible promise source, decided by names alone.
  if (!isForEach(call) && !mayBePromiseSource(context, chainRoot(call))) return;
  // At module level Node 15+ ends the process on the rejection, with the error: what a startup script needs.
  if (owningFunction(statement) === undefined) return;
  const forEachCallee = asyncForEachExternalCall(context, call);
  if (forEachCallee) {
    context.report({ node: call, messageId: 'asyncForEach', data: { callee: forEachCallee } });
    return;
  }
  const { root, links } = promiseChain(call);
  const source = promiseSource(context, root);
  if (!source || chainHandlesRejection(links)) return;
  const endsWithThen = links.length > 0 && links.some((link) => link.method === 'then');
  context.report({
    node: statement.expression,
    messageId: endsWithThen ? 'thenWithoutCatch' : source.messageId,
    data: { callee: source.callee },
    fixes: fixesFor(context, statement, root),
    related: source.related ?? [],
  });
}

/** Parentheses, type assertions and non-null assertions; unlike `skipOuter`, an `await` is kept (it consumes the promise). */
function skipParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    switch (current.kind) {
      case PARENTHESIZED:
      case AS:
      case NON_NULL:
      case SATISFIES:
      case TYPE_ASSERTION:
        current = (current as ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression | ts.TypeAssertion).expression;
        break;
      default:
        return current;
    }
  }
}

/** The callee `asyncForEachExternalCall` looks for. */
function isForEach(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return callee.kind === PROPERTY_ACCESS && (callee as ts.PropertyAccessExpression).name.text === 'forEach';
}

/** The root `promiseChain` finds, without collecting the links. */
function chainRoot(call: ts.CallExpression): ts.CallExpression {
  let current = call;
  for (;;) {
    const callee = current.expression;
    if (callee.kind !== PROPERTY_ACCESS || !CHAIN_METHODS.has((callee as ts.PropertyAccessExpression).name.text)) return current;
    const target = skipParentheses((callee as ts.PropertyAccessExpression).expression);
    if (target.kind !== CALL) return current;
    current = target as ts.CallExpression;
  }
}

/** What `promiseSource` asks first of a call, by names and bindings only: when all say no, it answers undefined. */
function mayBePromiseSource(context: RuleContext, call: ts.CallExpression): boolean {
  return combinatorName(call) !== undefined || context.external.calledFunction(call) !== undefined || context.external.mayBeExternal(call);
}

/** The call a `.then/.catch/.finally` chain starts from, and the links after it, innermost first. */
function promiseChain(call: ts.CallExpression): { root: ts.CallExpression; links: ChainLink[] } {
  const links: ChainLink[] = [];
  let current: ts.CallExpression = call;
  for (;;) {
    const callee = current.expression;
    if (!ts.isPropertyAccessExpression(callee) || !CHAIN_METHODS.has(callee.name.text)) break;
    const target = skipParentheses(callee.expression);
    if (!ts.isCallExpression(target)) break;
    links.unshift({ method: callee.name.text as ChainLink['method'], argumentCount: current.arguments.length });
    current = target;
  }
  return { root: current, links };
}

/**
 * Whether the end of the chain handles a rejection: a `.catch(handler)` or `.then(ok, handler)` that no later
 * one-argument `.then` follows (that callback can throw again). `.finally` passes the rejection through.
 */
function chainHandlesRejection(links: readonly ChainLink[]): boolean {
  let handled = false;
  for (const link of links) {
    if (link.method === 'catch' && link.argumentCount >= 1) handled = true;
    else if (link.method === 'then' && link.argumentCount >= 2) handled = true;
    else if (link.method === 'then' && link.argumentCount === 1) handled = false;
  }
  return handled;
}

/** Whether a call returns a promise that can reject: an external call, a same-file async function, `Promise.all` of those. */
function promiseSource(context: RuleContext, call: ts.CallExpression): PromiseSource | undefined {
  const combinator = combinatorName(call);
  if (combinator) {
    if (!REJECTING_COMBINATORS.has(combinator)) return undefined;
    return call.arguments.some((argument) => combinesPromises(context, argument))
      ? { messageId: 'combinator', callee: calleeText(call, context.sourceFile) } : undefined;
  }
  const fn = context.external.calledFunction(call);
  if (fn) {
    return returnsPromise(context, call, fn) && canReject(context, fn)
      ? { messageId: 'asyncFunction', callee: calleeText(call, context.sourceFile) } : undefined;
  }
  const external = context.external.mayBeExternal(call) ? context.external.classify(call) : undefined;
  if (!external || takesCallback(call)) return undefined;
  return {
    messageId: external.viaFunction || external.viaFile ? 'asyncFunction' : 'external',
    callee: calleeText(call, context.sourceFile),
    related: crossFileRelated(external),
  };
}

function combinatorName(call: ts.CallExpression): string | undefined {
  const callee = skipOuter(call.expression);
  if (callee.kind !== PROPERTY_ACCESS) return undefined;
  const receiver = (callee as ts.PropertyAccessExpression).expression;
  if (receiver.kind !== IDENTIFIER || (receiver as ts.Identifier).text !== 'Promise') return undefined;
  return (callee as ts.PropertyAccessExpression).name.text;
}

/** `[load(a), load(b)]` or `items.map(async (item) => …)` holding promise sources. */
function combinesPromises(context: RuleContext, argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  if (ts.isArrayLiteralExpression(value)) {
    return value.elements.some((element) => {
      const inner = skipParentheses(element);
      return ts.isCallExpression(inner) && promiseSource(context, promiseChain(inner).root) !== undefined;
    });
  }
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'map') {
    const callback = value.arguments[0] && skipOuter(value.arguments[0]);
    return callback !== undefined && isFunctionLike(callback) && isAsync(callback);
  }
  return false;
}

/** A same-file function returns a promise when it is async, declares `Promise<…>`, or returns an external call. */
function returnsPromise(context: RuleContext, call: ts.CallExpression, fn: FunctionLike): boolean {
  if (isAsync(fn) || declaresPromise(fn)) return true;
  // Without a possible external call anywhere in the file the function's verdict is "no": not worked out.
  return context.external.mayCallOut(context) && context.external.classify(call) !== undefined;
}

function declaresPromise(fn: FunctionLike): boolean {
  return fn.type !== undefined && ts.isTypeReferenceNode(fn.type) && ts.isIdentifier(fn.type.typeName) && fn.type.typeName.text === 'Promise';
}

/**
 * Whether an async function can reject as far as the code shows: an `await`, a `throw` or a returned promise
 * source that no `try { … } catch` around it absorbs (a catch that throws passes the rejection on). Functions that
 * are not async but return a promise are taken at their word. Synchronous errors (a TypeError) are not counted.
 */
function canReject(context: RuleContext, fn: FunctionLike): boolean {
  if (!isAsync(fn)) return true;
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return rejectsHere(context, body, fn);
  let rejects = false;
  walk(body, (node) => {
    if (rejects) return false;
    if (ts.isAwaitExpression(node) || ts.isThrowStatement(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      if (!absorbedByTry(node, fn)) rejects = true;
    } else if (ts.isReturnStatement(node) && node.expression && rejectsHere(context, node.expression, fn)) {
      rejects = true;
    }
    return undefined;
  });
  return rejects;
}

/** A returned (not awaited) expression rejects the function when it is a promise source outside a catching try. */
function rejectsHere(context: RuleContext, expression: ts.Expression, fn: FunctionLike): boolean {
  const value = skipParentheses(expression);
  if (ts.isAwaitExpression(value)) return !absorbedByTry(value, fn);
  if (!ts.isCallExpression(value)) return false;
  const root = promiseChain(value).root;
  const inner = context.external.calledFunction(root);
  const isSource = inner ? inner !== fn && returnsPromise(context, root, inner) : (context.external.mayBeExternal(root) && context.external.classify(root) !== undefined);
  return isSource && !absorbedByTry(value, fn);
}

/** Inside the try block of a `try … catch` (within `fn`) whose catch block throws nothing. */
function absorbedByTry(node: ts.Node, fn: FunctionLike): boolean {
  for (let current: ts.Node = node; current.parent && current !== fn; current = current.parent) {
    const parent = current.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === current && parent.catchClause && !throwsInside(parent.catchClause.block)) return true;
  }
  return false;
}

function throwsInside(block: ts.Block): boolean {
  let throws = false;
  walk(block, (node) => {
    if (ts.isThrowStatement(node)) throws = true;
    return throws ? false : undefined;
  });
  return throws;
}

function isAsync(fn: ts.Node): boolean {
  if (!ts.canHaveModifiers(fn)) return false;
  const modifiers = fn.modifiers;
  return modifiers !== undefined && modifiers.some((modifier) => modifier.kind === ASYNC_KEYWORD);
}

/** Callback-style client calls (`client.query(sql, (err, res) => …)`) return no promise to drop. */
function takesCallback(call: ts.CallExpression): boolean {
  return call.arguments.some((argument) => {
    const value = skipOuter(argument);
    return isFunctionLike(value) || (ts.isIdentifier(value) && CALLBACK_NAME.test(value.text));
  });
}

/** `items.forEach(async (item) => { … await externalCall … })`: the name of the first awaited external call. */
function asyncForEachExternalCall(context: RuleContext, call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'forEach') return undefined;
  const callback = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || !isAsync(callback)) return undefined;
  if (!canReject(context, callback)) return undefined;
  let found: string | undefined;
  walk(callback.body, (node) => {
    if (found) return false;
    if (ts.isAwaitExpression(node)) {
      const awaited = skipOuter(node.expression);
      if (ts.isCallExpression(awaited)) {
        const root = promiseChain(awaited).root;
        if (promiseSource(context, root)) found = calleeText(root, context.sourceFile);
      }
    }
    return undefined;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Fixes

function fixesFor(context: RuleContext, statement: ts.ExpressionStatement, root: ts.CallExpression): Fix[] {
  const fixes: Fix[] = [];
  const owner = owningFunction(statement);
  if (owner && isAsync(owner)) {
    const at = statement.expression.getStart(context.sourceFile);
    fixes.push({ title: 'Await this promise', edits: [{ start: at, end: at, newText: 'await ' }] });
  }
  fixes.push(catchFix(context, statement, root));
  return fixes;
}

/** The closest function-like scope around a node (constructors, accessors and static blocks included). */
function owningFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassStaticBlockDeclaration(current)) return current;
  }
  return undefined;
}

/** Appends `.catch((err) => <structured log>)` in the file's logger (or the configured one, set up once). */
function catchFix(context: RuleContext, statement: ts.ExpressionStatement, root: ts.CallExpression): Fix {
  const logger = fileLogger(context, statement);
  const name = operationName(root) ?? 'background call';
  const log = errorLogCall(context, logger, 'err', `${name} failed`);
  const end = statement.expression.getEnd();
  const edits: TextEdit[] = [{ start: end, end, newText: `.catch((err) => ${log})` }, ...logger.setupEdits];
  return { title: `Catch and log the rejection (${logger.expression})`, edits };
}
