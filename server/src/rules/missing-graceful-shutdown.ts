import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import type { Binding } from '../engine/bindings';
import { skipOuter } from '../engine/bindings';
import { isFunctionLike, type FunctionLike } from '../engine/external';
import { walk } from '../engine/ast';
import { indentUnit, indentationAt, newlineOf } from '../engine/fixkit';
import { APP_FACTORY_MODULES, HTTP_FRAMEWORKS, httpAppOf } from '../engine/frameworks';

type MessageId = 'node' | 'fastify' | 'nestjs';
type ServerKind = 'node' | 'fastify' | 'nestjs';

/** Modules whose servers come from `createServer`. */
const NODE_SERVER_MODULES: readonly string[] = ['http', 'https', 'http2'];
/** Every server start this rule finds is of an app, a plugin's app, a Node server or a Nest app made from these. */
const SERVER_MODULES: ReadonlySet<string> = new Set([
  ...APP_FACTORY_MODULES, ...HTTP_FRAMEWORKS.flatMap((framework) => framework.pluginRegistration?.wrapperModules ?? []),
  ...NODE_SERVER_MODULES, '@nestjs/core',
]);
/** Libraries that install signal handlers and drain a server. */
const SHUTDOWN_MODULES: readonly string[] = [
  '@godaddy/terminus', 'http-terminator', 'stoppable', 'close-with-grace', 'http-graceful-shutdown', 'lightship',
  'fastify-graceful-shutdown', '@fastify/graceful-shutdown', 'node-graceful-shutdown', 'graceful-shutdown', 'death', 'signal-exit',
];
/** A project helper named for the job (`import { registerShutdown } from './lifecycle'`). */
const SHUTDOWN_NAME = /shutdown|graceful|terminat|lifecycle/i;
const SIGNALS = new Set(['SIGTERM', 'SIGINT']);
const DEADLINE_MS = '10_000';

/** How to close a client the file created, by module. */
const CLOSERS: readonly { modules: readonly string[]; instance: boolean; member: string }[] = [
  { modules: ['pg'], instance: true, member: 'end' },
  { modules: ['mysql', 'mysql2', 'mysql2/promise'], instance: true, member: 'end' },
  { modules: ['redis', 'ioredis'], instance: true, member: 'quit' },
  { modules: ['@prisma/client'], instance: true, member: '$disconnect' },
  { modules: ['knex'], instance: true, member: 'destroy' },
  { modules: ['sequelize'], instance: true, member: 'close' },
  { modules: ['mongodb'], instance: true, member: 'close' },
  { modules: ['mongoose'], instance: false, member: 'disconnect' },
];

interface ServerStart {
  call: ts.CallExpression;
  kind: ServerKind;
}

