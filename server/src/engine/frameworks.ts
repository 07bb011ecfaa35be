import * as ts from 'typescript';
import type { FileContext } from './types';
import { skipOuter, type Binding, type Bindings } from './bindings';
import { isFunctionLike, memberChain, type FunctionLike } from './external';
import { propertyName } from './ast';
import { dependencyMajor } from './project';

/**
 * Where code runs on behalf of a framework: HTTP handlers, queue consumers, scheduled jobs, event listeners,
 * Lambda handlers, and top-level module code. Framework knowledge is data (the tables below); the helpers
 * answer "is this function a boundary, which one, and what happens to a rejection that leaves it?".
 * Apps and routers are recognised from bindings (`const app = express()`), parameter types
 * (`app: FastifyInstance`) or plugin positions, never from a variable name alone.
 */

export type BoundaryKind = 'route' | 'consumer' | 'job' | 'listener' | 'lambda' | 'module';

/**
 * What a framework does with a rejection that leaves the boundary:
 * `forwarded` to an error handler or retry mechanism that answers or records it;
 * `unhandled`: nothing awaits it (Express 4 hangs the request, an EventEmitter listener becomes an unhandled rejection);
 * `unknown`: the library's behaviour varies by version.
 */
export type RejectionFate = 'forwarded' | 'unhandled' | 'unknown';

/** Which parameter of a handler plays which part, by position. */
export type ParamRole = 'request' | 'response' | 'context' | 'next' | 'error' | 'event' | 'message' | 'job';

