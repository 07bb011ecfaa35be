import * as ts from 'typescript';
import type { Fix, Rule, RuleContext } from '../engine/types';
import type { ExternalCall } from '../engine/external';
import { isFunctionLike } from '../engine/external';
import { skipOuter } from '../engine/bindings';
import { calleeText, findConstDeclaration, propertyName } from '../engine/ast';
import { isBrowserCode } from '../engine/environment';
import { usesSemicolons } from '../engine/errorflow';
import {
  collectionLoop, insideTransactionCallback, isOnOneConnection, loopCarriedVariables, loopExits, namesDeclaredIn,
  readsAnyOf, writesIn,
} from '../engine/dataflow';

type MessageId = 'sequential';

/** Loops over chunks, batches or pages are sequential on purpose: they bound the load on the other side. */
const DELIBERATE_BATCHING = /chunk|batch|page/i;

interface LoopVerdict {
  loop: ts.IterationStatement;
  collection: ts.Expression;
  variables: string[];
}

export const awaitInLoop: Rule = {
  meta: {
    id: 'await-in-loop',
    category: 'efficiency',
    defaultSeverity: 'info',
    description: 'An external call awaited once per item of a collection, although the iterations do not depend on each other.',
    hasFix: true,
    scope: 'statement',
    messages: {
      sequential: '`{{callee}}` is awaited once per item of `{{collection}}`: one round trip after another, so the loop takes N times the latency of one call. No iteration needs another\'s result: run them concurrently (`await Promise.all(…map(…))`, bounded with p-limit for large collections) or use a batch call.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    if (!context.external.mayCallOut(context)) return { kinds: {} };
    const judged = new Map<ts.IterationStatement, LoopVerdict | null>();
    return {
      kinds: {
        [ts.SyntaxKind.AwaitExpression]: (node: ts.Node) => {
          const awaited = node as ts.AwaitExpression;
          const loop = enclosingLoop(awaited);
          if (!loop || judged.has(loop)) return;
          const call = externalCallOf(context, awaited);
          if (!call) return;
          if (isBrowserCode(context)) return;
          const verdict = independentLoop(context, loop, call.call, call.external);
          if (!verdict) return;
          judged.set(loop, verdict);
          context.report({
            node: awaited,
            messageId: 'sequential',
            data: { callee: calleeText(call.call, context.sourceFile), collection: shortText(context, verdict.collection) },
            fixes: fixFor(context, verdict, awaited),
          });
        },
      },
    };
  },
};

/** The loop whose body holds this `await`, within the same function; undefined when it sits in a loop header. */
function enclosingLoop(node: ts.Node): ts.IterationStatement | undefined {
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (isFunctionLike(current) || ts.isClassStaticBlockDeclaration(current)) return undefined;
    if (ts.isIterationStatement(current, false)) return current.statement === child ? current : undefined;
  }
  return undefined;
}

function externalCallOf(context: RuleContext, awaited: ts.AwaitExpression): { call: ts.CallExpression; external: ExternalCall } | undefined {
  const value = skipOuter(awaited.expression);
  if (!ts.isCallExpression(value)) return undefined;
  const external = context.external.classify(value) ?? context.external.classifyPromiseChain(value);
  if (!external) return undefined;
  let root: ts.CallExpression = value;
  while (ts.isPropertyAccessExpression(root.expression) && ['then', 'catch', 'finally'].includes(root.expression.name.text)
    && ts.isCallExpression(skipOuter(root.expression.expression))) {
    root = skipOuter(root.expression.expression) as ts.CallExpression;
  }
  return { call: root, external };
}

/**
 * A loop over a collection whose iterations do not depend on each other: no loop-carried variable, no early
 * `break`/`return`/`yield` (first-match searches, retries), no transaction or single connection, no queue publish
 * (message order is the contract), and the awaited call reads the item (else it is the same call N times).
 */
