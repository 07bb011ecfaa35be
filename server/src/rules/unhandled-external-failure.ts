import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import type { ExternalCall, FunctionLike } from '../engine/external';
import { crossFileRelated, isFunctionLike } from '../engine/external';
import { skipOuter } from '../engine/bindings';
import { calleeText, enclosingFunction, isBareRethrow, promiseChainRootUnlessHandled, walk } from '../engine/ast';
import { boundaryOf, type Boundary } from '../engine/frameworks';
import { indentUnit, indentationAt, lineStartOf, newlineOf, preferredQuote } from '../engine/fixkit';
import { errorLogCall, fileLogger } from '../engine/loggers';

type MessageId = 'express4' | 'express5' | 'route' | 'consumer' | 'job' | 'listener' | 'lambda' | 'module' | 'rethrown';

/** What happens when the rejection leaves each kind of boundary, in words, by framework id. */
const CONSEQUENCES: Readonly<Record<string, string>> = {
  express4: 'Express 4 does not catch rejected promises, so the process gets an unhandled rejection: Node 15+ exits on it, taking every in-flight request down, and where a handler keeps the process alive this request hangs until the client gives up',
  express5: 'Express 5 forwards it to the error handler, which answers 500 with no fallback',
  koa: 'Koa answers 500 through whatever error middleware the app has, with no fallback',
  'koa-router': 'Koa answers 500 through whatever error middleware the app has, with no fallback',
  fastify: 'Fastify answers 500 with no fallback',
  hono: 'Hono answers 500 through `app.onError`, with no fallback',
  next: 'Next.js logs it and answers 500 with no fallback',
  'next-pages': 'Next.js logs it and answers 500 with no fallback',
  nestjs: 'the NestJS exception filter answers 500 `Internal server error` with no fallback',
  bullmq: 'BullMQ marks the job failed (retried only if it was added with `attempts`), and nothing here logs what failed',
  bull: 'Bull marks the job failed (retried only if it was added with `attempts`), and nothing here logs what failed',
  'nestjs-bull': 'Bull marks the job failed (retried only if it was added with `attempts`), and nothing here logs what failed',
  kafkajs: 'kafkajs retries the message and, when its retries run out, crashes and restarts the consumer; nothing here logs what failed',
  amqplib: 'amqplib does not await this callback, so the rejection is unhandled (Node 15+ exits on it) and the message is neither acked nor nacked',
  'sqs-consumer': 'sqs-consumer emits `processing_error` and the message comes back after its visibility timeout; nothing here logs what failed',
  timers: 'setInterval does not await its callback, so the rejection is unhandled (Node 15+ exits on it)',
  events: 'EventEmitter does not await listeners, so the rejection is unhandled (Node 15+ exits on it)',
  process: '`process` does not await listeners, so the rejection is unhandled (Node 15+ exits on it)',
  'aws-lambda': 'the invocation fails with the raw error (API Gateway answers 502; asynchronous invocations are retried twice), and nothing here logs what failed',
  module: 'the module fails to load and the process exits with the raw error and no context',
};
const SCHEDULER_CONSEQUENCE = 'the scheduler gets a rejected promise, and nothing here logs what failed or decides what the next run does';
const FORWARDED_LISTENER_CONSEQUENCE = 'the emitter turns it into an `error` event, and nothing here logs what failed';

