import * as ts from 'typescript';
import { skipOuter } from './bindings';
import { isFunctionLike, type FunctionLike } from './external';
import { IDENTIFIER } from './kinds';

/** Small questions about syntax that several rules ask. */

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** The property of an object literal with that name (plain, shorthand or method). */
export function findProperty(literal: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return literal.properties.find((property) => property.name !== undefined && propertyName(property.name) === name);
}

export function hasSpread(literal: ts.ObjectLiteralExpression): boolean {
  return literal.properties.some((property) => ts.isSpreadAssignment(property));
}

/** The value a property holds when written `name: value` or shorthand `name`. */
export function propertyValue(property: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}

/** The closest function around a node, or undefined at module level. */
export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/**
 * Resolves an identifier to the object literal it was declared with (`const options = { ... }`) when the
 * declaration is a `const` in the same file and visible from the use; undefined when it cannot tell.
 */
export function constObjectLiteral(identifier: ts.Identifier): ts.ObjectLiteralExpression | undefined {
  const declaration = findConstDeclaration(identifier);
  const init = declaration?.initializer && skipOuter(declaration.initializer);
  return init && ts.isObjectLiteralExpression(init) ? init : undefined;
}

/** The `const` declaration of a name in an enclosing block or the file, searched outward from the use. */
export function findConstDeclaration(identifier: ts.Identifier): ts.VariableDeclaration | undefined {
  const name = identifier.text;
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    const statements = ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) ? scope.statements
      : ts.isCaseClause(scope) || ts.isDefaultClause(scope) ? scope.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (!ts.isVariableStatement(statement)) continue;
      if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration;
      }
    }
  }
  return undefined;
}

/** Whether a call's promise is consumed here: awaited, returned, or yielded (through parentheses). */
export function isAwaitedOrReturned(node: ts.Expression): boolean {
  const parent = outerExpression(node).parent;
  return ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === outerExpression(node));
}

/** Climbs parentheses, type assertions and non-null assertions around an expression. */
export function outerExpression(node: ts.Expression): ts.Expression {
  let current: ts.Expression = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent)
    || ts.isNonNullExpression(current.parent) || ts.isSatisfiesExpression(current.parent) || ts.isTypeAssertionExpression(current.parent))) {
    current = current.parent;
  }
  return current;
}

/** The name a callee is written with, for messages: `axios.get`, `this.http.post`, `fetch`. */
export function calleeText(call: ts.CallExpression, sourceFile: ts.SourceFile): string {
  const text = call.expression.getText(sourceFile).replace(/\s+/g, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Visits every node under `root` (iteratively), skipping nested functions unless asked. */
export function walk(root: ts.Node, visit: (node: ts.Node) => boolean | void, options: { intoFunctions?: boolean } = {}): void {
  const intoFunctions = options.intoFunctions === true;
  const stack: ts.Node[] = [root];
  const push = (child: ts.Node): void => { stack.push(child); };
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    if (node !== root && !intoFunctions && isFunctionLike(node)) continue;
    if (visit(node) === false) continue;
    pushChildrenInOrder(node, stack, push);
  }
}

/**
 * Pushes a node's children so that popping visits them first to last: straight onto the stack, then that segment
 * reversed (no array or closure per node; `push` is the caller's one closure over `stack`).
 */
export function pushChildrenInOrder(node: ts.Node, stack: ts.Node[], push: (child: ts.Node) => void): void {
  const first = stack.length;
  ts.forEachChild(node, push);
  for (let low = first, high = stack.length - 1; low < high; low++, high--) {
    const swap = stack[low];
    stack[low] = stack[high];
    stack[high] = swap;
  }
}

/**
 * The identifier `name` written at `position` under `root` (found by descending through the children that span
 * the position, not by walking the tree); undefined when the text there is part of a comment, a string or a
 * longer name.
 */
export function identifierAt(root: ts.Node, position: number, name: string): ts.Identifier | undefined {
  const spans = (child: ts.Node): ts.Node | undefined => (child.pos <= position && position < child.end ? child : undefined);
  let node = root;
  for (let child = ts.forEachChild(node, spans); child; child = ts.forEachChild(node, spans)) node = child;
  return node.kind === IDENTIFIER && node.end === position + name.length && (node as ts.Identifier).text === name
    ? node as ts.Identifier : undefined;
}

/**
 * A member name's text for looking it up in a set of names that do not start with `__`: its `escapedText`, which
 * equals `text` except for names starting with `__`, read without the `text` getter's calls (asked per call).
 */
export function lookupName(name: ts.MemberName): string {
  return name.escapedText as string;
}

/** `catch (e) { throw e; }`: nothing handled, nothing recorded. */
export function isBareRethrow(clause: ts.CatchClause): boolean {
  const statements = clause.block.statements;
  const variable = clause.variableDeclaration?.name;
  if (statements.length !== 1 || !variable || !ts.isIdentifier(variable)) return false;
  const only = statements[0];
  if (!ts.isThrowStatement(only) || !only.expression) return false;
  const thrown = skipOuter(only.expression);
  return ts.isIdentifier(thrown) && thrown.text === variable.text;
}

/** `x.then(f).finally(g)` → `x`; undefined when the chain handles the rejection (`.catch`, two-argument `.then`). */
export function promiseChainRootUnlessHandled(call: ts.CallExpression): ts.CallExpression | undefined {
  let current: ts.CallExpression = call;
  for (;;) {
    const callee = skipOuter(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) return current;
    const member = callee.name.text;
    if (member === 'catch' || (member === 'then' && current.arguments.length >= 2)) return undefined;
    if (member !== 'then' && member !== 'finally') return current;
    const receiver = skipOuter(callee.expression);
    if (!ts.isCallExpression(receiver)) return undefined;
    current = receiver;
  }
}
