import * as ts from 'typescript';
import { builtinModules } from 'node:module';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import type { Binding } from '../engine/bindings';
import type { CrossFileLimiter } from '../engine/project';
import { rootName, skipOuter } from '../engine/bindings';
import { isFunctionLike } from '../engine/external';
import { walk } from '../engine/ast';
import { ensureImport, indentationAt, newlineOf } from '../engine/fixkit';
import {
  APP_FACTORY_MODULES, appInstances, isRateLimiterModule, isRegistrationMember, isRouteRegistration, RATE_LIMITER_NAME,
  type AppInstance, type HandlerNode, type RouteRegistration,
} from '../engine/frameworks';

type MessageId = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs';

/** Paths that are probes, not an API: an app serving only these needs no limiter. */
const PROBE_PATH = /^\/?(health|healthz|healthcheck|livez|readyz|ready|live|liveness|readiness|ping|status|metrics|version)(\/.*)?$/i;
const STATIC_MODULES: readonly string[] = ['serve-static', 'koa-static', '@fastify/static', 'fastify-static', 'sirv'];
/** Calls that take an app to serve it, not to install middleware on it. */
const SERVING_CALLS = new Set(['createServer', 'listen', 'serverless', 'handle', 'serve', 'request', 'agent', 'createSecureServer']);

const REPORTED_APP_MODULES: ReadonlySet<string> = new Set([...APP_FACTORY_MODULES, '@nestjs/core']);

const EXPRESS_LIMITER = "rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-7', legacyHeaders: false })";
const KOA_LIMITER = "ratelimit({ driver: 'memory', db: new Map(), duration: 60_000, max: 100 })";
const FASTIFY_LIMITER = "{ max: 100, timeWindow: '1 minute' }";

export const missingRateLimit: Rule = {
  meta: {
    id: 'missing-rate-limit',
    category: 'protection',
    defaultSeverity: 'warning',
    description: 'An HTTP app that registers routes but installs no rate limiting.',
    hasFix: true,
    // Routes registered anywhere against a limiter installed anywhere: a verdict on the whole file.
    scope: 'file',
    messages: {
      express: 'This Express app (`{{app}}`) serves {{routes}} with no rate limiting: one client (a retry loop, a scraper, a credential-stuffing bot) can use all of its capacity and every database connection behind it. Install express-rate-limit (or your own limiter) before the routes.',
      fastify: 'This Fastify app (`{{app}}`) serves {{routes}} with no rate limiting: one client can use all of its capacity and every connection behind it. Register @fastify/rate-limit before the routes.',
      koa: 'This Koa app (`{{app}}`) serves {{routes}} with no rate limiting: one client can use all of its capacity and every connection behind it. Install koa-ratelimit (with a shared store when you run several instances).',
      hono: 'This Hono app (`{{app}}`) serves {{routes}} with no rate limiting: one client can use all of its capacity and every connection behind it. Add a limiter such as hono-rate-limiter, keyed on a client identity your platform provides.',
      nestjs: 'This NestJS app serves the controllers of `{{module}}` with no rate limiting: one client can use all of its capacity and every connection behind it. Import `ThrottlerModule.forRoot(...)` in the root module and register `ThrottlerGuard` as an `APP_GUARD`; that is module configuration, so there is no quick fix.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    // Every app this rule reports is created from a framework module, or by NestFactory.
    if (!context.external.mayBindModule(context, REPORTED_APP_MODULES)) return { kinds: {} };
    // Member calls, judged at the end and only in files that create an app: most files create none (route files
    // register on a router), and this rule runs over the whole file on every edit.
    const memberCalls: ts.CallExpression[] = [];
    return {
      kinds: {
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => {
          const call = node as ts.CallExpression;
          const callee = skipOuter(call.expression);
          // Only `NestFactory.create` and route/middleware registrations are judged at the end: by name, no other call can matter.
          if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'create' && !isRegistrationMember(callee.name.text))) return false;
          memberCalls.push(call);
          return true;
        },
      },
      onEnd: () => {
        const apps = appInstances(context).filter(isReportableApp);
        const nestCreations = bindsNestFactory(context) ? memberCalls.filter((call) => isNestFactoryCreate(call, context)) : [];
        if (apps.length === 0 && nestCreations.length === 0) return;
        const registrations: RouteRegistration[] = [];
        for (const call of memberCalls) {
          const registration = isRouteRegistration(call, context);
          if (registration) registrations.push(registration);
        }
        if (fileHasLimiter(context, registrations)) return;
        for (const app of apps) checkApp(context, app, registrations);
        for (const call of nestCreations) checkNestApp(context, call);
      },
    };
  },
};

