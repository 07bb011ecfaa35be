import * as ts from 'typescript';
import { skipOuter, type Binding } from './bindings';
import { isFunctionLike, memberChain, type ExternalCall } from './external';
import { walk } from './ast';
import { isValueReference } from './errorflow';

/**
 * Identifier-level data flow inside one function body: which names a statement declares and reads, which
 * variables a loop carries from one iteration to the next, and whether an external call reads or writes, and
 * what. Approximate by design: names, not symbols (a shadowing inner declaration counts as the outer name), and
 * every approximation errs toward "dependent", so rules built on it stay silent when unsure.
 */

/** Every name a binding pattern declares: `a`, `{ data: rows }` gives `rows`, `[first, ...rest]`. */
export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) names.push(...bindingNames(element.name));
  }
  return names;
}

/** Names a statement introduces in its block: variables, functions, classes. */
export function declaredBy(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text];
  return [];
}

/** Every name declared anywhere under `root` (variables, parameters, catch bindings, functions, classes), nested functions included. */
export function namesDeclaredIn(root: ts.Node): Set<string> {
  const names = new Set<string>();
  walk(root, (node) => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) for (const name of bindingNames(node.name)) names.add(name);
    else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isFunctionExpression(node)) && node.name) names.add(node.name.text);
    return undefined;
  }, { intoFunctions: true });
  return names;
}

/** Names read under `root`, closures included: `user.id` reads `user`, `{ user }` reads `user`, `() => user` reads `user`. */
export function namesReadIn(root: ts.Node): Set<string> {
  const names = new Set<string>();
  walk(root, (node) => {
    if (ts.isIdentifier(node) && isValueReference(node)) names.add(node.text);
    else if (ts.isShorthandPropertyAssignment(node)) names.add(node.name.text);
    return undefined;
  }, { intoFunctions: true });
  return names;
}

export function readsAnyOf(root: ts.Node, names: ReadonlySet<string> | readonly string[]): boolean {
  const set = names instanceof Set ? names : new Set(names as readonly string[]);
  if (set.size === 0) return false;
  for (const name of namesReadIn(root)) if (set.has(name)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Writes

const ASSIGNMENT_OPERATORS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken, ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken, ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, ts.SyntaxKind.AmpersandEqualsToken, ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Methods that change the object they are called on (arrays, maps, sets). */
const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'push', 'unshift', 'pop', 'shift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear', 'append',
]);

export interface Write {
  /** The variable written, or the root of the object whose property is written / mutated. */
  name: string;
  /** `x = …`, `x += …`, `x++` write the variable; `x.y = …`, `x.push(…)` change the object it holds. */
  kind: 'variable' | 'object';
  node: ts.Node;
}

/** Variable assignments and object mutations under `root`, nested functions included. */
export function writesIn(root: ts.Node): Write[] {
  const writes: Write[] = [];
  const addTarget = (target: ts.Expression, node: ts.Node): void => {
    const value = skipOuter(target);
    if (ts.isIdentifier(value)) writes.push({ name: value.text, kind: 'variable', node });
    else if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) {
      const root = rootIdentifier(value);
      if (root) writes.push({ name: root, kind: 'object', node });
    } else if (ts.isArrayLiteralExpression(value)) {
      for (const element of value.elements) addTarget(ts.isSpreadElement(element) ? element.expression : element, node);
    } else if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (ts.isShorthandPropertyAssignment(property)) writes.push({ name: property.name.text, kind: 'variable', node });
        else if (ts.isPropertyAssignment(property)) addTarget(property.initializer, node);
        else if (ts.isSpreadAssignment(property)) addTarget(property.expression, node);
      }
    }
  };
  walk(root, (node) => {
    if (ts.isBinaryExpression(node) && ASSIGNMENT_OPERATORS.has(node.operatorToken.kind)) addTarget(node.left, node);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) addTarget(node.operand, node);
    else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) addTarget(node.initializer, node);
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MUTATING_METHODS.has(node.expression.name.text)) {
      const rootName = rootIdentifier(node.expression.expression);
      if (rootName) writes.push({ name: rootName, kind: 'object', node });
    }
    return undefined;
  }, { intoFunctions: true });
  return writes;
}