export interface Boundary {
  kind: BoundaryKind;
  /** Framework id: 'express', 'koa', 'fastify', 'hono', 'next', 'next-pages', 'nestjs', 'bullmq', 'timers', 'events', 'aws-lambda', 'module', ... */
  framework: string;
  /** The function (or the SourceFile for top-level code). */
  node: ts.Node;
  /** For messages: "Express 4 route handler for GET /users/:id". */
  label: string;
  rejection: RejectionFate;
  /** Major version of the framework when it matters (Express), undefined when unknown. */
  major?: number;
  /** Upper-case HTTP method ('USE' for middleware, 'ALL' for every method) and path, for routes. */
  method?: string;
  path?: string;
  /** Set when the handler is passed through a wrapper call (`asyncHandler(fn)`). */
  wrapper?: { name: string; catchesRejections: boolean };
  /** Parameter names by role, when written as plain identifiers. */
  params: Partial<Record<ParamRole, string>>;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP frameworks as data

export type HttpFrameworkId = 'express' | 'koa' | 'koa-router' | 'fastify' | 'hono';

interface AppFactory {
  module: string;
  /** Exported names the factory is reached through ('default' also covers namespace imports). */
  imported: readonly string[];
  /** `express()` is a call, `new Koa()` a construction; `member` for `express.Router()`. */
  creation: 'call' | 'new' | 'either';
  member?: string;
  role: 'app' | 'router';
  /** This router forwards rejected promises to the error handler (express-promise-router). */
  forwardsRejections?: boolean;
}

interface HttpFrameworkKnowledge {
  id: HttpFrameworkId;
  name: string;
  factories: readonly AppFactory[];
  /** Member calls that register a handler for the method they are named after. */
  routeMethods: readonly string[];
  /** Member calls that install middleware for every method. */
  middlewareMethods: readonly string[];
  /** Hono `app.on('GET', '/x', handler)`: the method is the first argument. */
  methodFirstMethods?: readonly string[];
  /** Express `app.route('/x').get(handler)`: a member that returns a route object for a path. */
  pathScopeMethod?: string;
  /** Fastify `fastify.route({ method, url, handler })`. */
  optionsRouteMethod?: string;
  /** Option properties holding the handler (`fastify.get(path, { handler })`). */
  handlerProperties?: readonly string[];
  /** Type names from the framework's modules that mark a parameter as an app or router. */
  typeNames: readonly string[];
  /** Members that register a plugin whose first parameter is an instance (`fastify.register(async (f) => …)`). */
  pluginRegistration?: { member: string; wrapperModules: readonly string[] };
  params: readonly ParamRole[];
  /** Default rejection fate when nothing else (version, patch) is known. */
  rejection: RejectionFate;
}

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

export const HTTP_FRAMEWORKS: readonly HttpFrameworkKnowledge[] = [
  {
    id: 'express',
    name: 'Express',
    factories: [
      { module: 'express', imported: ['default'], creation: 'call', role: 'app' },
      { module: 'express', imported: ['default'], creation: 'call', member: 'Router', role: 'router' },
      { module: 'express', imported: ['Router'], creation: 'call', role: 'router' },
      { module: 'express-promise-router', imported: ['default'], creation: 'call', role: 'router', forwardsRejections: true },
    ],
    routeMethods: [...HTTP_VERBS, 'all'],
    middlewareMethods: ['use'],
    pathScopeMethod: 'route',
    typeNames: ['Express', 'Application', 'Router', 'IRouter'],
    params: ['request', 'response', 'next'],
    rejection: 'unhandled',
  },
  {
    id: 'koa',
    name: 'Koa',
    factories: [{ module: 'koa', imported: ['default'], creation: 'new', role: 'app' }],
    routeMethods: [],
    middlewareMethods: ['use'],
    typeNames: [],
    params: ['context', 'next'],
    rejection: 'forwarded',
  },
  {
    id: 'koa-router',
    name: 'Koa',
    factories: [
      { module: '@koa/router', imported: ['default'], creation: 'either', role: 'router' },
      { module: 'koa-router', imported: ['default'], creation: 'either', role: 'router' },
    ],
    routeMethods: [...HTTP_VERBS, 'del', 'all'],
    middlewareMethods: ['use'],
    typeNames: [],
    params: ['context', 'next'],
    rejection: 'forwarded',
  },
  {
    id: 'fastify',
    name: 'Fastify',
    factories: [{ module: 'fastify', imported: ['default', 'fastify', 'Fastify'], creation: 'call', role: 'app' }],
    routeMethods: [...HTTP_VERBS, 'all'],
    middlewareMethods: [],
    optionsRouteMethod: 'route',
    handlerProperties: ['handler'],
    typeNames: ['FastifyInstance'],
    pluginRegistration: { member: 'register', wrapperModules: ['fastify-plugin'] },
    params: ['request', 'response'],
    rejection: 'forwarded',
  },
  {
    id: 'hono',
    name: 'Hono',
    factories: [
      { module: 'hono', imported: ['Hono'], creation: 'new', role: 'app' },
      { module: 'hono/tiny', imported: ['Hono'], creation: 'new', role: 'app' },
      { module: 'hono/quick', imported: ['Hono'], creation: 'new', role: 'app' },
    ],
    routeMethods: [...HTTP_VERBS, 'all'],
    middlewareMethods: ['use'],
    methodFirstMethods: ['on'],
    typeNames: ['Hono'],
    params: ['context', 'next'],
    rejection: 'forwarded',
  },
];

/** Modules whose wrappers catch a handler's rejection and pass it on (`asyncHandler(fn)`). */
export const REJECTION_WRAPPER_MODULES: readonly string[] = ['express-async-handler', 'express-async-wrap', '@awaitjs/express', 'async-middleware'];
/** Wrapper names that catch rejections when imported from any module (a project's own `asyncHandler`). */
const REJECTION_WRAPPER_NAMES = /^(asyncHandler|catchAsync|asyncWrap|wrapAsync|asyncMiddleware|catchErrors)$/;
/** Importing this module anywhere in the program patches Express 4 to forward rejections. */
const EXPRESS_PATCH_MODULE = 'express-async-errors';

// ---------------------------------------------------------------------------------------------------------
// Consumers, jobs and listeners as data

type CallbackReceiver =
  /** A method called on a client created from one of these modules (`consumer.run`, `channel.consume`). */
  | { instanceOf: readonly string[] }
  /** An export of a module, called (or constructed, or a member of it called). */
  | { module: string; imported: readonly string[] }
  /** A global object or function, unless the file binds the name to something else. */
  | { global: string };

interface CallbackSite {
  kind: BoundaryKind;
  framework: string;
  label: string;
  receiver: CallbackReceiver;
  /** Member called on the receiver; absent when the receiver itself is called or constructed. */
  members?: readonly string[];
  construct?: boolean;
  /** Where the callback sits: an argument index, the last argument, or properties of the first argument object. */
  argument: number | 'last' | { properties: readonly string[] };
  rejection: RejectionFate;
  params: readonly ParamRole[];
}

const LISTENER_MEMBERS = ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'];

export const CALLBACK_SITES: readonly CallbackSite[] = [
  { kind: 'consumer', framework: 'bullmq', label: 'BullMQ worker processor', receiver: { module: 'bullmq', imported: ['Worker'] }, construct: true, argument: 1, rejection: 'forwarded', params: ['job'] },
  { kind: 'consumer', framework: 'bull', label: 'Bull queue processor', receiver: { instanceOf: ['bull'] }, members: ['process'], argument: 'last', rejection: 'forwarded', params: ['job'] },
  { kind: 'consumer', framework: 'kafkajs', label: 'kafkajs consumer handler', receiver: { instanceOf: ['kafkajs'] }, members: ['run'], argument: { properties: ['eachMessage', 'eachBatch'] }, rejection: 'forwarded', params: ['message'] },
  { kind: 'consumer', framework: 'amqplib', label: 'amqplib consume callback', receiver: { instanceOf: ['amqplib', 'amqplib/callback_api'] }, members: ['consume'], argument: 1, rejection: 'unhandled', params: ['message'] },
  { kind: 'consumer', framework: 'sqs-consumer', label: 'SQS consumer handler', receiver: { module: 'sqs-consumer', imported: ['Consumer'] }, members: ['create'], argument: { properties: ['handleMessage', 'handleMessageBatch'] }, rejection: 'forwarded', params: ['message'] },
  { kind: 'job', framework: 'node-cron', label: 'node-cron job', receiver: { module: 'node-cron', imported: ['default'] }, members: ['schedule'], argument: 1, rejection: 'unknown', params: [] },
  { kind: 'job', framework: 'node-cron', label: 'node-cron job', receiver: { module: 'node-cron', imported: ['schedule'] }, argument: 1, rejection: 'unknown', params: [] },
  { kind: 'job', framework: 'cron', label: 'CronJob tick', receiver: { module: 'cron', imported: ['CronJob'] }, construct: true, argument: 1, rejection: 'unknown', params: [] },
  { kind: 'job', framework: 'cron', label: 'CronJob tick', receiver: { module: 'cron', imported: ['CronJob'] }, members: ['from'], argument: { properties: ['onTick'] }, rejection: 'unknown', params: [] },
  { kind: 'job', framework: 'node-schedule', label: 'node-schedule job', receiver: { module: 'node-schedule', imported: ['default'] }, members: ['scheduleJob'], argument: 'last', rejection: 'unknown', params: [] },
  { kind: 'job', framework: 'node-schedule', label: 'node-schedule job', receiver: { module: 'node-schedule', imported: ['scheduleJob'] }, argument: 'last', rejection: 'unknown', params: [] },
  { kind: 'job', framework: 'timers', label: 'setInterval callback', receiver: { global: 'setInterval' }, argument: 0, rejection: 'unhandled', params: [] },
  { kind: 'listener', framework: 'events', label: 'EventEmitter listener', receiver: { instanceOf: ['events'] }, members: LISTENER_MEMBERS, argument: 1, rejection: 'unhandled', params: [] },
  { kind: 'listener', framework: 'process', label: '`process` listener', receiver: { global: 'process' }, members: LISTENER_MEMBERS, argument: 1, rejection: 'unhandled', params: [] },
];

interface DecoratorBoundary {
  module: string;
  names: readonly string[];
  /** The class must carry one of these decorators from the same module. */
  classDecorators?: readonly string[];
  kind: BoundaryKind;
  framework: string;
  label: string;
  rejection: RejectionFate;
}

export const DECORATOR_BOUNDARIES: readonly DecoratorBoundary[] = [
  { module: '@nestjs/common', names: ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'Search'], classDecorators: ['Controller'], kind: 'route', framework: 'nestjs', label: 'NestJS controller method', rejection: 'forwarded' },
  { module: '@nestjs/schedule', names: ['Cron', 'Interval', 'Timeout'], kind: 'job', framework: 'nestjs-schedule', label: 'NestJS scheduled job', rejection: 'unknown' },
  { module: '@nestjs/bull', names: ['Process'], classDecorators: ['Processor'], kind: 'consumer', framework: 'nestjs-bull', label: 'NestJS Bull processor', rejection: 'forwarded' },
];