export const unhandledExternalFailure: Rule = {
  meta: {
    id: 'unhandled-external-failure',
    category: 'fallbacks',
    defaultSeverity: 'warning',
    description: 'An awaited external call inside a route handler, consumer, job, listener or top-level code whose rejection nothing handles.',
    hasFix: true,
    scope: 'statement',
    messages: {
      express4: '`{{callee}}` can reject, and nothing between it and this {{boundary}} handles the rejection. {{consequence}}. Catch it, log it, and answer 503 or a fallback.',
      express5: '`{{callee}}` can reject, and this {{boundary}} does not handle it: {{consequence}}. Catch it to log with context and answer 503 or a fallback.',
      route: '`{{callee}}` can reject, and this {{boundary}} does not handle it: {{consequence}}. Catch it to log with context and answer 503 or a fallback.',
      consumer: '`{{callee}}` can reject, and this {{boundary}} does not handle it: {{consequence}}. Catch it to log with context, then rethrow or settle the message deliberately.',
      job: '`{{callee}}` can reject, and this {{boundary}} does not handle it: {{consequence}}. Catch it, log with context, and skip this run.',
      listener: '`{{callee}}` can reject, and this {{boundary}} does not handle it: {{consequence}}. Catch it and log with context.',
      lambda: '`{{callee}}` can reject, and this {{boundary}} does not handle it: {{consequence}}. Catch it to log with context, then answer a fallback or rethrow.',
      module: '`{{callee}}` can reject at the top level of this module: {{consequence}}. Catch it and log with context before exiting or falling back.',
      rethrown: '`{{callee}}` can reject, and the catch around it only rethrows, so the rejection still leaves this {{boundary}}: {{consequence}}.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    if (!context.external.mayCallOut(context)) return { kinds: {} };
    const flagged: Flagged[] = [];
    const seen = new Set<ts.CallExpression>();
    return {
      kinds: {
        [ts.SyntaxKind.AwaitExpression]: (node: ts.Node) => {
          const awaited = node as ts.AwaitExpression;
          const calls = awaitedExternalCalls(context, awaited.expression).filter((entry) => !seen.has(entry.call));
          if (calls.length === 0) return;
          const boundary = boundaryAround(context, awaited);
          if (!boundary || boundary.wrapper) return;
          // A service that turns the failure into an error of its own decided the answer, where rejections are forwarded.
          if (boundary.rejection === 'forwarded' && calls.every((entry) => entry.external.viaFile?.translated)) return;
          const handling = handlingBetween(awaited, boundary);
          if (handling.handled) return;
          for (const entry of calls) {
            seen.add(entry.call);
            flagged.push({ ...entry, awaited, boundary, rethrown: handling.rethrown });
          }
        },
      },
      onEnd: () => reportAll(context, flagged),
    };
  },
};

interface Flagged {
  call: ts.CallExpression;
  external: ExternalCall;
  awaited: ts.AwaitExpression;
  boundary: Boundary;
  rethrown: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Which awaited calls leave the process

const PROMISE_COMBINATORS = new Set(['all', 'race', 'any']);

/** External calls whose rejection this awaited expression passes on (not those already given a `.catch`). */
function awaitedExternalCalls(context: RuleContext, expression: ts.Expression): { call: ts.CallExpression; external: ExternalCall }[] {
  const value = skipOuter(expression);
  if (!ts.isCallExpression(value)) return [];
  const root = promiseChainRootUnlessHandled(value);
  if (!root) return [];
  const combinator = promiseCombinator(context, root);
  if (combinator === 'allSettled') return [];
  if (combinator) return combinedCalls(context, root);
  const external = context.external.classify(root);
  return external ? [{ call: root, external }] : [];
}

/** `Promise.all` / `race` / `any` / `allSettled` on the global Promise. */
function promiseCombinator(context: RuleContext, call: ts.CallExpression): string | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  if (callee.expression.text !== 'Promise' || context.bindings.get('Promise')) return undefined;
  const member = callee.name.text;
  return PROMISE_COMBINATORS.has(member) || member === 'allSettled' ? member : undefined;
}

/** Elements of `Promise.all([...])`, or the calls an inline `items.map(async (i) => …)` callback awaits or returns. */
function combinedCalls(context: RuleContext, combinator: ts.CallExpression): { call: ts.CallExpression; external: ExternalCall }[] {
  const argument = combinator.arguments[0] && skipOuter(combinator.arguments[0]);
  if (!argument) return [];
  if (ts.isArrayLiteralExpression(argument)) {
    return argument.elements.flatMap((element) => (ts.isSpreadElement(element) ? [] : awaitedExternalCalls(context, element)));
  }
  const callback = inlineMapCallback(argument);
  return callback ? callbackExternalCalls(context, callback) : [];
}

function inlineMapCallback(argument: ts.Expression): FunctionLike | undefined {
  if (!ts.isCallExpression(argument)) return undefined;
  const callee = skipOuter(argument.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'map') return undefined;
  const callback = argument.arguments[0] && skipOuter(argument.arguments[0]);
  return callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callback : undefined;
}

/** External calls a map callback awaits or returns outside any try/catch of its own. */
function callbackExternalCalls(context: RuleContext, callback: FunctionLike): { call: ts.CallExpression; external: ExternalCall }[] {
  const body = callback.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return awaitedExternalCalls(context, body);
  const found: { call: ts.CallExpression; external: ExternalCall }[] = [];
  walk(body, (node) => {
    if (ts.isTryStatement(node) && node.catchClause) {
      // Only the catch and finally blocks can still let a rejection out.
      walk(node.catchClause.block, (inner) => { collectAwaited(context, inner, found); });
      if (node.finallyBlock) walk(node.finallyBlock, (inner) => { collectAwaited(context, inner, found); });
      return false;
    }
    collectAwaited(context, node, found);
    return undefined;
  });
  return found;
}

function collectAwaited(context: RuleContext, node: ts.Node, found: { call: ts.CallExpression; external: ExternalCall }[]): void {
  const awaited = ts.isAwaitExpression(node) ? node.expression : ts.isReturnStatement(node) ? node.expression : undefined;
  if (awaited) found.push(...awaitedExternalCalls(context, awaited));
}

// ---------------------------------------------------------------------------------------------------------
// The boundary and what lies between

/** The boundary the await runs in directly: its own function, or the module for top-level code. */
function boundaryAround(context: RuleContext, awaited: ts.AwaitExpression): Boundary | undefined {
  const fn = enclosingFunction(awaited);
  if (fn) return boundaryOf(fn, context);
  return isModuleLevel(awaited) ? boundaryOf(context.sourceFile, context) : undefined;
}

function isModuleLevel(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current) || ts.isClassLike(current) || ts.isModuleDeclaration(current)) return false;
  }
  return true;
}