/** The identifier a member chain starts from (`a` for `a.b[c].d`), undefined for `this` or a call result. */
export function rootIdentifier(expression: ts.Expression): string | undefined {
  let current = skipOuter(expression);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuter(current.expression);
  return ts.isIdentifier(current) ? current.text : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Loops

export type CollectionLoop = ts.ForOfStatement | ts.ForInStatement | ts.ForStatement;

/**
 * Variables declared outside the loop that one iteration writes and a later one reads: `cursor = page.next`,
 * `if (found) …`, `last = item`. Pure accumulators (`count++`, `total += n`, `sum = sum + n`) are not carried:
 * no iteration needs another's value to start.
 */
export function loopCarriedVariables(loop: ts.IterationStatement): string[] {
  const inside = namesDeclaredIn(loop);
  const writes = writesIn(loop.statement).filter((write) => write.kind === 'variable' && !inside.has(write.name));
  const carried = new Set<string>();
  for (const name of new Set(writes.map((write) => write.name))) {
    if (readOutsideSelfUpdate(loop, name)) carried.add(name);
  }
  return [...carried];
}

function readOutsideSelfUpdate(loop: ts.IterationStatement, name: string): boolean {
  let read = false;
  walk(loop, (node) => {
    if (read) return false;
    if (ts.isIdentifier(node) && node.text === name && isValueReference(node) && !isSelfUpdateRead(node)) read = true;
    else if (ts.isShorthandPropertyAssignment(node) && node.name.text === name && !isAssignmentTarget(node)) read = true;
    return undefined;
  }, { intoFunctions: true });
  return read;
}

/** `x` in `x++`, `x += n` (n not reading x), `x = x + n`, or the plain target of `x = …`. */
function isSelfUpdateRead(identifier: ts.Identifier): boolean {
  const name = identifier.text;
  let node: ts.Node = identifier;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent))
    && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  if (ts.isBinaryExpression(parent) && parent.left === node && ASSIGNMENT_OPERATORS.has(parent.operatorToken.kind)) {
    return parent.operatorToken.kind === ts.SyntaxKind.EqualsToken || !readsAnyOf(parent.right, [name]);
  }
  // `x = x + n`: x as a direct operand of an arithmetic right-hand side of an assignment to x.
  if (ts.isBinaryExpression(parent) && parent.left === node && !ASSIGNMENT_OPERATORS.has(parent.operatorToken.kind)) {
    const assignment = parent.parent;
    return ts.isBinaryExpression(assignment) && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken
      && assignment.right === parent && ts.isIdentifier(skipOuter(assignment.left)) && (skipOuter(assignment.left) as ts.Identifier).text === name
      && !readsAnyOf(parent.right, [name]);
  }
  return false;
}

function isAssignmentTarget(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isBinaryExpression(current)) return current.operatorToken.kind === ts.SyntaxKind.EqualsToken && isInside(node, current.left);
    if (!ts.isObjectLiteralExpression(current) && !ts.isArrayLiteralExpression(current) && !ts.isPropertyAssignment(current)) return false;
  }
  return false;
}

export function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** How control leaves an iteration early: `break`/`continue` aimed at this loop, `return`, `yield`. */
export interface LoopExits {
  breaks: boolean;
  continues: boolean;
  returns: boolean;
  yields: boolean;
  /** `continue` inside a try block: "on success, go round again", the shape of a retry loop. */
  continueInTry: boolean;
}

export function loopExits(loop: ts.IterationStatement): LoopExits {
  const exits: LoopExits = { breaks: false, continues: false, returns: false, yields: false, continueInTry: false };
  const label = ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined;
  walk(loop.statement, (node) => {
    if (ts.isReturnStatement(node)) exits.returns = true;
    else if (ts.isYieldExpression(node)) exits.yields = true;
    else if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) {
      if (jumpTarget(node, label) !== loop) return undefined;
      if (ts.isBreakStatement(node)) exits.breaks = true;
      else {
        exits.continues = true;
        if (insideTryBlock(node, loop)) exits.continueInTry = true;
      }
    }
    return undefined;
  });
  return exits;
}