/** Next.js App Router route handlers: these exports of `app/**\/route.(ts|js)`. */
export const NEXT_ROUTE_EXPORTS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const NEXT_APP_ROUTE_FILE = /(^|\/)app\/(.+\/)?route\.(m|c)?[jt]sx?$/;
const NEXT_PAGES_API_FILE = /(^|\/)pages\/api\/.+\.(m|c)?[jt]sx?$/;

/** AWS Lambda: the exported name, and what else shows the file is a Lambda (types, dependencies). */
export const LAMBDA_EXPORTS: readonly string[] = ['handler'];
const LAMBDA_TYPE_MODULES: readonly string[] = ['aws-lambda'];
const LAMBDA_DEPENDENCIES: readonly string[] = ['@types/aws-lambda', 'aws-lambda', '@middy/core', 'serverless', 'aws-cdk-lib', '@aws-lambda-powertools/logger'];

// ---------------------------------------------------------------------------------------------------------
// HTTP apps and route registrations

export interface AppInstance {
  framework: HttpFrameworkId;
  frameworkName: string;
  role: 'app' | 'router';
  /** The local name (or `(inline)` for `new Hono().get(...)`). */
  name: string;
  binding?: Binding;
  /** The parameter declaring it, when it is a typed parameter or a plugin's instance. */
  parameter?: ts.ParameterDeclaration;
  forwardsRejections: boolean;
}

/** A handler as written: an expression, or a method in an options object (`{ async handler(req, reply) {} }`). */
export type HandlerNode = ts.Expression | ts.MethodDeclaration;

export interface RouteRegistration {
  framework: HttpFrameworkId;
  call: ts.CallExpression;
  app: AppInstance;
  /** Upper-case HTTP method; 'ALL' for every method, 'USE' for middleware. */
  method: string;
  /** The path when it is written as a string literal. */
  path?: string;
  isMiddleware: boolean;
  /** The handlers: function arguments, identifiers, wrapper calls, or an options `handler` (not the path). */
  handlers: HandlerNode[];
}

/** Modules an app or router is created from: `appInstances` finds none in a file that binds none of them. */
export const APP_FACTORY_MODULES: ReadonlySet<string> = new Set(HTTP_FRAMEWORKS.flatMap((framework) => framework.factories.map((factory) => factory.module)));

function frameworkById(id: HttpFrameworkId): HttpFrameworkKnowledge {
  return HTTP_FRAMEWORKS.find((framework) => framework.id === id) as HttpFrameworkKnowledge;
}

/** HTTP apps and routers created in this file that the bindings know so far. */
export function appInstances(file: FileContext): AppInstance[] {
  const instances: AppInstance[] = [];
  for (const binding of file.bindings.all()) {
    // Most bindings are imports: answered here, before the memo is consulted.
    if (!mayBeApp(binding)) continue;
    const instance = appFromBinding(binding);
    if (instance) instances.push(instance);
  }
  return instances;
}

/** Asked for the receiver of every registration-like call; a binding never changes once made, nor its answer. */
const appsOfBindings = new WeakMap<Binding, AppInstance | null>();

function appFromBinding(binding: Binding): AppInstance | undefined {
  const known = appsOfBindings.get(binding);
  if (known !== undefined) return known ?? undefined;
  const app = appFromBindingUncached(binding);
  appsOfBindings.set(binding, app ?? null);
  return app;
}

/** A client created by calling or constructing an import: the only bindings an app or router can be. */
function mayBeApp(binding: Binding): boolean {
  return binding.isInstance && binding.creation !== undefined && binding.parent !== undefined && !binding.parent.isInstance;
}

function appFromBindingUncached(binding: Binding): AppInstance | undefined {
  if (!mayBeApp(binding) || !binding.creation || !binding.parent) return undefined;
  const match = matchFactory(binding.creation, binding.parent);
  return match && { ...match, name: binding.name, binding };
}

function matchFactory(creation: ts.CallExpression | ts.NewExpression, source: Binding): Omit<AppInstance, 'name'> | undefined {
  const callee = skipOuter(creation.expression);
  const member = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  for (const framework of HTTP_FRAMEWORKS) {
    for (const factory of framework.factories) {
      if (factory.module !== source.module || factory.member !== member) continue;
      const imported = source.imported === '*' ? 'default' : source.imported;
      if (!factory.imported.includes(imported)) continue;
      const isNew = ts.isNewExpression(creation);
      if ((factory.creation === 'call' && isNew) || (factory.creation === 'new' && !isNew)) continue;
      return {
        framework: framework.id,
        frameworkName: framework.name,
        role: factory.role,
        forwardsRejections: factory.forwardsRejections === true,
      };
    }
  }
  return undefined;
}

/** The HTTP app or router an expression denotes: a binding, a typed parameter, an inline creation, or a route chain. */
export function httpAppOf(expression: ts.Expression, file: FileContext): AppInstance | undefined {
  const value = skipOuter(expression);
  if (ts.isIdentifier(value)) {
    const parameter = parameterNamed(value);
    if (parameter) return appFromParameter(parameter, file);
    const binding = file.bindings.get(value.text);
    return binding ? appFromBinding(binding) : undefined;
  }
  if (ts.isNewExpression(value) || ts.isCallExpression(value)) {
    const callee = skipOuter(value.expression);
    const root = ts.isIdentifier(callee) ? callee
      : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
    const source = root && !parameterNamed(root) ? file.bindings.get(root.text) : undefined;
    if (source && !source.isInstance) {
      const match = matchFactory(value, source);
      if (match) return { ...match, name: '(inline)' };
    }
    // A route chain returns its receiver: `app.get(...).post(...)`, `router.route('/x').get(...)`.
    if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(callee)) {
      const inner = httpAppOf(callee.expression, file);
      if (inner && isChainingMember(frameworkById(inner.framework), callee.name.text)) return inner;
    }
  }
  return undefined;
}