/**
 * Whether a try/catch between the await and its boundary handles the rejection. A catch handles it unless every
 * path through it throws; a catch that throws still handles it when it does more than rethrow the same error
 * (logs, translates it) and the boundary forwards rejections to something that answers or records them.
 */
function handlingBetween(awaited: ts.AwaitExpression, boundary: Boundary): { handled: boolean; rethrown: boolean } {
  let rethrown = false;
  let child: ts.Node = awaited;
  for (let current = awaited.parent; current && current !== boundary.node; child = current, current = current.parent) {
    if (!ts.isTryStatement(current) || child !== current.tryBlock || !current.catchClause) continue;
    if (catchHandles(current.catchClause, boundary)) return { handled: true, rethrown: false };
    rethrown = true;
  }
  return { handled: false, rethrown };
}

function catchHandles(clause: ts.CatchClause, boundary: Boundary): boolean {
  if (!alwaysThrows(clause.block)) return true;
  const rethrowGoesNowhere = boundary.rejection === 'unhandled' && boundary.kind !== 'module';
  if (rethrowGoesNowhere) return false;
  return !isBareRethrow(clause);
}

/** Every path ends in `throw` (approximated: a throwing statement not preceded by an exit). */
function alwaysThrows(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement)) return true;
  if (ts.isIfStatement(statement)) return statement.elseStatement !== undefined && alwaysThrows(statement.thenStatement) && alwaysThrows(statement.elseStatement);
  if (!ts.isBlock(statement)) return false;
  for (const inner of statement.statements) {
    if (alwaysThrows(inner)) return true;
    if (mayExit(inner)) return false;
  }
  return false;
}

function mayExit(statement: ts.Statement): boolean {
  let exits = false;
  walk(statement, (node) => {
    if (ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node)) exits = true;
    return exits ? false : undefined;
  });
  return exits;
}

// ---------------------------------------------------------------------------------------------------------
// Reports and fixes

function messageFor(boundary: Boundary, rethrown: boolean): { messageId: MessageId; consequence: string } {
  const consequence = consequenceOf(boundary);
  if (rethrown) return { messageId: 'rethrown', consequence };
  if (boundary.framework === 'express') return { messageId: boundary.rejection === 'forwarded' ? 'express5' : 'express4', consequence };
  return { messageId: boundary.kind === 'route' ? 'route' : boundary.kind, consequence };
}

