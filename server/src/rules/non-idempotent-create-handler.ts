import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import { skipOuter } from '../engine/bindings';
import { calledMember, isFunctionLike, type FunctionLike } from '../engine/external';
import { calleeText, findProperty, walk } from '../engine/ast';
import { boundaryOf, type Boundary } from '../engine/frameworks';
import { importInsertionPoint, indentUnit, indentationAt, newlineOf, preferredQuote } from '../engine/fixkit';
import { perText } from '../engine/perFile';

type MessageId = 'record' | 'payment';

/** Members that create a record: Prisma, Sequelize, mongoose, TypeORM, knex, MongoDB, DynamoDB, Firestore. */
const CREATE_MEMBERS = new Set(['create', 'createMany', 'bulkCreate', 'insertMany', 'insertOne', 'insert', 'save', 'add', 'putItem']);
/** Members that run SQL given as text. */
const QUERY_MEMBERS = new Set(['query', 'execute', 'none', 'one', 'oneOrNone', 'many', 'any', 'result', '$executeRaw', '$executeRawUnsafe', 'raw']);
/** Awaited reads before the create that check for an existing record. */
const EXISTENCE_MEMBERS = new Set([
  'find', 'findOne', 'findUnique', 'findFirst', 'findUniqueOrThrow', 'findFirstOrThrow', 'findByPk', 'findById', 'findOneBy',
  'findBy', 'exists', 'exist', 'count', 'countDocuments', 'existsBy', 'get', 'getItem',
]);
/** Upserts and inserts that tolerate a duplicate. */
const UPSERT_MEMBERS = new Set(['upsert', 'findOrCreate', 'findOneAndUpdate', 'onConflict', 'orIgnore', 'orUpdate', 'onDuplicateKeyUpdate', 'onConflictDoNothing', 'onConflictDoUpdate', 'merge', 'ignore']);
/** Text in the handler showing it dedupes: a key header, SQL conflict clauses, duplicate-key error codes, dedupe options. */
const DEDUPE_TEXT = /idempoten|ON\s+CONFLICT|ON\s+DUPLICATE\s+KEY|INSERT\s+(OR\s+)?IGNORE|P2002|23505|unique_violation|UniqueConstraint|E11000|\b11000\b|ER_DUP_ENTRY|duplicate key|skipDuplicates|ignoreDuplicates|updateOnDuplicate|upsert\s*:\s*true/i;
/** Records whose duplicates are harmless: each login makes a session, each event its own row. */
const HARMLESS_RECORDS = /^(sessions?|tokens?|refreshTokens?|accessTokens?|logs?|auditLogs?|audits?|events?|views?|pageViews?|visits?|attempts?|loginAttempts?|otps?|verifications?|verificationTokens?|metrics?|analytics|activit(y|ies)|notifications?|searche?s?|searchQuer(y|ies)|queries)$/i;
const AUTH_PATH = /(^|\/)(login|logout|signin|sign-in|signout|sign-out|sessions?|token|refresh|oauth|auth)(\/|$)/i;

interface CreateCall {
  call: ts.CallExpression;
  payment: boolean;
}