function isChainingMember(framework: HttpFrameworkKnowledge, member: string): boolean {
  return framework.routeMethods.includes(member) || framework.middlewareMethods.includes(member)
    || framework.pathScopeMethod === member || (framework.methodFirstMethods ?? []).includes(member);
}

/** The parameter of an enclosing function that declares this name, if any (parameters shadow bindings). */
function parameterNamed(identifier: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let current: ts.Node | undefined = identifier.parent; current; current = current.parent) {
    if (!isFunctionLike(current) && !ts.isConstructorDeclaration(current)) continue;
    for (const parameter of current.parameters) {
      if (ts.isIdentifier(parameter.name) && parameter.name.text === identifier.text) return parameter;
    }
  }
  return undefined;
}

/** `app: Express`, `fastify: FastifyInstance`, or the first parameter of a plugin given to `fastify.register(...)`. */
function appFromParameter(parameter: ts.ParameterDeclaration, file: FileContext): AppInstance | undefined {
  const name = ts.isIdentifier(parameter.name) ? parameter.name.text : '(parameter)';
  const type = parameter.type;
  if (type && ts.isTypeReferenceNode(type)) {
    const typeName = type.typeName;
    const local = ts.isIdentifier(typeName) ? typeName.text : ts.isIdentifier(typeName.left) ? typeName.left.text : undefined;
    const exported = ts.isIdentifier(typeName) ? undefined : typeName.right.text;
    const binding = local ? file.bindings.get(local) : undefined;
    if (binding && !binding.isInstance) {
      const imported = exported ?? binding.imported;
      for (const framework of HTTP_FRAMEWORKS) {
        const modules = framework.factories.map((factory) => factory.module);
        if (!modules.includes(binding.module) || !framework.typeNames.includes(imported)) continue;
        const role = /Router/.test(imported) ? 'router' : 'app';
        return { framework: framework.id, frameworkName: framework.name, role, name, parameter, forwardsRejections: false };
      }
    }
  }
  const fn = parameter.parent;
  if (!isFunctionLike(fn) || fn.parameters[0] !== parameter) return undefined;
  return pluginInstance(fn, name, parameter, file);
}

function pluginInstance(fn: FunctionLike, name: string, parameter: ts.ParameterDeclaration, file: FileContext): AppInstance | undefined {
  const position = outerOf(fn);
  const call = position.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(position as ts.Expression)) return undefined;
  const callee = skipOuter(call.expression);
  for (const framework of HTTP_FRAMEWORKS) {
    const plugin = framework.pluginRegistration;
    if (!plugin) continue;
    const asInstance = (): AppInstance => ({ framework: framework.id, frameworkName: framework.name, role: 'app', name, parameter, forwardsRejections: false });
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === plugin.member) {
      const registrar = httpAppOf(callee.expression, file);
      if (registrar?.framework === framework.id) return asInstance();
    }
    if (ts.isIdentifier(callee)) {
      const binding = file.bindings.get(callee.text);
      if (binding && !binding.isInstance && plugin.wrapperModules.includes(binding.module)) return asInstance();
    }
  }
  return undefined;
}

/** Every member name that registers a route or middleware in some framework (`get`, `use`, `on`, `route`...). */
const REGISTRATION_MEMBERS: ReadonlySet<string> = new Set(HTTP_FRAMEWORKS.flatMap((framework) => [
  ...framework.routeMethods, ...framework.middlewareMethods, ...(framework.methodFirstMethods ?? []),
  ...(framework.optionsRouteMethod ? [framework.optionsRouteMethod] : []),
]));

/** Whether a call of a member with this name can register a route or middleware (`isRouteRegistration` asks nothing else first). */
export function isRegistrationMember(name: string): boolean {
  return REGISTRATION_MEMBERS.has(name);
}

/**
 * Rules and boundaryOf ask about the same call at the same point of the traversal: the answer is kept while the
 * file's bindings stay as they were (a binding recorded later may change it).
 */
const registrations = new WeakMap<ts.CallExpression, { bindings: Bindings; version: number; registration: RouteRegistration | undefined }>();

/** A call that registers a route or installs middleware on a known HTTP app or router. */
export function isRouteRegistration(call: ts.CallExpression, file: FileContext): RouteRegistration | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const member = callee.name.text;
  // Asked about every call by some rules: `db.query(...)` is not a registration, whatever `db` is.
  if (!isRegistrationMember(member)) return undefined;
  const bindings = file.bindings;
  const known = registrations.get(call);
  if (known && known.bindings === bindings && known.version === bindings.version) return known.registration;
  const registration = routeRegistration(call, callee, member, file);
  registrations.set(call, { bindings, version: bindings.version, registration });
  return registration;
}

function routeRegistration(call: ts.CallExpression, callee: ts.PropertyAccessExpression, member: string, file: FileContext): RouteRegistration | undefined {
  const receiver = skipOuter(callee.expression);
  const scoped = pathScope(receiver, file);
  const app = scoped?.app ?? httpAppOf(receiver, file);
  if (!app) return undefined;
  const scopedPath = scoped ? scoped.path ?? '' : undefined;
  const framework = frameworkById(app.framework);
  const args = [...call.arguments];
  if (framework.optionsRouteMethod === member) return optionsRoute(call, app, framework);
  let method: string;
  let isMiddleware = false;
  if (framework.routeMethods.includes(member)) {
    method = member === 'del' ? 'DELETE' : member.toUpperCase();
  } else if (framework.middlewareMethods.includes(member)) {
    method = 'USE';
    isMiddleware = true;
  } else if ((framework.methodFirstMethods ?? []).includes(member)) {
    const first = args.shift();
    method = (first && stringValue(first)?.toUpperCase()) ?? 'UNKNOWN';
  } else {
    return undefined;
  }
  let path = scopedPath;
  let hasPath = scopedPath !== undefined;
  if (!hasPath && args.length > 0 && isPathArgument(args[0])) {
    path = stringValue(args[0]);
    args.shift();
    hasPath = true;
    // koa-router named routes: `router.get('user', '/users/:id', handler)`.
    if (args.length > 0 && isPathArgument(args[0])) {
      path = stringValue(args[0]);
      args.shift();
    }
  }
  // A route needs a path: `app.get('env')` reads an Express setting and has no handler either.
  if (!isMiddleware && !hasPath) return undefined;
  const handlers: HandlerNode[] = args.filter((argument) => isHandlerExpression(argument));
  const optionsHandler = handlerFromOptions(args, framework);
  if (optionsHandler) handlers.push(optionsHandler);
  if (handlers.length === 0) return undefined;
  return { framework: app.framework, call, app, method, path, isMiddleware, handlers };
}