/** Whether any name is bound to `NestFactory` itself, as `isNestFactoryCreate` requires of the receiver. */
function bindsNestFactory(context: RuleContext): boolean {
  for (const binding of context.bindings.all()) if (isNestFactory(binding)) return true;
  return false;
}

function isNestFactory(binding: Binding): boolean {
  return !binding.isInstance && binding.module === '@nestjs/core' && binding.imported === 'NestFactory';
}

/** `NestFactory.create(AppModule)` from @nestjs/core (not `createApplicationContext` or `createMicroservice`). */
function isNestFactoryCreate(call: ts.CallExpression, context: RuleContext): boolean {
  // Asked about every call: a plain `x.y(...)` callee (nothing for skipOuter to strip) is judged by its name first.
  const written = call.expression;
  if (ts.isPropertyAccessExpression(written) && written.name.text !== 'create') return false;
  const callee = skipOuter(written);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'create' || !ts.isIdentifier(callee.expression)) return false;
  const binding = context.bindings.get(callee.expression.text);
  return binding !== undefined && isNestFactory(binding);
}

/**
 * Any sign of a limiter in the file: an import of a limiter module (known, user-declared, or a project module
 * named like one), or a middleware named like one (`app.use(apiLimiter)`), wherever it is installed.
 */
function fileHasLimiter(context: RuleContext, registrations: readonly RouteRegistration[]): boolean {
  for (const binding of context.bindings.all()) {
    if (isRateLimiterModule(binding.module, context.settings.rateLimiters)) return true;
    if (isProjectModule(binding.module, context) && RATE_LIMITER_NAME.test(binding.module)) return true;
    // Cross-file: a middleware, plugin or setup function from another workspace file that is or installs a limiter.
    if (!binding.isInstance && !binding.knowledge && importedLimiter(context, binding)?.limiter) return true;
  }
  return registrations.some((registration) => registration.handlers.some((handler) => handlerNamedLikeLimiter(handler, context.sourceFile)));
}

function handlerNamedLikeLimiter(handler: HandlerNode, sourceFile: ts.SourceFile): boolean {
  if (ts.isMethodDeclaration(handler)) return false;
  const value = skipOuter(handler);
  const target = ts.isCallExpression(value) ? value.expression : value;
  if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target)) return false;
  return RATE_LIMITER_NAME.test(target.getText(sourceFile));
}

/**
 * Code of this project that the file does not show: a relative import, a path alias, or (when package.json is
 * known) a module that is neither a dependency nor a Node built-in (`@server/middlewares/...`).
 */