export const nonIdempotentCreateHandler: Rule = {
  meta: {
    id: 'non-idempotent-create-handler',
    category: 'idempotency',
    defaultSeverity: 'info',
    description: 'A POST handler that creates a record or charges money with no idempotency key, existence check, upsert or duplicate handling.',
    hasFix: true,
    scope: 'statement',
    // The fix declares the idempotency store once per file unless the file has it.
    fileFacts: (file) => String(existingStore(file.text)),
    messages: {
      record: 'This {{boundary}} creates a record (`{{callee}}`) with no idempotency key, no prior existence check, no upsert and no duplicate-key handling: a client that retries after a timeout, or a double-clicked submit, creates it twice. Read an `Idempotency-Key` header (or check for the record first).',
      payment: 'This {{boundary}} charges or creates with `{{callee}}` with no idempotency key read from the request and no duplicate check: a client that retries after a timeout charges twice. Read an `Idempotency-Key` header and pass it on as Stripe\'s `idempotencyKey`.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    // A handler is reported for an external create it makes.
    if (!context.external.mayCallOut(context)) return { kinds: {} };
    // Every way to declare a POST route (`.post(`, `@Post(`, `export function POST`, `method: 'POST'`) spells "post":
    // a file without it has no handler to check, and boundaries need not be worked out for its functions.
    if (!/post/i.test(context.text)) return { kinds: {} };
    const handlers: { fn: FunctionLike; boundary: Boundary }[] = [];
    const asked = new Set<FunctionLike>();
    // Only a function holding a call that may create a record can be reported, so only the functions around such a
    // call are asked whether they are POST routes: working out the boundary of every function costs more.
    const onCall = (node: ts.Node): void => {
      const call = node as ts.CallExpression;
      if (!mayCreate(call)) return;
      for (let current = call.parent; current; current = current.parent) {
        if (!isFunctionLike(current) || !current.body) continue;
        if (asked.has(current)) break;
        asked.add(current);
        const boundary = boundaryOf(current, context);
        if (boundary && boundary.kind === 'route' && boundary.method === 'POST') handlers.push({ fn: current, boundary });
      }
    };
    return {
      kinds: { [ts.SyntaxKind.CallExpression]: onCall },
      onEnd: () => {
        handlers.sort((a, b) => a.fn.pos - b.fn.pos || b.fn.end - a.fn.end);
        for (const { fn, boundary } of handlers) checkHandler(context, fn, boundary);
      },
    };
  },
};

/** An awaited or returned call whose member may create a record (what `createCalls` goes on to classify). */
function mayCreate(call: ts.CallExpression): boolean {
  const member = calledMember(call.expression);
  return member !== undefined && (CREATE_MEMBERS.has(member) || QUERY_MEMBERS.has(member)) && isAwaitedOrReturnedHere(call);
}

function checkHandler(context: RuleContext, fn: FunctionLike, boundary: Boundary): void {
  if (boundary.path !== undefined && AUTH_PATH.test(boundary.path)) return;
  // A wrapper we do not know (`withWorkspace(handler)`) may dedupe or answer duplicate-key errors itself.
  if (boundary.wrapper && !boundary.wrapper.catchesRejections) return;
  if (DEDUPE_TEXT.test(fn.getText(context.sourceFile)) || registeredWithIdempotency(fn, context)) return;
  const creates = createCalls(context, fn);
  if (creates.length === 0) return;
  const first = creates[0];
  if (checkedOrUpsertedBefore(context, fn, first.call)) return;
  const fix = fixFor(context, fn, boundary);
  context.report({
    node: first.call.expression,
    messageId: first.payment ? 'payment' : 'record',
    data: { boundary: boundary.label, callee: calleeText(first.call, context.sourceFile) },
    fixes: fix ? [fix] : [],
  });
}

/** `app.post('/orders', idempotency(), handler)` or `@UseInterceptors(IdempotencyInterceptor)`. */
function registeredWithIdempotency(fn: FunctionLike, context: RuleContext): boolean {
  let position: ts.Node = fn;
  while (position.parent && !ts.isCallExpression(position.parent) && !ts.isClassLike(position.parent) && !ts.isSourceFile(position.parent)) {
    position = position.parent;
  }
  const around = position.parent;
  if (around && ts.isCallExpression(around)) return /idempoten/i.test(around.getText(context.sourceFile));
  if (around && ts.isClassLike(around)) {
    const decorators = [...(ts.canHaveDecorators(around) ? ts.getDecorators(around) ?? [] : [])];
    return decorators.some((decorator) => /idempoten/i.test(decorator.getText(context.sourceFile)));
  }
  return false;
}

/** Awaited or returned external calls in the handler that create a record or charge money, in source order. */
function createCalls(context: RuleContext, fn: FunctionLike): CreateCall[] {
  const found: CreateCall[] = [];
  walk(fn, (node) => {
    if (!ts.isCallExpression(node) || !isAwaitedOrReturnedHere(node)) return undefined;
    const external = context.external.classify(node);
    if (!external || external.viaFunction || external.viaFile) return undefined;
    const member = external.path[external.path.length - 1];
    if (external.kind === 'payment') {
      if (member === 'create' && !hasIdempotencyKeyOption(node)) found.push({ call: node, payment: true });
      return undefined;
    }
    if (external.kind !== 'db' || member === undefined) return undefined;
    const resource = external.path.length >= 2 ? external.path[external.path.length - 2] : external.binding?.name;
    if (resource !== undefined && HARMLESS_RECORDS.test(resource)) return undefined;
    if (CREATE_MEMBERS.has(member) || (QUERY_MEMBERS.has(member) && isInsertSql(node.arguments[0]))) found.push({ call: node, payment: false });
    return undefined;
  }, { intoFunctions: true });
  return found;
}

function isAwaitedOrReturnedHere(call: ts.CallExpression): boolean {
  let position: ts.Node = call;
  while (ts.isParenthesizedExpression(position.parent) || ts.isAsExpression(position.parent) || ts.isNonNullExpression(position.parent)) position = position.parent;
  const parent = position.parent;
  return ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === position);
}