function consequenceOf(boundary: Boundary): string {
  if (boundary.framework === 'express') {
    if (boundary.rejection !== 'forwarded') return CONSEQUENCES.express4;
    return boundary.major !== undefined && boundary.major >= 5 ? CONSEQUENCES.express5
      : 'the router (or express-async-errors) forwards it to the error handler, which answers 500 with no fallback';
  }
  if (boundary.kind === 'listener' && boundary.rejection === 'forwarded') return FORWARDED_LISTENER_CONSEQUENCE;
  return CONSEQUENCES[boundary.framework] ?? SCHEDULER_CONSEQUENCE;
}

function reportAll(context: RuleContext, flagged: readonly Flagged[]): void {
  const fixes = planFixes(context, flagged);
  for (const entry of flagged) {
    const { messageId, consequence } = messageFor(entry.boundary, entry.rethrown);
    const fix = fixes.get(entry);
    context.report({
      node: entry.call.expression,
      messageId,
      data: { callee: calleeText(entry.call, context.sourceFile), boundary: entry.boundary.label, consequence },
      fixes: fix ? [fix] : [],
      related: crossFileRelated(entry.external),
    });
  }
}

/** A run of statements in one block that a fix wraps in try/catch. */
interface WrapRange {
  container: ts.Block | ts.SourceFile;
  first: number;
  last: number;
}

/**
 * Each fixable finding wraps its statement (through to the end of its block when the statement declares names
 * used later). Findings in one block share one range from the first to the last of their statements, and
 * findings whose ranges nest share the outermost one, so their fixes are identical edits.
 */
function planFixes(context: RuleContext, flagged: readonly Flagged[]): Map<Flagged, Fix> {
  const ranges = new Map<Flagged, WrapRange>();
  for (const entry of flagged) {
    if (entry.rethrown || !fallbackLines(context, entry.boundary, 'err')) continue;
    const range = wrapRangeOf(entry.awaited, entry.boundary);
    if (range) ranges.set(entry, range);
  }
  const byContainer = new Map<ts.Node, WrapRange>();
  for (const [entry, range] of ranges) {
    if (entry.boundary.kind === 'module') continue;
    const merged = byContainer.get(range.container);
    byContainer.set(range.container, merged
      ? { container: range.container, first: Math.min(merged.first, range.first), last: Math.max(merged.last, range.last) }
      : range);
  }
  for (const [container, range] of byContainer) byContainer.set(container, keepingDeclarationsInScope(range));
  for (const [entry, range] of ranges) {
    if (entry.boundary.kind !== 'module') {
      ranges.set(entry, byContainer.get(range.container) as WrapRange);
    } else if (keepingDeclarationsInScope(range).last !== range.last) {
      // Wrapping the rest of a module to keep a top-level name in scope would bury the file in a try block.
      ranges.delete(entry);
    }
  }
  // Only ranges of the same boundary: a top-level range may contain a route registration with its own findings.
  // Grouped once: filtering every range per finding was quadratic in the findings of a file.
  const byBoundary = new Map<ts.Node, [Flagged, WrapRange][]>();
  for (const pair of ranges) {
    const group = byBoundary.get(pair[0].boundary.node);
    if (group) group.push(pair);
    else byBoundary.set(pair[0].boundary.node, [pair]);
  }
  const fixes = new Map<Flagged, Fix>();
  const built = new Map<string, Fix | undefined>();
  for (const [entry, own] of ranges) {
    const sameBoundary = byBoundary.get(entry.boundary.node) as [Flagged, WrapRange][];
    const outermost = sameBoundary.reduce((best, [, candidate]) => (contains(candidate, best) ? candidate : best), own);
    const key = `${rangeStart(outermost)}:${rangeEnd(outermost)}`;
    if (!built.has(key)) {
      const first = sameBoundary.filter(([, range]) => contains(outermost, range)).map(([candidate]) => candidate)
        .sort((a, b) => a.call.getStart() - b.call.getStart())[0];
      built.set(key, buildFix(context, first, outermost));
    }
    const fix = built.get(key);
    if (fix) fixes.set(entry, fix);
  }
  return fixes;
}