function isProjectModule(moduleName: string, context: RuleContext): boolean {
  if (/^(\.|\/|@\/|~|#)/.test(moduleName)) return true;
  const dependencies = context.project.dependencies;
  if (Object.keys(dependencies).length === 0) return false;
  const parts = moduleName.split('/');
  const packageName = moduleName.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return !Object.prototype.hasOwnProperty.call(dependencies, packageName) && !builtinModules.includes(packageName);
}

interface ProjectLimiters {
  /** The nearest package.json was read (it lists at least one dependency). */
  known: boolean;
  /** A limiter package is a dependency: it is installed somewhere, maybe out of view. */
  declared: boolean;
}

function projectLimiters(context: RuleContext): ProjectLimiters {
  const names = Object.keys(context.project.dependencies);
  return {
    known: names.length > 0,
    declared: names.some((name) => isRateLimiterModule(name, context.settings.rateLimiters)),
  };
}

/** An app (not a router) created in this file: the only kind checkApp reports on. */
function isReportableApp(app: AppInstance): boolean {
  return app.role === 'app' && app.binding?.creation !== undefined;
}

function checkApp(context: RuleContext, app: AppInstance, registrations: readonly RouteRegistration[]): void {
  if (app.role !== 'app' || !app.binding?.creation) return;
  const own = registrations.filter((registration) => belongsTo(registration, app));
  const routes = own.filter((registration) => !registration.isMiddleware && registration.app.binding !== undefined);
  const servesFiles = servesStaticFiles(context, own);
  const apiRoutes = routes.filter((registration) => !isProbeOrFallback(registration, servesFiles));
  const outOfViewHandlers = own.flatMap((registration) => registration.handlers.filter((handler) => isOutOfView(handler, context)));
  // With the workspace index, routers mounted from other files can be known to install no limiter either.
  const mountsProjectCode = outOfViewHandlers.length > 0 && !outOfViewHandlers.every((handler) => knownWithoutLimiter(context, handler));
  const handedOff = appHandedOff(context, app.name) || servedElsewhere(context, app.name);
  const project = projectLimiters(context);
  // Out of view (routers mounted from other files, the app passed to another module) a limiter may be installed,
  // unless the project's package.json shows there is no limiter library at all.
  const outOfView = mountsProjectCode || handedOff;
  const noLimiterAnywhere = project.known && !project.declared;
  if (apiRoutes.length > 0) {
    if (outOfView && !noLimiterAnywhere) return;
  } else if (!(noLimiterAnywhere && mountsWithPath(own, context))) {
    return;
  }
  const messageId = messageFor(app);
  const count = apiRoutes.length;
  const described = count > 0 ? `${count} route${count === 1 ? '' : 's'}${mountsProjectCode ? ' and routers from other files' : ''}` : 'routers from other files';
  const creation = app.binding.creation;
  const fix = fixFor(context, app, creation);
  context.report({
    node: creation,
    messageId,
    data: { app: app.name, routes: described },
    fixes: fix ? [fix] : [],
  });
}

function messageFor(app: AppInstance): MessageId {
  if (app.framework === 'fastify') return 'fastify';
  if (app.framework === 'hono') return 'hono';
  if (app.framework === 'koa' || app.framework === 'koa-router') return 'koa';
  return 'express';
}

/** Health probes, and the wildcard fallbacks of a static site server (`app.get('*', sendIndexHtml)`). */
function isProbeOrFallback(registration: RouteRegistration, servesFiles: boolean): boolean {
  const path = registration.path;
  if (path === undefined) return false;
  return PROBE_PATH.test(path) || (servesFiles && path.includes('*'));
}

/** `app.use(express.static(...))`, serve-static, koa-static, @fastify/static. */
function servesStaticFiles(context: RuleContext, registrations: readonly RouteRegistration[]): boolean {
  for (const binding of context.bindings.all()) {
    if (STATIC_MODULES.includes(binding.module)) return true;
  }
  return registrations.some((registration) => registration.isMiddleware && registration.handlers.some((handler) => {
    if (ts.isMethodDeclaration(handler)) return false;
    const value = skipOuter(handler);
    return ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'static';
  }));
}

/** Registrations on the app itself or on routers created in this file (parameters are other apps' code). */
function belongsTo(registration: RouteRegistration, app: AppInstance): boolean {
  if (registration.app.name === app.name && registration.app.binding === app.binding) return true;
  return registration.app.role === 'router' && registration.app.binding !== undefined;
}

/** A handler or middleware that comes from another project file (`app.use('/api', apiRouter)`, `require('./routes')`). */
function isOutOfView(handler: HandlerNode, context: RuleContext): boolean {
  if (ts.isMethodDeclaration(handler)) return false;
  const value = skipOuter(handler);
  if (ts.isCallExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'require') {
    const specifier = value.arguments[0];
    return specifier !== undefined && ts.isStringLiteralLike(specifier) && isProjectModule(specifier.text, context);
  }
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return false;
  const root = rootName(ts.isCallExpression(value) ? value.expression : value);
  const binding = root ? context.bindings.get(root) : undefined;
  return binding !== undefined && isProjectModule(originModule(binding), context);
}

function importedLimiter(context: RuleContext, binding: Binding): CrossFileLimiter | undefined {
  return context.workspace?.rateLimiterOf?.(context.fileName, binding.module, binding.imported);
}

/** A mounted router or middleware imported from a workspace file the index knows, with no limiter in it or below it. */
function knownWithoutLimiter(context: RuleContext, handler: HandlerNode): boolean {
  if (ts.isMethodDeclaration(handler)) return false;
  const value = skipOuter(handler);
  if (!ts.isIdentifier(value)) return false;
  const binding = context.bindings.get(value.text);
  if (!binding || binding.isInstance || binding.knowledge) return false;
  return importedLimiter(context, binding)?.limiter === false;
}

function originModule(binding: Binding): string {
  let current: Binding = binding;
  while (current.parent) current = current.parent;
  return current.module;
}

/** `app.use('/api', routes)`: a router from another file mounted on a path serves routes. */
function mountsWithPath(registrations: readonly RouteRegistration[], context: RuleContext): boolean {
  return registrations.some((registration) => registration.isMiddleware && registration.path !== undefined
    && registration.handlers.some((handler) => isOutOfView(handler, context)));
}

/**
 * The app is given to code this file does not show (`registerRoutes(app)`, `require('./routes')(app)`), which
 * may install middleware on it. Serving it (`http.createServer(app)`, `app.listen`) and exporting it do not.
 */
function appHandedOff(context: RuleContext, name: string): boolean {
  let handedOff = false;
  walk(context.sourceFile, (node) => {
    if (handedOff) return false;
    if (!ts.isIdentifier(node) || node.text !== name) return undefined;
    let position: ts.Node = node;
    while (position.parent && (ts.isParenthesizedExpression(position.parent) || ts.isAsExpression(position.parent))) position = position.parent;
    const parent = position.parent;
    if (!parent || !(ts.isCallExpression(parent) || ts.isNewExpression(parent))) return undefined;
    if (!parent.arguments?.includes(position as ts.Expression)) return undefined;
    const callee = skipOuter(parent.expression);
    const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (calleeName !== undefined && SERVING_CALLS.has(calleeName)) return undefined;
    handedOff = true;
    return false;
  }, { intoFunctions: true });
  return handedOff;
}

/**
 * An app exported (or returned from a factory) and not started here is mounted or served by another file, whose
 * app may carry a global limiter in front of it (`koa-mount`, `parent.use('/auth', authApp)`).
 */
function servedElsewhere(context: RuleContext, name: string): boolean {
  let exported = false;
  let listened = false;
  walk(context.sourceFile, (node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'listen'
      && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === name) listened = true;
    if (ts.isIdentifier(node) && node.text === name && isExportedOrReturned(node)) exported = true;
    return undefined;
  }, { intoFunctions: true });
  return exported && !listened;
}

function isExportedOrReturned(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isExportAssignment(parent) || ts.isExportSpecifier(parent) || ts.isReturnStatement(parent)) return true;
  if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === identifier)) {
    return isExportTarget(parent.parent.parent);
  }
  if (ts.isBinaryExpression(parent) && parent.right === identifier && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return /^(module\.)?exports\b/.test(parent.left.getText());
  }
  if (ts.isVariableDeclaration(parent) && parent.name === identifier) {
    const statement = parent.parent.parent;
    return ts.isVariableStatement(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  }
  return false;
}