/** `app.route('/x').get(a).post(b)`: the app and the path of the route object a call chain is made on. */
function pathScope(receiver: ts.Expression, file: FileContext): { app: AppInstance; path?: string } | undefined {
  let current = skipOuter(receiver);
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(skipOuter(current.expression))) {
    const callee = skipOuter(current.expression) as ts.PropertyAccessExpression;
    const app = httpAppOf(callee.expression, file);
    if (app && frameworkById(app.framework).pathScopeMethod === callee.name.text) return { app, path: stringValue(current.arguments[0]) };
    current = skipOuter(callee.expression);
  }
  return undefined;
}

/** `fastify.route({ method: 'POST', url: '/x', handler })`. */
function optionsRoute(call: ts.CallExpression, app: AppInstance, framework: HttpFrameworkKnowledge): RouteRegistration | undefined {
  const options = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const handler = handlerFromOptions([options], framework);
  if (!handler) return undefined;
  const method = stringValue(propertyValueOf(options, 'method'))?.toUpperCase();
  const path = stringValue(propertyValueOf(options, 'url') ?? propertyValueOf(options, 'path'));
  return { framework: app.framework, call, app, method: method ?? 'UNKNOWN', path, isMiddleware: false, handlers: [handler] };
}

function handlerFromOptions(args: readonly ts.Expression[], framework: HttpFrameworkKnowledge): HandlerNode | undefined {
  for (const argument of args) {
    const value = skipOuter(argument);
    if (!ts.isObjectLiteralExpression(value)) continue;
    for (const name of framework.handlerProperties ?? []) {
      const handler = propertyExpression(value, name);
      if (handler) return handler;
    }
  }
  return undefined;
}

/** The value of `name: value`, or the method itself for `name() {}`. */
function propertyExpression(literal: ts.ObjectLiteralExpression, name: string): HandlerNode | undefined {
  for (const property of literal.properties) {
    if (!property.name || propertyName(property.name) !== name) continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
    if (ts.isMethodDeclaration(property)) return property;
  }
  return undefined;
}

function propertyValueOf(literal: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const value = propertyExpression(literal, name);
  return value && !ts.isMethodDeclaration(value) ? value : undefined;
}

function isPathArgument(argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  return ts.isStringLiteralLike(value) || ts.isTemplateExpression(value) || ts.isRegularExpressionLiteral(value)
    || ts.isArrayLiteralExpression(value) && value.elements.every((element) => ts.isStringLiteralLike(element));
}

function isHandlerExpression(argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isIdentifier(value)
    || ts.isPropertyAccessExpression(value) || ts.isCallExpression(value);
}

function stringValue(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const value = skipOuter(expression);
  return ts.isStringLiteralLike(value) ? value.text : undefined;
}

/** Which HTTP app a member call is made on (`app.listen`, `app.register`, `app.use`), for rules about the app itself. */
export function appMemberCall(call: ts.CallExpression, file: FileContext): { app: AppInstance; member: string } | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const app = httpAppOf(callee.expression, file);
  return app && { app, member: callee.name.text };
}

// ---------------------------------------------------------------------------------------------------------
// Boundaries

// Per tree, then per node: an incrementally updated tree reuses unchanged nodes, whose boundary can still change
// (an edited import, a new `express-async-errors`), so nothing is carried over from an earlier tree.
const boundaryCaches = new WeakMap<ts.SourceFile, WeakMap<ts.Node, Boundary | null>>();

/**
 * Whether a function (or the SourceFile, for top-level code) is a boundary, and which. Results are cached per
 * node; bindings created inside functions are only known once the traversal has passed them, so ask when
 * visiting code inside the function.
 */
export function boundaryOf(node: ts.Node, file: FileContext): Boundary | undefined {
  if (ts.isSourceFile(node)) {
    return { kind: 'module', framework: 'module', node, label: 'top-level module code', rejection: 'unhandled', params: {} };
  }
  if (!isFunctionLike(node)) return undefined;
  let boundaryCache = boundaryCaches.get(file.sourceFile);
  if (!boundaryCache) {
    boundaryCache = new WeakMap();
    boundaryCaches.set(file.sourceFile, boundaryCache);
  }
  const cached = boundaryCache.get(node);
  if (cached !== undefined) return cached ?? undefined;
  const boundary = decoratedBoundary(node, file) ?? positionalBoundary(node, file) ?? namedBoundary(node, file);
  boundaryCache.set(node, boundary ?? null);
  return boundary;
}

/** The expression a function sits in as a value (through parentheses and type assertions). */
function outerOf(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent)
    || ts.isSatisfiesExpression(current.parent) || ts.isTypeAssertionExpression(current.parent))) {
    current = current.parent;
  }
  return current;
}

function positionalBoundary(fn: FunctionLike, file: FileContext): Boundary | undefined {
  if (ts.isFunctionDeclaration(fn)) return exportedBoundary(fn, file, fn, undefined);
  if (ts.isMethodDeclaration(fn) && !ts.isObjectLiteralExpression(fn.parent)) return undefined;
  const direct = boundaryAtPosition(fn, fn, file, undefined);
  if (direct) return direct;
  // One level of wrapping: `app.get('/x', asyncHandler(async (req, res) => …))`.
  const position = outerOf(fn);
  const wrapperCall = position.parent;
  if (ts.isCallExpression(wrapperCall) && wrapperCall.arguments.includes(position as ts.Expression)) {
    const wrapper = wrapperInfo(wrapperCall, file);
    if (wrapper) return boundaryAtPosition(wrapperCall, fn, file, wrapper);
  }
  return undefined;
}