function rangeStart(range: WrapRange): number {
  return range.container.statements[range.first].getStart();
}

function rangeEnd(range: WrapRange): number {
  return range.container.statements[range.last].getEnd();
}

function contains(outer: WrapRange, inner: WrapRange): boolean {
  return rangeStart(outer) <= rangeStart(inner) && rangeEnd(inner) <= rangeEnd(outer);
}

/** The statement holding the await, as a direct child of a block (or the file), widened to keep declarations in scope. */
function wrapRangeOf(awaited: ts.AwaitExpression, boundary: Boundary): WrapRange | undefined {
  let statement: ts.Node = awaited;
  while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent)) {
    if (statement.parent === boundary.node) return undefined;
    statement = statement.parent;
  }
  const container = statement.parent as ts.Block | ts.SourceFile | undefined;
  if (!container || (boundary.kind !== 'module' && !isInside(container, boundary.node))) return undefined;
  const first = container.statements.indexOf(statement as ts.Statement);
  return first < 0 ? undefined : { container, first, last: first };
}

/** Widens a range to the end of its block when a statement in it declares a name used after it. */
function keepingDeclarationsInScope(range: WrapRange): WrapRange {
  const statements = range.container.statements;
  const declared = new Set<string>();
  for (const statement of statements.slice(range.first, range.last + 1)) for (const name of declaredNames(statement)) declared.add(name);
  const usedLater = statements.slice(range.last + 1).some((later) => mentionsAny(later, declared));
  return usedLater ? { ...range, last: statements.length - 1 } : range;
}

function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

function declaredNames(statement: ts.Statement): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
  return names;
}

function mentionsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  walk(node, (inner) => {
    if (ts.isIdentifier(inner) && names.has(inner.text)) found = true;
    return found ? false : undefined;
  }, { intoFunctions: true });
  return found;
}

function buildFix(context: RuleContext, entry: Flagged, range: WrapRange): Fix | undefined {
  const { text, sourceFile } = context;
  const statements = range.container.statements;
  const start = statements[range.first].getStart(sourceFile);
  const lineStart = lineStartOf(text, start);
  if (text.slice(lineStart, start).trim() !== '') return undefined;
  const end = statements[range.last].getEnd();
  const errName = catchVariableName(entry.boundary.node);
  const lines = fallbackLines(context, entry.boundary, errName);
  if (!lines) return undefined;
  const indent = indentationAt(text, start);
  const unit = indentUnit(text);
  const nl = newlineOf(text);
  const logger = fileLogger(context, entry.awaited);
  const log = `${errorLogCall(context, logger, errName, `${failureLabel(context, entry)} failed`)};`;
  const body = reindent(context, lineStart, end, unit, statements.slice(range.first, range.last + 1));
  const catchLines = [log, ...lines.lines].map((line) => `${indent}${unit}${line}`).join(nl);
  const newText = `${indent}try {${nl}${body}${nl}${indent}} catch (${errName}) {${nl}${catchLines}${nl}${indent}}`;
  const edits: TextEdit[] = [{ start: lineStart, end, newText }, ...logger.setupEdits, ...lines.setupEdits];
  return { title: `Wrap in try/catch: log the failure and ${lines.summary}`, edits };
}

/** What the log line names: the route (`GET /users/:id`) when registered with a literal path, else the callee without arguments. */
function failureLabel(context: RuleContext, entry: Flagged): string {
  const { method, path, kind, framework } = entry.boundary;
  if (kind === 'route' && path && method && method !== 'USE' && framework !== 'nestjs') return `${method} ${path}`;
  let callee = calleeText(entry.call, context.sourceFile);
  for (let previous = ''; previous !== callee;) {
    previous = callee;
    callee = callee.replace(/\([^()]*\)/g, '()');
  }
  return callee;
}