/** `module.exports = { app }` or `export default { app }`. */
function isExportTarget(node: ts.Node): boolean {
  if (ts.isExportAssignment(node) || ts.isReturnStatement(node)) return true;
  return ts.isBinaryExpression(node) && /^(module\.)?exports\b/.test(node.left.getText());
}

/**
 * NestJS: routes live in controllers and the limiter in module configuration, usually in other files. Reported
 * only when the root module given to `NestFactory.create` is declared in this file with controllers, and no
 * module it imports from elsewhere could register a `ThrottlerGuard` (package.json declares no limiter).
 */
function checkNestApp(context: RuleContext, call: ts.CallExpression): void {
  const rootModule = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!rootModule || !ts.isIdentifier(rootModule)) return;
  const metadata = moduleMetadata(context.sourceFile, rootModule.text);
  if (!metadata) return;
  const controllers = propertyArray(metadata, 'controllers');
  if (!controllers || controllers.elements.length === 0) return;
  const imports = propertyArray(metadata, 'imports')?.elements ?? [];
  const project = projectLimiters(context);
  if (imports.length > 0 && !(project.known && !project.declared)) return;
  context.report({ node: call, messageId: 'nestjs', data: { module: rootModule.text } });
}

/** The object given to `@Module({...})` on the class with this name, declared in this file. */
function moduleMetadata(sourceFile: ts.SourceFile, className: string): ts.ObjectLiteralExpression | undefined {
  for (const statement of sourceFile.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name?.text !== className) continue;
    for (const decorator of ts.getDecorators(statement) ?? []) {
      const expression = decorator.expression;
      if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== 'Module') continue;
      const argument = expression.arguments[0] && skipOuter(expression.arguments[0]);
      if (argument && ts.isObjectLiteralExpression(argument)) return argument;
    }
  }
  return undefined;
}