/** `await Promise.all([prisma.user.findUnique(...), ...])`. */
function isAwaitedInPromiseAll(call: ts.CallExpression): boolean {
  const list = call.parent;
  if (!ts.isArrayLiteralExpression(list)) return false;
  const all = list.parent;
  if (!ts.isCallExpression(all) || !ts.isPropertyAccessExpression(all.expression)) return false;
  const receiver = all.expression.expression;
  return ts.isIdentifier(receiver) && receiver.text === 'Promise' && ['all', 'allSettled'].includes(all.expression.name.text)
    && isAwaitedOrReturnedHere(all);
}

/** `stripe.charges.create(params, { idempotencyKey })`: already keyed (payment-without-idempotency-key checks the key). */
function hasIdempotencyKeyOption(call: ts.CallExpression): boolean {
  return call.arguments.slice(1).some((argument) => {
    const value = skipOuter(argument);
    return !ts.isObjectLiteralExpression(value) || findProperty(value, 'idempotencyKey') !== undefined;
  });
}

/** SQL text starting with INSERT (a string or a template's head). */
function isInsertSql(argument: ts.Expression | undefined): boolean {
  if (!argument) return false;
  const value = skipOuter(argument);
  const text = ts.isStringLiteralLike(value) ? value.text : ts.isTemplateExpression(value) ? value.head.text
    : ts.isObjectLiteralExpression(value) ? sqlOfConfig(value) : undefined;
  return text !== undefined && /^\s*INSERT\b/i.test(text);
}

/** pg's `query({ text: 'INSERT …', values })`. */
function sqlOfConfig(literal: ts.ObjectLiteralExpression): string | undefined {
  const property = findProperty(literal, 'text');
  const value = property && ts.isPropertyAssignment(property) ? skipOuter(property.initializer) : undefined;
  return value && ts.isStringLiteralLike(value) ? value.text : undefined;
}

/**
 * An awaited read before the create (find/findOne/findUnique/exists/count, a SELECT), or an upsert anywhere in the
 * handler. Reads count whatever their receiver: a model imported from a project file is still a check.
 */
function checkedOrUpsertedBefore(context: RuleContext, fn: FunctionLike, create: ts.CallExpression): boolean {
  const createStart = create.getStart(context.sourceFile);
  let found = false;
  walk(fn, (node) => {
    if (found) return false;
    if (!ts.isCallExpression(node)) return undefined;
    const callee = skipOuter(node.expression);
    const member = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (member === undefined) return undefined;
    if (UPSERT_MEMBERS.has(member)) found = true;
    else if (node.getStart(context.sourceFile) < createStart && (isAwaitedOrReturnedHere(node) || isAwaitedInPromiseAll(node))) {
      if (EXISTENCE_MEMBERS.has(member) || /^(find|exists|count|get)\w*(By|One|Unique|First|Existing)\w*$/.test(member)) found = true;
      else if (QUERY_MEMBERS.has(member) && isSelectSql(node.arguments[0])) found = true;
    }
    return undefined;
  }, { intoFunctions: true });
  return found;
}

function isSelectSql(argument: ts.Expression | undefined): boolean {
  if (!argument) return false;
  const value = skipOuter(argument);
  const text = ts.isStringLiteralLike(value) ? value.text : ts.isTemplateExpression(value) ? value.head.text : undefined;
  return text !== undefined && /^\s*SELECT\b/i.test(text);
}

// ---------------------------------------------------------------------------------------------------------
// The fix: a guard that answers 409 to a key this process has already accepted, and a small in-memory store.

const CLAIM = 'claimIdempotencyKey';

function fixFor(context: RuleContext, fn: FunctionLike, boundary: Boundary): Fix | undefined {
  const body = fn.body;
  if (!body || !ts.isBlock(body) || body.statements.length === 0) return undefined;
  const guard = guardLines(boundary, context);
  if (!guard) return undefined;
  if (/\bidempotencyKey\b/.test(fn.getText(context.sourceFile))) return undefined;
  const nl = newlineOf(context.text);
  const firstStatement = body.statements[0];
  const indent = indentationAt(context.text, firstStatement.getStart(context.sourceFile));
  const onOneLine = context.sourceFile.getLineAndCharacterOfPosition(firstStatement.getStart(context.sourceFile)).line
    === context.sourceFile.getLineAndCharacterOfPosition(body.getStart(context.sourceFile)).line;
  if (onOneLine) return undefined;
  const unit = indentUnit(context.text);
  const guardText = guard.map((line) => `${indent}${line.replace(/\t/g, unit)}${nl}`).join('');
  const at = lineStart(context.text, firstStatement.getStart(context.sourceFile));
  const edits: TextEdit[] = [{ start: at, end: at, newText: guardText }];
  const store = storeEdit(context);
  if (store === null) return undefined;
  if (store) edits.unshift(store);
  return { title: 'Insert an Idempotency-Key guard (409 when this process has already accepted the key)', edits };
}