function independentLoop(context: RuleContext, loop: ts.IterationStatement, call: ts.CallExpression, external: ExternalCall): LoopVerdict | undefined {
  const shape = collectionLoop(loop);
  if (!shape) return undefined;
  if (DELIBERATE_BATCHING.test(shape.collection.getText(context.sourceFile)) || shape.variables.some((name) => DELIBERATE_BATCHING.test(name))) return undefined;
  if (external.kind === 'queue' || movesMoney(call, external)) return undefined;
  if (isOnOneConnection(call, external) || insideTransactionCallback(loop)) return undefined;
  const exits = loopExits(loop);
  if (exits.breaks || exits.returns || exits.yields || exits.continueInTry) return undefined;
  if (loopCarriedVariables(loop).length > 0) return undefined;
  const perItem = new Set([...shape.variables, ...namesDeclaredIn(loop.statement)]);
  if (!readsAnyOf(call, perItem)) return undefined;
  return { loop, collection: shape.collection, variables: shape.variables };
}

/**
 * Payments (a payment SDK call, or any call handed an idempotency key) are made one at a time on purpose: a
 * failure stops the run after one charge, not N, and the provider's rate limit is not hit in a burst.
 */
function movesMoney(call: ts.CallExpression, external: ExternalCall): boolean {
  if (external.kind === 'payment') return true;
  return call.arguments.some((argument) => {
    const value = skipOuter(argument);
    return ts.isObjectLiteralExpression(value) && value.properties.some((property) => property.name !== undefined
      && /^idempotency_?key$/i.test(propertyName(property.name) ?? ''));
  });
}