/** The loop or switch a `break`/`continue` leaves. */
function jumpTarget(jump: ts.BreakStatement | ts.ContinueStatement, loopLabel: string | undefined): ts.Node | undefined {
  if (jump.label) {
    if (jump.label.text !== loopLabel) return undefined;
    for (let current = jump.parent; current; current = current.parent) {
      if (ts.isLabeledStatement(current) && current.label.text === jump.label.text) return current.statement;
    }
    return undefined;
  }
  for (let current = jump.parent; current; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return current;
    if (ts.isSwitchStatement(current) && ts.isBreakStatement(jump)) return current;
    if (isFunctionLike(current)) return undefined;
  }
  return undefined;
}

function insideTryBlock(node: ts.Node, until: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent && current !== until; current = current.parent) {
    if (ts.isTryStatement(current.parent) && current.parent.tryBlock === current) return true;
  }
  return false;
}

/**
 * The loop variable names and the collection of a loop over a collection: `for (const x of xs)`, `for (const k in o)`,
 * `for (let i = 0; i < xs.length; i++)`. Undefined for other loops (pagination, polling, attempts, `i += 100` batches).
 */
export function collectionLoop(loop: ts.IterationStatement): { variables: string[]; collection: ts.Expression } | undefined {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
    if (ts.isForOfStatement(loop) && loop.awaitModifier) return undefined;
    const initializer = loop.initializer;
    const variables = ts.isVariableDeclarationList(initializer)
      ? initializer.declarations.flatMap((declaration) => bindingNames(declaration.name))
      : ts.isIdentifier(initializer) ? [initializer.text] : [];
    return variables.length > 0 ? { variables, collection: loop.expression } : undefined;
  }
  if (!ts.isForStatement(loop) || !loop.initializer || !loop.condition || !loop.incrementor) return undefined;
  const initializer = loop.initializer;
  if (!ts.isVariableDeclarationList(initializer) || initializer.declarations.length !== 1) return undefined;
  const declaration = initializer.declarations[0];
  if (!ts.isIdentifier(declaration.name)) return undefined;
  const index = declaration.name.text;
  const condition = skipOuter(loop.condition);
  if (!ts.isBinaryExpression(condition) || !isIdentifierNamed(condition.left, index)) return undefined;
  if (condition.operatorToken.kind !== ts.SyntaxKind.LessThanToken) return undefined;
  const bound = skipOuter(condition.right);
  if (!ts.isPropertyAccessExpression(bound) || bound.name.text !== 'length') return undefined;
  return isStepOfOne(loop.incrementor, index) ? { variables: [index], collection: bound.expression } : undefined;
}

function isIdentifierNamed(expression: ts.Expression, name: string): boolean {
  const value = skipOuter(expression);
  return ts.isIdentifier(value) && value.text === name;
}

function isStepOfOne(incrementor: ts.Expression, index: string): boolean {
  const value = skipOuter(incrementor);
  if ((ts.isPostfixUnaryExpression(value) || ts.isPrefixUnaryExpression(value)) && value.operator === ts.SyntaxKind.PlusPlusToken) {
    return isIdentifierNamed(value.operand, index);
  }
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) {
    return isIdentifierNamed(value.left, index) && ts.isNumericLiteral(value.right) && value.right.text === '1';
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Transactions, sessions and single connections

const TRANSACTION_CALL = /^(\$transaction|transaction|transact|withTransaction|runTransaction|startTransaction|serializable|tx)$/i;
const TRANSACTION_RECEIVER = /^(tx|trx|transaction|session|queryRunner|manager|entityManager|conn|connection)$/;
const TRANSACTION_OPTION = /^(transaction|session|trx|tx)$/;

/** Inside a callback handed to `prisma.$transaction(…)`, `sequelize.transaction(…)`, `knex.transaction(…)`, `session.withTransaction(…)`. */
export function insideTransactionCallback(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const call = current.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(current as ts.Expression)) continue;
    const chain = memberChain(call.expression);
    const name = chain ? (chain.path.length > 0 ? chain.path[chain.path.length - 1] : chain.root) : undefined;
    if (name && TRANSACTION_CALL.test(name)) return true;
  }
  return false;
}

/**
 * A call made on one connection, session or transaction, where order is the point and concurrency buys nothing:
 * a `tx`/`trx`/`session`/`queryRunner` receiver, `{ transaction: t }` / `{ session }` options, or a client that is
 * one connection (`await pool.connect()`, `pool.getConnection()`, `mysql.createConnection()`, `new pg.Client()`).
 */