export const missingGracefulShutdown: Rule = {
  meta: {
    id: 'missing-graceful-shutdown',
    category: 'operability',
    defaultSeverity: 'info',
    description: 'A server started with `listen` in a file that has no SIGTERM/SIGINT handler closing it.',
    hasFix: true,
    // A listen call against a shutdown handler anywhere in the file.
    scope: 'file',
    messages: {
      node: 'This server starts listening here, and nothing in this file handles SIGTERM/SIGINT: on every deploy or scale-down the process is killed with requests in flight (clients see resets and 502s) and pools are never closed. Stop accepting, drain with a deadline, close pools, then exit.',
      fastify: 'This Fastify server starts listening here, and nothing in this file handles SIGTERM/SIGINT: on every deploy or scale-down the process is killed with requests in flight and `onClose` hooks never run. Call `app.close()` on the signal, with a deadline.',
      nestjs: 'This NestJS app starts listening here without `app.enableShutdownHooks()`: on SIGTERM the process dies without running `onModuleDestroy`/`beforeApplicationShutdown`, so connections and pools are dropped mid-request.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    if (!context.external.mayBindModule(context, SERVER_MODULES)) return { kinds: {} };
    const starts: ServerStart[] = [];
    return {
      kinds: {
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => {
          const call = node as ts.CallExpression;
          if (!isListenCall(call)) return false;
          const kind = serverListenKind(call, context);
          if (kind && !startedOutOfView(call)) starts.push({ call, kind });
          return true;
        },
      },
      onEnd: () => {
        if (starts.length === 0 || fileHandlesShutdown(context)) return;
        const first = starts[0];
        const fix = fixFor(context, first);
        context.report({ node: first.call, messageId: first.kind, fixes: fix ? [fix] : [] });
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// What is a server being started

/** `x.listen(...)`, however wrapped (`(app as any).listen`): the only calls that start a server. */
function isListenCall(call: ts.CallExpression): boolean {
  // Asked about every call: a plain `x.y(...)` callee (nothing for skipOuter to strip) is judged by its name first.
  const written = call.expression;
  if (ts.isPropertyAccessExpression(written) && written.name.text !== 'listen') return false;
  const callee = skipOuter(written);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'listen';
}

function serverListenKind(call: ts.CallExpression, context: RuleContext): ServerKind | undefined {
  if (!isListenCall(call)) return undefined;
  const receiver = skipOuter((skipOuter(call.expression) as ts.PropertyAccessExpression).expression);
  const app = httpAppOf(receiver, context);
  if (app) {
    if (app.role !== 'app' || app.framework === 'hono') return undefined;
    return app.framework === 'fastify' ? 'fastify' : 'node';
  }
  if (isNodeServerCreation(receiver, context)) return 'node';
  if (ts.isIdentifier(receiver)) {
    const init = variableInitializer(receiver);
    if (init && isNodeServerCreation(skipOuter(init), context)) return 'node';
    const binding = context.bindings.get(receiver.text);
    if (binding && isNestApp(binding)) return 'nestjs';
  }
  return undefined;
}

/** `http.createServer(app)`, `createServer(handler)` from http/https/http2. */
function isNodeServerCreation(expression: ts.Expression, context: RuleContext): boolean {
  if (!ts.isCallExpression(expression)) return false;
  const callee = skipOuter(expression.expression);
  if (ts.isPropertyAccessExpression(callee) && /^create(Secure)?Server$/.test(callee.name.text) && ts.isIdentifier(callee.expression)) {
    const binding = context.bindings.get(callee.expression.text);
    return binding !== undefined && !binding.isInstance && NODE_SERVER_MODULES.includes(binding.module);
  }
  if (ts.isIdentifier(callee)) {
    const binding = context.bindings.get(callee.text);
    return binding !== undefined && NODE_SERVER_MODULES.includes(binding.module) && /^create(Secure)?Server$/.test(binding.imported);
  }
  return false;
}

function isNestApp(binding: Binding): boolean {
  return binding.isInstance && binding.module === '@nestjs/core' && binding.parent?.imported === 'NestFactory'
    && binding.creation !== undefined && ts.isCallExpression(binding.creation)
    && ts.isPropertyAccessExpression(binding.creation.expression) && binding.creation.expression.name.text === 'create';
}

/** The initializer of the variable a name is declared with, searched outward through enclosing blocks. */
function variableInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text) return declaration.initializer;
      }
    }
  }
  return undefined;
}

/**
 * Started by code this file does not show, which may own the signals: the listen sits in an exported function
 * this file never calls (`export function start()` called by a bin script or tests), in a class method, or the
 * server it returns is exported (`module.exports = app.listen(...)`).
 */
function startedOutOfView(call: ts.CallExpression): boolean {
  let outermost: FunctionLike | undefined;
  for (let current: ts.Node | undefined = call.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return true;
    if (isFunctionLike(current)) outermost = current;
  }
  if (outermost) return isExportedFunction(outermost) && !calledInFile(outermost);
  return resultIsExported(call);
}

function isExportedFunction(fn: FunctionLike): boolean {
  const hasExport = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  if (ts.isFunctionDeclaration(fn)) return hasExport(fn) || isCommonJsExported(fn.name?.text, fn.getSourceFile());
  let position: ts.Node = fn;
  while (ts.isParenthesizedExpression(position.parent)) position = position.parent;
  const declaration = position.parent;
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
    return hasExport(declaration.parent.parent) || isCommonJsExported(declaration.name.text, fn.getSourceFile());
  }
  // `module.exports = async () => { ... }`, `export default function`.
  return ts.isExportAssignment(declaration) || (ts.isBinaryExpression(declaration) && /^(module\.)?exports\b/.test(declaration.left.getText()));
}

/** `module.exports = { start }`, `exports.start = start`, `export { start }`, `export default start`. */
function isCommonJsExported(name: string | undefined, sourceFile: ts.SourceFile): boolean {
  if (!name) return false;
  let exported = false;
  walk(sourceFile, (node) => {
    if (exported) return false;
    if (!ts.isIdentifier(node) || node.text !== name) return undefined;
    const parent = node.parent;
    if (ts.isExportSpecifier(parent) || ts.isExportAssignment(parent)) exported = true;
    else if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === node)) {
      const assignment = parent.parent.parent;
      if (ts.isBinaryExpression(assignment) && /^(module\.)?exports\b/.test(assignment.left.getText())) exported = true;
    } else if (ts.isBinaryExpression(parent) && parent.right === node && /^(module\.)?exports\b/.test(parent.left.getText())) {
      exported = true;
    }
    return undefined;
  });
  return exported;
}