function shortText(context: RuleContext, node: ts.Node): string {
  const text = node.getText(context.sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// ---------------------------------------------------------------------------------------------------------
// Fixes

/**
 * `for (const x of xs) { … }` becomes `await Promise.all(xs.map(async (x) => { … }))` when nothing in the body
 * writes outside it (ordering of side effects would change) and nothing leaves the iteration early. The one
 * writing shape rewritten is `const r = []; for (const x of xs) { r.push(await f(x)); }`: Promise.all keeps order.
 */
function fixFor(context: RuleContext, verdict: LoopVerdict, awaited: ts.AwaitExpression): Fix[] {
  const loop = verdict.loop;
  if (!ts.isForOfStatement(loop) || ts.isLabeledStatement(loop.parent)) return [];
  const initializer = loop.initializer;
  if (!ts.isVariableDeclarationList(initializer) || !(initializer.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) return [];
  const declaration = initializer.declarations[0];
  if (initializer.declarations.length !== 1 || !ts.isIdentifier(declaration.name) || declaration.type) return [];
  const item = declaration.name.text;
  const exits = loopExits(loop);
  if (exits.continues) return [];
  const collected = collectedResultsFix(context, loop, item, awaited);
  if (collected) return [collected];
  const inside = namesDeclaredIn(loop.statement);
  inside.add(item);
  if (writesIn(loop.statement).some((write) => !inside.has(write.name))) return [];
  const terminator = usesSemicolons(context) ? ';' : '';
  const body = ts.isBlock(loop.statement) ? loop.statement.getText(context.sourceFile) : `{ ${loop.statement.getText(context.sourceFile)} }`;
  const newText = `await Promise.all(${mapOver(context, loop.expression)}(async (${item}) => ${body}))${terminator}`;
  return [{
    title: 'Run the iterations concurrently with Promise.all',
    edits: [{ start: loop.getStart(context.sourceFile), end: loop.getEnd(), newText }],
  }];
}

/** `const r = []; for (const x of xs) { r.push(await f(x)); }` → `const r = await Promise.all(xs.map(async (x) => f(x)));` */
function collectedResultsFix(context: RuleContext, loop: ts.ForOfStatement, item: string, awaited: ts.AwaitExpression): Fix | undefined {
  const body = loop.statement;
  const only = ts.isBlock(body) ? (body.statements.length === 1 ? body.statements[0] : undefined) : body;
  if (!only || !ts.isExpressionStatement(only)) return undefined;
  const push = skipOuter(only.expression);
  if (!ts.isCallExpression(push) || push.arguments.length !== 1) return undefined;
  let argument: ts.Expression = push.arguments[0];
  while (ts.isParenthesizedExpression(argument)) argument = argument.expression;
  if (argument !== awaited) return undefined;
  if (!ts.isPropertyAccessExpression(push.expression) || push.expression.name.text !== 'push' || !ts.isIdentifier(push.expression.expression)) return undefined;
  const results = push.expression.expression.text;
  const previous = previousStatement(loop);
  if (!previous || !ts.isVariableStatement(previous) || previous.declarationList.declarations.length !== 1) return undefined;
  const declaration = previous.declarationList.declarations[0];
  const init = declaration.initializer && skipOuter(declaration.initializer);
  if (!ts.isIdentifier(declaration.name) || declaration.name.text !== results || !init || !ts.isArrayLiteralExpression(init) || init.elements.length > 0) return undefined;
  if (readsAnyOf(awaited.expression, [results]) || readsAnyOf(loop.expression, [results])) return undefined;
  if (hasCommentBetween(context, previous.getEnd(), loop.getStart(context.sourceFile))) return undefined;
  const keyword = previous.declarationList.flags & ts.NodeFlags.Const ? 'const' : previous.declarationList.flags & ts.NodeFlags.Let ? 'let' : undefined;
  if (!keyword) return undefined;
  const type = declaration.type ? `: ${declaration.type.getText(context.sourceFile)}` : '';
  const terminator = usesSemicolons(context) ? ';' : '';
  const call = awaited.expression.getText(context.sourceFile);
  const newText = `${keyword} ${results}${type} = await Promise.all(${mapOver(context, loop.expression)}(async (${item}) => ${call}))${terminator}`;
  return {
    title: 'Collect the results with Promise.all (order is kept)',
    edits: [{ start: previous.getStart(context.sourceFile), end: loop.getEnd(), newText }],
  };
}

function previousStatement(statement: ts.Statement): ts.Statement | undefined {
  const parent = statement.parent;
  if (!ts.isBlock(parent) && !ts.isSourceFile(parent) && !ts.isCaseClause(parent) && !ts.isDefaultClause(parent)) return undefined;
  const statements = parent.statements;
  const index = statements.indexOf(statement);
  return index > 0 ? statements[index - 1] : undefined;
}

function hasCommentBetween(context: RuleContext, from: number, to: number): boolean {
  return /\/[/*]/.test(context.text.slice(from, to));
}

/** `xs.map`, or `Array.from(xs).map` when the collection may be a Set, Map, generator or other iterable. */
function mapOver(context: RuleContext, collection: ts.Expression): string {
  const text = collection.getText(context.sourceFile);
  if (isKnownArray(collection)) {
    const simple = ts.isIdentifier(collection) || ts.isPropertyAccessExpression(collection) || ts.isElementAccessExpression(collection)
      || ts.isCallExpression(collection) || ts.isArrayLiteralExpression(collection) || ts.isParenthesizedExpression(collection);
    return simple ? `${text}.map` : `(${text}).map`;
  }
  return `Array.from(${text}).map`;
}

const ARRAY_RETURNING_METHODS: ReadonlySet<string> = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'sort', 'split', 'reverse', 'toSorted', 'toReversed']);

/** Written so that it is an array: a literal, `Object.keys/values/entries`, `Array.from`, an array method, or a name declared as one. */
function isKnownArray(expression: ts.Expression): boolean {
  const value = skipOuter(expression);
  if (ts.isArrayLiteralExpression(value)) return true;
  if (ts.isCallExpression(value)) {
    const callee = skipOuter(value.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const owner = callee.expression;
    if (ts.isIdentifier(owner) && (owner.text === 'Object' || owner.text === 'Array')) return ['keys', 'values', 'entries', 'from', 'of'].includes(callee.name.text);
    return ARRAY_RETURNING_METHODS.has(callee.name.text);
  }
  if (ts.isIdentifier(value)) {
    const declared = declaredType(value);
    if (declared) return isArrayType(declared);
    const declaration = findConstDeclaration(value);
    return declaration?.initializer !== undefined && declaration.initializer !== expression && isKnownArray(declaration.initializer);
  }
  return false;
}

/** The type annotation of a parameter or variable the identifier names, searched outward through functions. */
function declaredType(identifier: ts.Identifier): ts.TypeNode | undefined {
  for (let current: ts.Node | undefined = identifier.parent; current; current = current.parent) {
    if (isFunctionLike(current)) {
      const parameter = current.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === identifier.text);
      if (parameter) return parameter.type;
    }
    if (ts.isBlock(current) || ts.isSourceFile(current)) {
      let found: ts.TypeNode | undefined;
      for (const statement of current.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text && declaration.type) found = declaration.type;
        }
      }
      if (found) return found;
    }
  }
  return undefined;
}

function isArrayType(type: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return isArrayType(type.type);
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && (type.typeName.text === 'Array' || type.typeName.text === 'ReadonlyArray');
}