export function isOnOneConnection(call: ts.CallExpression, external: ExternalCall): boolean {
  const chain = memberChain(call.expression);
  const root = chain?.root.replace(/^this\./, '');
  if (root && TRANSACTION_RECEIVER.test(root)) return true;
  if (chain?.path.some((name) => TRANSACTION_RECEIVER.test(name))) return true;
  if (call.arguments.some(passesTransaction)) return true;
  return isSingleConnection(external.binding);
}

function passesTransaction(argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  if (!ts.isObjectLiteralExpression(value)) return false;
  return value.properties.some((property) => property.name !== undefined && ts.isIdentifier(property.name) && TRANSACTION_OPTION.test(property.name.text));
}

const CONNECTION_FACTORIES: ReadonlySet<string> = new Set(['connect', 'getConnection', 'createConnection']);
const SQL_MODULES: ReadonlySet<string> = new Set(['pg', 'mysql', 'mysql2', 'mysql2/promise']);

export function isSingleConnection(binding: Binding | undefined): boolean {
  for (let current = binding; current; current = current.parent) {
    if (!current.isInstance || !SQL_MODULES.has(current.module)) continue;
    const creation = current.creation;
    if (!creation) continue;
    if (ts.isNewExpression(creation)) {
      const callee = skipOuter(creation.expression);
      const name = ts.isIdentifier(callee) ? current.parent?.imported : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name === 'Client') return true;
      continue;
    }
    const callee = skipOuter(creation.expression);
    if (ts.isPropertyAccessExpression(callee) && CONNECTION_FACTORIES.has(callee.name.text)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// What a call reads or writes

const READ_METHOD = /^(get|find|fetch|list|retrieve|search|select|count|read|load|query|lookup|exists|describe|aggregate|distinct|head|scan|mget|mGet|hget|hGet|hgetall|hGetAll|hmget|hmGet|hkeys|hKeys|hvals|hVals|smembers|sMembers|sismember|sIsMember|lrange|lRange|zrange|zRange|zrangebyscore|zRangeByScore|zscore|zScore|ttl|first|pluck|paginate)([A-Z_]\w*)?$/;
/** Parts of a read-named method that still write: `getOrCreate`, `findOneAndUpdate`, `fetchAndLock`. */
const WRITE_WORD = /(Create|Update|Upsert|Delete|Remove|Insert|Save|Set|Lock|Increment|Decrement|Modify|Replace|Pop|Add)/;
/** Members that make a call or a query builder write (`knex('t').where(…).update(…)`, `redis.multi().set(…)`). */
const WRITE_MEMBER = /^(insert|update|upsert|delete|del|remove|save|create|destroy|truncate|increment|decrement|incr|decr|merge|set|hset|mset|put|post|patch|send|publish|expire|push|lpush|rpush|sadd|zadd|lock|invoke)/i;
const SQL_METHODS: ReadonlySet<string> = new Set(['query', 'execute', 'raw', '$queryRawUnsafe']);
const HTTP_READ_METHODS: ReadonlySet<string> = new Set(['get', 'head', 'options']);

export interface CallAccess {
  read: boolean;
  /** What the call acts on, as text: `prisma.user`, `redis:sessionKey(id)`, `pool:users`; calls on the same one stay in order. */
  resource?: string;
}

/**
 * Whether an external call only reads, judged from the client's own API: HTTP GET/HEAD (`fetch` with no method or
 * `method: 'GET'`, `axios.get`, `got.get`), the first verb of the call chain being a read (`findMany`, `findOne`,
 * `get`, `hgetall`, `count`, `find(…).lean()`) with no write after it, or SQL starting with SELECT. Anything the rule
 * cannot read as a read is a write.
 */
export function callAccess(call: ts.CallExpression, external: ExternalCall, sourceFile: ts.SourceFile): CallAccess {
  if (external.kind === 'http') {
    const path = external.path;
    return { read: isHttpRead(call, external, path[path.length - 1]), resource: `http:${argumentText(call, sourceFile)}` };
  }
  const calls = calledMembers(call);
  const verbIndex = calls.findIndex(({ name }) => READ_METHOD.test(name) || WRITE_MEMBER.test(name) || SQL_METHODS.has(name));
  if (verbIndex < 0) return { read: false };
  const { name: verb, call: verbCall } = calls[verbIndex];
  const receiver = (skipOuter(verbCall.expression) as ts.PropertyAccessExpression).expression.getText(sourceFile).replace(/\s+/g, '');
  const laterWrite = calls.slice(verbIndex + 1).some(({ name }) => WRITE_MEMBER.test(name));
  if (SQL_METHODS.has(verb)) {
    const sql = sqlText(verbCall.arguments[0]);
    const read = sql !== undefined && !laterWrite && /^\s*(\(\s*)?(select|show|explain)\b/i.test(sql) && !/\b(insert|update|delete|for\s+update|nextval)\b/i.test(sql);
    const table = sql !== undefined ? /\bfrom\s+([\w."]+)/i.exec(sql)?.[1] : undefined;
    return { read, resource: `${receiver}:${table ?? sql ?? argumentText(verbCall, sourceFile)}` };
  }
  const rest = READ_METHOD.exec(verb)?.[2] ?? '';
  const read = READ_METHOD.test(verb) && !WRITE_WORD.test(rest) && !laterWrite;
  const key = external.kind === 'cache' ? `:${argumentText(verbCall, sourceFile)}` : '';
  return { read, resource: `${receiver}${key}` };
}

/** The first argument's text with runs of whitespace as one space, or '' (read only where a resource needs it). */
function argumentText(call: ts.CallExpression, sourceFile: ts.SourceFile): string {
  return call.arguments[0] ? call.arguments[0].getText(sourceFile).replace(/\s+/g, ' ') : '';
}

/** The members called along a chain, innermost first: `User.find(q).lean()` gives `find`, `lean`. */
function calledMembers(call: ts.CallExpression): { name: string; call: ts.CallExpression }[] {
  const members: { name: string; call: ts.CallExpression }[] = [];
  let current: ts.Expression = call;
  for (;;) {
    current = skipOuter(current);
    if (ts.isCallExpression(current)) {
      const callee = skipOuter(current.expression);
      if (ts.isPropertyAccessExpression(callee)) members.unshift({ name: callee.name.text, call: current });
      current = callee;
    } else if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
      current = current.expression;
    } else {
      return members;
    }
  }
}

function isHttpRead(call: ts.CallExpression, external: ExternalCall, method: string | undefined): boolean {
  if (method !== undefined) return HTTP_READ_METHODS.has(method);
  const style = external.knowledge.http;
  if (style !== 'fetch' && style !== 'undici-request' && style !== 'got' && style !== 'ky' && style !== 'axios') return false;
  const options = style === 'axios' && call.arguments.length === 1 ? call.arguments[0] : call.arguments[1];
  if (call.arguments.length === 1 && style !== 'axios') {
    // `fetch(url)` is a GET unless the argument is a prepared `Request`: only URLs written as strings count.
    const url = skipOuter(call.arguments[0]);
    return ts.isStringLiteralLike(url) || ts.isTemplateExpression(url) || ts.isBinaryExpression(url);
  }
  if (!options) return false;
  const literal = skipOuter(options);
  if (!ts.isObjectLiteralExpression(literal)) return false;
  if (literal.properties.some((property) => ts.isSpreadAssignment(property))) return false;
  const methodProperty = literal.properties.find((property) => property.name !== undefined && ts.isIdentifier(property.name) && property.name.text === 'method');
  if (!methodProperty) return true;
  if (!ts.isPropertyAssignment(methodProperty)) return false;
  const value = skipOuter(methodProperty.initializer);
  return ts.isStringLiteralLike(value) && HTTP_READ_METHODS.has(value.text.toLowerCase());
}

function sqlText(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const value = skipOuter(argument);
  if (ts.isStringLiteralLike(value)) return value.text;
  if (ts.isTemplateExpression(value)) return value.head.text;
  if (ts.isTaggedTemplateExpression(value)) {
    const template = value.template;
    return ts.isNoSubstitutionTemplateLiteral(template) ? template.text : template.head.text;
  }
  if (ts.isObjectLiteralExpression(value)) {
    const text = value.properties.find((property) => property.name !== undefined && ts.isIdentifier(property.name) && property.name.text === 'text');
    return text && ts.isPropertyAssignment(text) ? sqlText(text.initializer) : undefined;
  }
  return undefined;
}