function wrapperInfo(call: ts.CallExpression, file: FileContext): Boundary['wrapper'] | undefined {
  const callee = skipOuter(call.expression);
  const chain = memberChain(callee);
  if (!chain) return undefined;
  const binding = file.bindings.get(chain.root);
  const name = [chain.root, ...chain.path].join('.');
  const catches = binding !== undefined && !binding.isInstance
    && (REJECTION_WRAPPER_MODULES.includes(binding.module) || (chain.path.length === 0 && REJECTION_WRAPPER_NAMES.test(binding.name)));
  return { name, catchesRejections: catches };
}

/** The boundary a value in this position is: a handler argument, an options property, an export. */
function boundaryAtPosition(value: ts.Node, fn: FunctionLike, file: FileContext, wrapper: Boundary['wrapper']): Boundary | undefined {
  const position = ts.isMethodDeclaration(value) ? value : outerOf(value);
  const parent = position.parent;
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const index = parent.arguments?.indexOf(position as ts.Expression) ?? -1;
    if (index >= 0) return callArgumentBoundary(parent, index, fn, file, wrapper);
  }
  if ((ts.isPropertyAssignment(parent) && parent.initializer === position) || ts.isShorthandPropertyAssignment(parent) || ts.isMethodDeclaration(position)) {
    const property = (ts.isMethodDeclaration(position) ? position : parent) as ts.PropertyAssignment | ts.ShorthandPropertyAssignment | ts.MethodDeclaration;
    const literal = property.parent;
    const name = property.name && propertyName(property.name);
    if (name && ts.isObjectLiteralExpression(literal)) return optionsPropertyBoundary(literal, name, fn, file, wrapper);
  }
  return exportedBoundary(position, file, fn, wrapper);
}

function callArgumentBoundary(
  call: ts.CallExpression | ts.NewExpression, index: number, fn: FunctionLike, file: FileContext, wrapper: Boundary['wrapper'],
): Boundary | undefined {
  if (ts.isCallExpression(call)) {
    const registration = isRouteRegistration(call, file);
    if (registration && registration.handlers.includes(call.arguments[index])) return routeBoundary(registration, fn, file, wrapper);
  }
  const argument = call.arguments?.[index];
  if (!argument) return undefined;
  for (const site of CALLBACK_SITES) {
    // The position is checked first: it is free, and matching the receiver resolves bindings.
    const wanted = site.argument === 'last' ? (call.arguments?.length ?? 0) - 1 : site.argument;
    if (wanted !== index || !matchesCallbackCall(site, call, file)) continue;
    return callbackBoundary(site, call, fn, file, wrapper);
  }
  return undefined;
}

function optionsPropertyBoundary(
  literal: ts.ObjectLiteralExpression, name: string, fn: FunctionLike, file: FileContext, wrapper: Boundary['wrapper'],
): Boundary | undefined {
  const position = outerOf(literal);
  const call = position.parent;
  if (!(ts.isCallExpression(call) || ts.isNewExpression(call)) || !call.arguments?.includes(position as ts.Expression)) return undefined;
  if (ts.isCallExpression(call)) {
    const registration = isRouteRegistration(call, file);
    const handlerValue = propertyExpression(literal, name);
    if (registration && handlerValue && registration.handlers.includes(handlerValue)) return routeBoundary(registration, fn, file, wrapper);
  }
  for (const site of CALLBACK_SITES) {
    if (typeof site.argument !== 'object' || !site.argument.properties.includes(name)) continue;
    if (call.arguments?.[0] !== position || !matchesCallbackCall(site, call, file)) continue;
    return callbackBoundary(site, call, fn, file, wrapper);
  }
  return undefined;
}

function matchesCallbackCall(site: CallbackSite, call: ts.CallExpression | ts.NewExpression, file: FileContext): boolean {
  if (Boolean(site.construct) !== ts.isNewExpression(call)) return false;
  const chain = memberChain(call.expression);
  if (!chain) return false;
  const expectedPath = site.members ? 1 : 0;
  if (chain.path.length !== expectedPath) return false;
  if (site.members && !site.members.includes(chain.path[0])) return false;
  const receiver = site.receiver;
  const binding = file.bindings.get(chain.root);
  if ('global' in receiver) {
    const root = rootIdentifier(call.expression);
    return chain.root === receiver.global && (binding === undefined || binding.module === receiver.global)
      && root !== undefined && parameterNamed(root) === undefined
      && file.external.calledFunction(call as ts.CallExpression) === undefined;
  }
  if (!binding) return false;
  if ('instanceOf' in receiver) return binding.isInstance && receiver.instanceOf.includes(binding.module);
  const imported = binding.imported === '*' ? 'default' : binding.imported;
  return !binding.isInstance && binding.module === receiver.module && receiver.imported.includes(imported);
}