function propertyArray(literal: ts.ObjectLiteralExpression, name: string): ts.ArrayLiteralExpression | undefined {
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || property.name.text !== name) continue;
    const value = skipOuter(property.initializer);
    return ts.isArrayLiteralExpression(value) ? value : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The fix: install a limiter right after the app is created.

function fixFor(context: RuleContext, app: AppInstance, creation: ts.CallExpression | ts.NewExpression): Fix | undefined {
  const statement = enclosingStatement(creation);
  if (!statement) return undefined;
  switch (app.framework) {
    case 'express':
      return installFix(context, statement, { module: 'express-rate-limit', named: 'rateLimit' }, `${app.name}.use(${EXPRESS_LIMITER});`,
        'Install express-rate-limit on this app (100 requests per minute per IP)');
    case 'koa':
      return installFix(context, statement, { module: 'koa-ratelimit', defaultName: 'ratelimit' }, `${app.name}.use(${KOA_LIMITER});`,
        'Install koa-ratelimit on this app (in-memory, 100 requests per minute per IP)');
    case 'fastify':
      if (!awaitAllowedAt(statement, context)) return undefined;
      return installFix(context, statement, { module: '@fastify/rate-limit', defaultName: 'rateLimit' }, `await ${app.name}.register(rateLimit, ${FASTIFY_LIMITER});`,
        'Register @fastify/rate-limit on this app (100 requests per minute per IP)');
    default:
      return undefined;
  }
}

function installFix(
  context: RuleContext, statement: ts.Statement, request: { module: string; named?: string; defaultName?: string }, line: string, title: string,
): Fix | undefined {
  const localName = request.named ?? request.defaultName ?? '';
  // The fix introduces this name; if the file already uses it for something else, it would call the wrong thing.
  if (new RegExp(`\\b${localName}\\b`).test(context.text)) return undefined;
  const importEdit = ensureImport(context, request);
  if (!importEdit) return undefined;
  const nl = newlineOf(context.text);
  const indent = indentationAt(context.text, statement.getStart(context.sourceFile));
  const at = statement.getEnd();
  const install: TextEdit = { start: at, end: at, newText: `${nl}${indent}${line}` };
  return { title, edits: [importEdit, install] };
}

/** The statement holding the app's creation, in a block or at the top level. */
function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (isFunctionLike(current)) return undefined;
    const parent = current.parent;
    if (parent && (ts.isBlock(parent) || ts.isSourceFile(parent)) && ts.isVariableStatement(current)) return current;
    if (parent && (ts.isBlock(parent) || ts.isSourceFile(parent))) return ts.isExpressionStatement(current) ? current : undefined;
  }
  return undefined;
}

/**
 * @fastify/rate-limit adds its hook to routes declared after it has loaded, so registration must be awaited:
 * only inside an async function, or at the top level of an ES module file.
 */
function awaitAllowedAt(statement: ts.Statement, context: RuleContext): boolean {
  for (let current: ts.Node | undefined = statement.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return (ts.getModifiers(current) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
  }
  return /\.m[jt]s$/.test(context.fileName);
}