function lineStart(text: string, position: number): number {
  return text.lastIndexOf('\n', position - 1) + 1;
}

/** The guard for the handler's framework, or undefined when its request/response parameters are not plain names. */
function guardLines(boundary: Boundary, context: RuleContext): string[] | undefined {
  const quote = preferredQuote(context.text);
  const scope = `${boundary.method ?? 'POST'}${boundary.path !== undefined ? ` ${boundary.path}` : ''}:`;
  if (/[\\'"`\n]/.test(scope)) return undefined;
  const keyOf = `${quote}${scope}${quote} + idempotencyKey`;
  const message = `{ error: ${quote}A request with this Idempotency-Key was already received${quote} }`;
  const { request, response, context: ctx } = boundary.params;
  switch (boundary.framework) {
    case 'express':
      if (!request || !response) return undefined;
      return [
        `const idempotencyKey = ${request}.get(${quote}Idempotency-Key${quote});`,
        `if (idempotencyKey && !${CLAIM}(${keyOf})) {`,
        `\t${response}.status(409).json(${message});`,
        '\treturn;',
        '}',
      ];
    case 'koa':
    case 'koa-router':
      if (!ctx) return undefined;
      return [
        `const idempotencyKey = ${ctx}.get(${quote}Idempotency-Key${quote});`,
        `if (idempotencyKey && !${CLAIM}(${keyOf})) {`,
        `\t${ctx}.status = 409;`,
        `\t${ctx}.body = ${message};`,
        '\treturn;',
        '}',
      ];
    case 'fastify':
      if (!request || !response) return undefined;
      return [
        `const idempotencyKey = ${request}.headers[${quote}idempotency-key${quote}];`,
        `if (typeof idempotencyKey === ${quote}string${quote} && !${CLAIM}(${keyOf})) {`,
        `\treturn ${response}.code(409).send(${message});`,
        '}',
      ];
    default:
      return undefined;
  }
}

// Asked per POST handler: the two whole-text scans run once per text.
const existingStore = perText('non-idempotent-create-handler:existingStore', (text): 'declared' | 'name-taken' | undefined => {
  if (new RegExp(`function ${CLAIM}\\b`).test(text)) return 'declared';
  return new RegExp(`\\b(${CLAIM}|idempotencyKeys)\\b`).test(text) ? 'name-taken' : undefined;
});

/**
 * The store, inserted once per file after the imports; undefined when the file already has it, null when the
 * name is taken by something else.
 */
function storeEdit(context: RuleContext): TextEdit | undefined | null {
  const existing = existingStore(context.text);
  if (existing === 'declared') return undefined;
  if (existing === 'name-taken') return null;
  const nl = newlineOf(context.text);
  const unit = indentUnit(context.text);
  const typed = !context.isJavaScript;
  const lines = [
    '// Idempotency-Key values this process has accepted, with their expiry. In memory: per instance and lost on restart;',
    '// with more than one instance, use a shared store instead (e.g. Redis `SET key 1 NX EX 86400`).',
    `const idempotencyKeys = new Map${typed ? '<string, number>' : ''}();`,
    `function ${CLAIM}(key${typed ? ': string' : ''})${typed ? ': boolean' : ''} {`,
    `${unit}const now = Date.now();`,
    `${unit}for (const [seen, expires] of idempotencyKeys) if (expires <= now) idempotencyKeys.delete(seen);`,
    `${unit}if (idempotencyKeys.has(key)) return false;`,
    `${unit}idempotencyKeys.set(key, now + 24 * 60 * 60 * 1000);`,
    `${unit}return true;`,
    '}',
  ];
  const at = importInsertionPoint(context.sourceFile);
  const before = at > 0 ? nl : '';
  return { start: at, end: at, newText: `${before}${lines.join(nl)}${nl}${at > 0 ? '' : nl}` };
}