function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let current = skipOuter(expression);
  while (ts.isPropertyAccessExpression(current)) current = skipOuter(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

function callbackBoundary(
  site: CallbackSite, call: ts.CallExpression | ts.NewExpression, fn: FunctionLike, file: FileContext, wrapper: Boundary['wrapper'],
): Boundary {
  let label = site.label;
  let rejection = site.rejection;
  if (site.kind === 'listener') {
    const event = call.arguments?.[0] && stringValue(call.arguments[0]);
    if (event) label = `${label} for '${event}'`;
    if (capturesRejections(call, file)) rejection = 'forwarded';
  }
  return { kind: site.kind, framework: site.framework, node: fn, label, rejection, wrapper, params: paramNames(fn, site.params) };
}

/** `new EventEmitter({ captureRejections: true })` turns a listener's rejection into an 'error' event. */
function capturesRejections(call: ts.CallExpression | ts.NewExpression, file: FileContext): boolean {
  const chain = memberChain(call.expression);
  const config = chain && file.bindings.get(chain.root)?.config;
  if (!config || !ts.isObjectLiteralExpression(config)) return false;
  const value = propertyValueOf(config, 'captureRejections');
  return value !== undefined && value.kind !== ts.SyntaxKind.FalseKeyword;
}

function routeBoundary(registration: RouteRegistration, fn: FunctionLike, file: FileContext, wrapper: Boundary['wrapper']): Boundary {
  const framework = frameworkById(registration.framework);
  let rejection = framework.rejection;
  let major: number | undefined;
  let name = framework.name;
  let roles = framework.params;
  if (registration.framework === 'express') {
    major = dependencyMajor(file.project, 'express');
    if (registration.app.forwardsRejections || (major !== undefined && major >= 5) || expressIsPatched(file)) rejection = 'forwarded';
    name = major === undefined ? 'Express 4 (or unknown version)' : `Express ${major}`;
    if (fn.parameters.length === 4) roles = ['error', 'request', 'response', 'next'];
  }
  const what = registration.isMiddleware ? 'middleware' : 'route handler';
  const where = registration.isMiddleware ? (registration.path ? ` on ${registration.path}` : '')
    : ` for ${registration.method}${registration.path !== undefined ? ` ${registration.path}` : ''}`;
  return {
    kind: 'route',
    framework: registration.framework,
    node: fn,
    label: `${name} ${what}${where}`,
    rejection,
    major,
    method: registration.method,
    path: registration.path,
    wrapper,
    params: paramNames(fn, roles),
  };
}

const patchedByFile = new WeakMap<ts.SourceFile, boolean>();

/** `express-async-errors` imported in this file, or declared as a dependency (it patches Express once, at startup). */
export function expressIsPatched(file: FileContext): boolean {
  // Asked once per route handler: remembered per parse, so a file of many routes does not rescan its statements each time.
  let patched = patchedByFile.get(file.sourceFile);
  if (patched === undefined) {
    patched = scanForExpressPatch(file);
    patchedByFile.set(file.sourceFile, patched);
  }
  return patched;
}

function scanForExpressPatch(file: FileContext): boolean {
  if (Object.prototype.hasOwnProperty.call(file.project.dependencies, EXPRESS_PATCH_MODULE)) return true;
  for (const statement of file.sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === EXPRESS_PATCH_MODULE) return true;
    if (ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression)) {
      const call = statement.expression;
      if (ts.isIdentifier(call.expression) && call.expression.text === 'require' && stringValue(call.arguments[0]) === EXPRESS_PATCH_MODULE) return true;
    }
  }
  return file.bindings.hasModule(EXPRESS_PATCH_MODULE);
}

function paramNames(fn: FunctionLike, roles: readonly ParamRole[]): Boundary['params'] {
  const params: Boundary['params'] = {};
  roles.forEach((role, index) => {
    const parameter = fn.parameters[index];
    if (parameter && ts.isIdentifier(parameter.name)) params[role] = parameter.name.text;
  });
  return params;
}

/** Next.js route exports, the pages API default export, and Lambda handlers. */
function exportedBoundary(position: ts.Node, file: FileContext, fn: FunctionLike, wrapper: Boundary['wrapper']): Boundary | undefined {
  const name = exportedName(position);
  if (!name) return undefined;
  const fileName = file.fileName.replace(/\\/g, '/');
  if (NEXT_APP_ROUTE_FILE.test(fileName) && NEXT_ROUTE_EXPORTS.includes(name)) {
    return { kind: 'route', framework: 'next', node: fn, label: `Next.js route handler ${name}`, rejection: 'forwarded', method: name, wrapper, params: paramNames(fn, ['request']) };
  }
  if (NEXT_PAGES_API_FILE.test(fileName) && name === 'default') {
    return { kind: 'route', framework: 'next-pages', node: fn, label: 'Next.js API route', rejection: 'forwarded', wrapper, params: paramNames(fn, ['request', 'response']) };
  }
  if (LAMBDA_EXPORTS.includes(name) && fn.parameters.length > 0 && looksLikeLambda(fn, file)) {
    return { kind: 'lambda', framework: 'aws-lambda', node: fn, label: 'Lambda handler', rejection: 'forwarded', wrapper, params: paramNames(fn, ['event']) };
  }
  return undefined;
}

/** The name a value is exported under: `export function GET`, `export const handler = …`, `exports.handler = …`, `export default …`. */
function exportedName(position: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(position)) {
    const modifiers = ts.getModifiers(position) ?? [];
    if (!modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
    if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) return 'default';
    return position.name?.text;
  }
  const parent = position.parent;
  if (!parent) return undefined;
  if (ts.isExportAssignment(parent) && !parent.isExportEquals) return 'default';
  if (ts.isVariableDeclaration(parent) && parent.initializer === position && ts.isIdentifier(parent.name)) {
    const statement = parent.parent.parent;
    const exported = ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent)
      && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    return exported ? parent.name.text : undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.right === position && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return commonJsExportName(parent.left);
  }
  return undefined;
}

/** `exports.handler` or `module.exports.handler` gives 'handler'. */
function commonJsExportName(target: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(target)) return undefined;
  const object = target.expression;
  const isExports = ts.isIdentifier(object) && object.text === 'exports';
  const isModuleExports = ts.isPropertyAccessExpression(object) && ts.isIdentifier(object.expression)
    && object.expression.text === 'module' && object.name.text === 'exports';
  return isExports || isModuleExports ? target.name.text : undefined;
}

/** A `handler` export is a Lambda when its event parameter says so: an aws-lambda type, a Lambda dependency, or the name `event`. */
function looksLikeLambda(fn: FunctionLike, file: FileContext): boolean {
  const first = fn.parameters[0];
  if (ts.isIdentifier(first.name) && /^_?event$/.test(first.name.text)) return true;
  for (const binding of file.bindings.all()) if (LAMBDA_TYPE_MODULES.includes(binding.module)) return true;
  return LAMBDA_DEPENDENCIES.some((name) => Object.prototype.hasOwnProperty.call(file.project.dependencies, name));
}