/** The function is called by name somewhere in the file (`bootstrap()`, `void main()`, `start().catch(...)`). */
function calledInFile(fn: FunctionLike): boolean {
  const name = functionName(fn);
  if (!name) return false;
  let called = false;
  walk(fn.getSourceFile(), (node) => {
    if (called) return false;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) called = true;
    return undefined;
  }, { intoFunctions: true });
  return called;
}

function functionName(fn: FunctionLike): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  let position: ts.Node = fn;
  while (ts.isParenthesizedExpression(position.parent)) position = position.parent;
  const declaration = position.parent;
  return ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
}

function resultIsExported(call: ts.CallExpression): boolean {
  let position: ts.Node = call;
  while (ts.isParenthesizedExpression(position.parent) || ts.isAwaitExpression(position.parent)) position = position.parent;
  const parent = position.parent;
  if (ts.isExportAssignment(parent)) return true;
  if (ts.isBinaryExpression(parent) && parent.right === position && /^(module\.)?exports\b/.test(parent.left.getText())) return true;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const statement = parent.parent.parent;
    const exportedHere = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    return exportedHere || isCommonJsExported(parent.name.text, call.getSourceFile());
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Evidence that the file shuts down gracefully

function fileHandlesShutdown(context: RuleContext): boolean {
  for (const binding of context.bindings.all()) {
    if (binding.isInstance) continue;
    if (SHUTDOWN_MODULES.includes(binding.module)) return true;
    if (SHUTDOWN_NAME.test(binding.imported) || SHUTDOWN_NAME.test(binding.name)) return true;
  }
  let handled = false;
  walk(context.sourceFile, (node) => {
    if (handled) return false;
    // A signal named anywhere: `process.on('SIGTERM', …)`, `['SIGINT', 'SIGTERM'].forEach(…)`, `signals: ['SIGTERM']`.
    if (ts.isStringLiteralLike(node) && SIGNALS.has(node.text)) handled = true;
    else if (ts.isPropertyAccessExpression(node) && node.name.text === 'enableShutdownHooks') handled = true;
    return undefined;
  }, { intoFunctions: true });
  return handled;
}

// ---------------------------------------------------------------------------------------------------------
// The fix

function fixFor(context: RuleContext, start: ServerStart): Fix | undefined {
  const statement = statementOf(start.call);
  if (!statement) return undefined;
  if (start.kind === 'nestjs') return nestFix(context, start.call, statement);
  const handle = serverHandle(context, start, statement);
  if (!handle) return undefined;
  const handler = shutdownHandler(context, start.kind, handle.name, statement);
  if (!handler) return undefined;
  const at = statement.getEnd();
  return {
    title: 'Close this server on SIGTERM/SIGINT (drain, close pools, exit with a 10 s deadline)',
    edits: [...handle.edits, { start: at, end: at, newText: handler }],
  };
}

/** The statement holding the listen call, directly in a block or at the top level. */
function statementOf(call: ts.CallExpression): ts.Statement | undefined {
  for (let current: ts.Node = call; current.parent; current = current.parent) {
    if (isFunctionLike(current)) return undefined;
    if ((ts.isBlock(current.parent) || ts.isSourceFile(current.parent)) && (ts.isExpressionStatement(current) || ts.isVariableStatement(current))) {
      return current;
    }
  }
  return undefined;
}

/**
 * A name for the server: the variable the listen result or the created server is kept in, the Fastify app, or
 * a new `const server = ` in front of a bare `app.listen(...)` statement (Node's listen returns the server).
 */
function serverHandle(context: RuleContext, start: ServerStart, statement: ts.Statement): { name: string; edits: TextEdit[] } | undefined {
  const receiver = skipOuter((skipOuter(start.call.expression) as ts.PropertyAccessExpression).expression);
  if (start.kind === 'fastify') return ts.isIdentifier(receiver) ? { name: receiver.text, edits: [] } : undefined;
  if (ts.isVariableStatement(statement)) {
    const declarations = statement.declarationList.declarations;
    const declaration = declarations.find((candidate) => candidate.initializer !== undefined && skipOuter(candidate.initializer) === start.call);
    return declaration && ts.isIdentifier(declaration.name) ? { name: declaration.name.text, edits: [] } : undefined;
  }
  if (!ts.isExpressionStatement(statement)) return undefined;
  if (ts.isIdentifier(receiver) && !httpAppOf(receiver, context)) return { name: receiver.text, edits: [] };
  if (skipOuter(statement.expression) !== start.call || statement.expression !== start.call) return undefined;
  const name = freeName(context, ['server', 'httpServer', 'listeningServer']);
  if (!name) return undefined;
  const at = statement.getStart(context.sourceFile);
  return { name, edits: [{ start: at, end: at, newText: `const ${name} = ` }] };
}

function freeName(context: RuleContext, candidates: readonly string[]): string | undefined {
  return candidates.find((candidate) => !new RegExp(`\\b${candidate.replace('$', '\\$')}\\b`).test(context.text));
}

/** Top-level clients this file created, and how to close each. */
function poolClosers(context: RuleContext): string[] {
  const closers: string[] = [];
  const seen = new Set<string>();
  for (const binding of context.bindings.all()) {
    if (binding.name.startsWith('this.') || !isTopLevel(binding.declaration)) continue;
    const closer = CLOSERS.find((entry) => entry.modules.includes(binding.module) && entry.instance === binding.isInstance);
    if (!closer) continue;
    if (!closer.instance && binding.imported !== 'default' && binding.imported !== '*') continue;
    if (closer.instance && binding.parent?.isInstance) continue; // `pool.connect()` clients are released, not closed here
    const text = `${binding.name}.${closer.member}()`;
    if (!seen.has(text)) closers.push(text);
    seen.add(text);
  }
  return closers;
}

function isTopLevel(declaration: ts.Node): boolean {
  for (let current: ts.Node | undefined = declaration.parent; current; current = current.parent) {
    if (isFunctionLike(current) || ts.isClassLike(current)) return false;
  }
  return true;
}

function shutdownHandler(context: RuleContext, kind: ServerKind, server: string, statement: ts.Statement): string | undefined {
  const names = ['shuttingDown', 'shutdown'].map((base) => freeName(context, [base, `${base}Server`, `${base}Gracefully`]));
  const [flag, shutdown] = names;
  if (!flag || !shutdown) return undefined;
  const nl = newlineOf(context.text);
  const indent = indentationAt(context.text, statement.getStart(context.sourceFile));
  const unit = indentUnit(context.text);
  const closers = poolClosers(context);
  const closePools = closers.length > 0 ? `Promise.allSettled([${closers.join(', ')}])` : undefined;
  const body: string[] = [
    `if (${flag}) return;`,
    `${flag} = true;`,
    '// Hard deadline in case a connection never drains; unref() so this timer alone keeps nothing alive.',
    `setTimeout(() => process.exit(1), ${DEADLINE_MS}).unref();`,
  ];
  if (kind === 'fastify') {
    body.push('// Stops accepting connections, waits for in-flight requests, runs onClose hooks.');
    body.push(closePools
      ? `void ${server}.close().then(() => ${closePools}).then(() => process.exit(0), () => process.exit(1));`
      : `void ${server}.close().then(() => process.exit(0), () => process.exit(1));`);
  } else {
    body.push('// Stops accepting connections; the callback runs once in-flight requests have finished.');
    body.push(closePools
      ? `${server}.close(() => {${nl}${indent}${unit}${unit}void ${closePools}.then(() => process.exit(0));${nl}${indent}${unit}});`
      : `${server}.close(() => process.exit(0));`);
  }
  const lines = [
    '',
    `let ${flag} = false;`,
    `const ${shutdown} = () => {`,
    ...body.map((line) => `${unit}${line}`),
    '};',
    `process.once('SIGTERM', ${shutdown});`,
    `process.once('SIGINT', ${shutdown});`,
  ];
  return lines.map((line, index) => (index === 0 ? '' : `${indent}${line}`)).join(nl);
}

/** NestJS closes the app itself (and runs module destroy hooks) once shutdown hooks are enabled, before listen. */
function nestFix(context: RuleContext, call: ts.CallExpression, statement: ts.Statement): Fix | undefined {
  const receiver = skipOuter((skipOuter(call.expression) as ts.PropertyAccessExpression).expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  const nl = newlineOf(context.text);
  const at = statement.getStart(context.sourceFile);
  const indent = indentationAt(context.text, at);
  return {
    title: 'Enable NestJS shutdown hooks (close the app on SIGTERM/SIGINT)',
    edits: [{ start: at, end: at, newText: `${receiver.text}.enableShutdownHooks();${nl}${indent}` }],
  };
}