/** Adds one indentation unit to every line of the range, except lines that start inside a template literal. */
function reindent(context: RuleContext, from: number, to: number, unit: string, statements: readonly ts.Statement[]): string {
  const templates: [number, number][] = [];
  for (const statement of statements) {
    walk(statement, (node) => {
      if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) templates.push([node.getStart(context.sourceFile), node.getEnd()]);
    }, { intoFunctions: true });
  }
  const original = context.text.slice(from, to);
  let result = '';
  let lineBegin = 0;
  while (lineBegin <= original.length) {
    const newline = original.indexOf('\n', lineBegin);
    const lineEnd = newline < 0 ? original.length : newline + 1;
    const line = original.slice(lineBegin, lineEnd);
    const absolute = from + lineBegin;
    const insideTemplate = templates.some(([start, end]) => absolute > start && absolute < end);
    result += insideTemplate || line.trim() === '' ? line : `${unit}${line}`;
    if (newline < 0) break;
    lineBegin = lineEnd;
  }
  return result;
}

/** `err`, unless the boundary already uses that name for something else. */
function catchVariableName(boundaryNode: ts.Node): string {
  const used = new Set<string>();
  walk(boundaryNode, (node) => { if (ts.isIdentifier(node)) used.add(node.text); }, { intoFunctions: true });
  return ['err', 'error', 'caught'].find((name) => !used.has(name)) ?? 'caughtError';
}

interface Fallback {
  lines: string[];
  setupEdits: TextEdit[];
  summary: string;
}

/** What the catch does after logging, in the boundary's own terms; undefined when no fallback can be written. */
function fallbackLines(context: RuleContext, boundary: Boundary, errName: string): Fallback | undefined {
  const quote = preferredQuote(context.text);
  const body = `{ error: ${quote}Service unavailable${quote} }`;
  const respond = (lines: string[]): Fallback => ({ lines, setupEdits: [], summary: 'answer 503' });
  const { params } = boundary;
  switch (boundary.framework) {
    case 'express':
    case 'next-pages':
      return params.response ? respond([`${params.response}.status(503).json(${body});`, 'return;']) : undefined;
    case 'koa':
    case 'koa-router':
      return params.context ? respond([`${params.context}.status = 503;`, `${params.context}.body = ${body};`, 'return;']) : undefined;
    case 'fastify':
      return params.response ? respond([`return ${params.response}.code(503).send(${body});`]) : undefined;
    case 'hono':
      return params.context ? respond([`return ${params.context}.json(${body}, 503);`]) : undefined;
    case 'next': {
      const nextResponse = context.bindings.get('NextResponse');
      const factory = nextResponse && nextResponse.module === 'next/server' && !nextResponse.isInstance ? 'NextResponse' : 'Response';
      return respond([`return ${factory}.json(${body}, { status: 503 });`]);
    }
    case 'nestjs': {
      const edit = addNestImport(context, 'ServiceUnavailableException');
      if (edit === null) return undefined;
      return { lines: ['throw new ServiceUnavailableException();'], setupEdits: edit ? [edit] : [], summary: 'answer 503' };
    }
    case 'amqplib':
      // Ack, nack or dead-letter depends on the queue's setup; a fix cannot choose for the user.
      return undefined;
    default:
      break;
  }
  switch (boundary.kind) {
    case 'consumer':
    case 'lambda':
    case 'module':
      return { lines: [`throw ${errName};`], setupEdits: [], summary: 'rethrow it' };
    case 'job':
    case 'listener':
      return { lines: ['return;'], setupEdits: [], summary: 'stop here' };
    default:
      return undefined;
  }
}

/**
 * Adds a named import to the file's `@nestjs/common` import. Undefined when the name is already imported;
 * null when there is no such import to extend.
 */
function addNestImport(context: RuleContext, name: string): TextEdit | undefined | null {
  const existing = context.bindings.get(name);
  if (existing && existing.module === '@nestjs/common') return undefined;
  if (existing) return null;
  for (const statement of context.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (statement.moduleSpecifier.text !== '@nestjs/common') continue;
    const named = statement.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named) || named.elements.length === 0) continue;
    const last = named.elements[named.elements.length - 1];
    return { start: last.getEnd(), end: last.getEnd(), newText: `, ${name}` };
  }
  return null;
}