/** NestJS methods: `@Get()` in a `@Controller()` class, `@Cron()`, `@Process()`. */
function decoratedBoundary(fn: FunctionLike, file: FileContext): Boundary | undefined {
  if (!ts.isMethodDeclaration(fn) || !ts.isClassLike(fn.parent)) return undefined;
  for (const decorator of decoratorsOf(fn)) {
    const resolved = decoratorImport(decorator, file);
    if (!resolved) continue;
    const entry = DECORATOR_BOUNDARIES.find((candidate) => candidate.module === resolved.module && candidate.names.includes(resolved.imported));
    if (!entry) continue;
    if (entry.classDecorators) {
      const classDecorators = decoratorsOf(fn.parent).map((classDecorator) => decoratorImport(classDecorator, file));
      const hasClassDecorator = classDecorators.some((candidate) => candidate?.module === entry.module && entry.classDecorators?.includes(candidate.imported));
      if (!hasClassDecorator) continue;
    }
    const method = entry.kind === 'route' ? resolved.imported.toUpperCase() : undefined;
    const path = entry.kind === 'route' ? stringValue(resolved.argument) : undefined;
    const label = method ? `${entry.label} ${method}${path ? ` ${path}` : ''}` : entry.label;
    return { kind: entry.kind, framework: entry.framework, node: fn, label, rejection: entry.rejection, method, path, params: {} };
  }
  return undefined;
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
}

function decoratorImport(decorator: ts.Decorator, file: FileContext): { module: string; imported: string; argument?: ts.Expression } | undefined {
  const expression = decorator.expression;
  const callee = ts.isCallExpression(expression) ? expression.expression : expression;
  if (!ts.isIdentifier(callee)) return undefined;
  const binding = file.bindings.get(callee.text);
  if (!binding || binding.isInstance) return undefined;
  return { module: binding.module, imported: binding.imported, argument: ts.isCallExpression(expression) ? expression.arguments[0] : undefined };
}

/**
 * Top-level functions registered by name: `app.get('/x', listUsers)`, `new Worker('q', processJob)`,
 * `export default handler`, `exports.handler = handler`. Only top-level statements are searched.
 */
function namedBoundary(fn: FunctionLike, file: FileContext): Boundary | undefined {
  const name = topLevelFunctionName(fn);
  if (!name) return undefined;
  for (const use of topLevelUses(file).get(name) ?? []) {
    const boundary = boundaryAtPosition(use, fn, file, undefined);
    if (boundary) return boundary;
    const position = outerOf(use);
    const wrapperCall = position.parent;
    if (ts.isCallExpression(wrapperCall) && wrapperCall.arguments.includes(position as ts.Expression)) {
      const wrapper = wrapperInfo(wrapperCall, file);
      const wrapped = wrapper && boundaryAtPosition(wrapperCall, fn, file, wrapper);
      if (wrapped) return wrapped;
    }
  }
  return undefined;
}

function topLevelFunctionName(fn: FunctionLike): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name && ts.isSourceFile(fn.parent) ? fn.name.text : undefined;
  const position = outerOf(fn);
  const declaration = position.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const statement = declaration.parent.parent;
  return ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) ? declaration.name.text : undefined;
}

const usesCache = new WeakMap<ts.SourceFile, Map<string, ts.Identifier[]>>();

/** Identifiers used as call arguments, option values or exports in top-level statements (not inside functions). */
function topLevelUses(file: FileContext): Map<string, ts.Identifier[]> {
  const cached = usesCache.get(file.sourceFile);
  if (cached) return cached;
  const uses = new Map<string, ts.Identifier[]>();
  const record = (identifier: ts.Identifier): void => {
    const list = uses.get(identifier.text) ?? [];
    list.push(identifier);
    uses.set(identifier.text, list);
  };
  for (const statement of file.sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isImportDeclaration(statement)) continue;
    const stack: ts.Node[] = [statement];
    while (stack.length > 0) {
      const node = stack.pop() as ts.Node;
      if (isFunctionLike(node) || ts.isClassLike(node)) continue;
      if (ts.isIdentifier(node) && isValuePosition(node)) record(node);
      ts.forEachChild(node, (child) => { stack.push(child); });
    }
  }
  usesCache.set(file.sourceFile, uses);
  return uses;
}

function isValuePosition(identifier: ts.Identifier): boolean {
  const parent = outerOf(identifier).parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(outerOf(identifier) as ts.Expression)) return true;
  if (ts.isPropertyAssignment(parent) && parent.initializer === outerOf(identifier)) return true;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isExportAssignment(parent)) return true;
  return ts.isBinaryExpression(parent) && parent.right === outerOf(identifier) && commonJsExportName(parent.left) !== undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Rate limiters as data

/**
 * Modules that rate-limit an HTTP app when installed: middleware, plugins, Nest modules and guards, and stores
 * only used by a limiter. Importing one in the file that builds an app, or declaring one as a dependency of the
 * project, is evidence that requests are limited.
 */
export const RATE_LIMITER_MODULES: readonly string[] = [
  'express-rate-limit', 'express-slow-down', 'express-brute', 'express-limiter', 'rate-limit-redis', 'rate-limiter-flexible',
  '@fastify/rate-limit', 'fastify-rate-limit', 'koa-ratelimit', 'koa2-ratelimit', 'koa-simple-ratelimit',
  '@nestjs/throttler', 'nestjs-throttler-storage-redis', '@nest-lab/throttler-storage-redis',
  'hono-rate-limiter', '@hono-rate-limiter/redis', '@upstash/ratelimit', '@arcjet/node', '@arcjet/nest', '@arcjet/next',
];

/** A project module whose name says it is a limiter (`./middlewares/rateLimiter`, `@/lib/throttle`). */
export const RATE_LIMITER_NAME = /rate[-_]?limit|limiter|throttl/i;

/** Whether a module is a known or user-declared rate limiter (`failpath.rateLimiters`). */
export function isRateLimiterModule(moduleName: string, userDeclared: readonly string[] = []): boolean {
  return RATE_LIMITER_MODULES.includes(moduleName) || userDeclared.includes(moduleName)
    || RATE_LIMITER_MODULES.some((known) => moduleName.startsWith(`${known}/`));
}
