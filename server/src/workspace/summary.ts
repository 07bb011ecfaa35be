import * as ts from 'typescript';
import { builtinModules } from 'node:module';
import { Bindings, skipOuter, type Binding } from '../engine/bindings';
import { ExternalCalls, isClassInstance, isFunctionLike, memberChain, type FunctionLike } from '../engine/external';
import { findProperty, hasSpread, isBareRethrow, promiseChainRootUnlessHandled, propertyValue, pushChildrenInOrder, walk } from '../engine/ast';
import { isRateLimiterModule } from '../engine/frameworks';
import type { ExternalKind, HttpStyle } from '../engine/knowledge';

/**
 * What other files need to know about one file, as small plain data (no syntax tree), computed from one parse:
 * its exports and whether calling them leaves the process, the clients, loggers and rate limiters it exports.
 * Summaries are JSON-safe and structured-clone-safe: the CLI sends them to worker threads.
 */

export interface Site {
  line: number;
  character: number;
  /** The code at the site, for messages: `prisma.user.findMany()`. */
  text: string;
}

/** An external call made in this file. */
export interface ExternalFact {
  kind: ExternalKind;
  /** The package the call goes through (`axios`, `@prisma/client`). */
  module: string;
  site: Site;
  /** Its failure reaches the caller only as an error the function throws in its place (`catch (e) { throw new AppError(…) }`). */
  translated?: boolean;
}

/** A call into another module that the index resolves later: `import { getUser } from './users'; await getUser()`. */
export interface ImportedCall {
  specifier: string;
  imported: string;
  path: string[];
  site: Site;
  translated?: boolean;
}

/** What calling a function passes on to its caller: an external call it awaits or returns without handling. */
export interface FunctionFacts {
  external?: ExternalFact;
  /** Calls into other modules it awaits or returns without handling (up to a few), resolved by the index. */
  calls?: ImportedCall[];
}

/** A client instance created in this file (`axios.create({ timeout })`, `new PrismaClient()`). */
export interface ClientFact {
  module: string;
  kind: ExternalKind;
  http?: HttpStyle;
  /** Whether the instance bounds the wait (timeout or signal in its config or defaults); undefined when it cannot tell. */
  bounded?: boolean;
  baseURL?: string;
  site: Site;
}

export type LoggerStyle = 'pino' | 'winston';

export interface ExportFact {
  /** Calling the export itself. */
  fn?: FunctionFacts;
  /** Calling `<export>.<member>()`: object members, static methods, methods of an exported instance. */
  members?: Record<string, FunctionFacts>;
  /** Calling `new <export>().<member>()`: instance methods of an exported class. */
  prototype?: Record<string, FunctionFacts>;
  client?: ClientFact;
  logger?: LoggerStyle;
  /** It is a rate limiter, or installs one (a router or an app setup function with `.use(limiter)`). */
  limiter?: Site;
  /** Imported things it installs with `.use(...)` / `.register(...)`, checked for limiters by the index. */
  mounts?: { specifier: string; imported: string }[];
  /** It is another module's export (`export { x } from './x'`, `import x …; export default x`); `instance` for `new X()`. */
  from?: { specifier: string; imported: string; instance?: boolean };
}

export interface FileSummary {
  fileName: string;
  exports: Record<string, ExportFact>;
  /** `export * from '…'`. */
  starExports: string[];
  /** Every module specifier the file imports or re-exports (to find importers). */
  imports: string[];
}

const MAX_IMPORTED_CALLS = 6;
const LOGGER_MODULES: Readonly<Record<string, LoggerStyle>> = { pino: 'pino', bunyan: 'pino', winston: 'winston' };
/** Modules whose instances are exported loggers: a file that never names one of them exports no logger. */
export const LOGGER_MODULE_NAMES: readonly string[] = Object.keys(LOGGER_MODULES);
const BUILTINS = new Set(builtinModules);

/** `.use(` or `.register(`, spaced or not: the calls `collectMiddlewareUses` looks at. */
const MIDDLEWARE_CALL = /\.\s*(use|register)\s*\(/;

/** The `.use(…)` / `.register(…)` calls of a file that install a rate limiter or something imported. */
interface MiddlewareUses {
  limiters: { site: Site; node: ts.Node }[];
  imported: { specifier: string; imported: string; node: ts.Node }[];
}

export function summarizeFile(sourceFile: ts.SourceFile, externalModules: Readonly<Record<string, ExternalKind>> = {}): FileSummary {
  // A copy: the summary's strings (module specifiers, names) are slices of the file's text, and V8 keeps a sliced
  // string's whole parent alive, so without it the index held the text of every file (51% of the heap at 10k files).
  return detachedCopy(new Summarizer(sourceFile, externalModules).summary()) as FileSummary;
}

/**
 * What `structuredClone` made of summary data (plain objects and arrays, `undefined` members kept), about 4x cheaper on the default corpus:
 * every string is copied into a string of its own. Property names need no copy: V8 stores them internalized,
 * and an internalized string is never a slice.
 */
function detachedCopy(value: unknown): unknown {
  if (typeof value === 'string') return ownString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(detachedCopy);
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) copy[key] = detachedCopy(source[key]);
  return copy;
}

/**
 * The same characters, not holding on to the text `text` was sliced from: `' ' + text` is a pair that `slice`
 * first flattens into a new string, and the result is at most a slice of that one.
 */
function ownString(text: string): string {
  return (' ' + text).slice(1);
}

class Summarizer {
  private readonly bindings: Bindings;
  private readonly external: ExternalCalls;
  private readonly declarations = new Map<string, ts.Node>();
  private readonly functionFacts = new Map<ts.Node, FunctionFacts>();
  private readonly inProgress = new Set<ts.Node>();
  private readonly localFacts = new Map<string, ExportFact | undefined>();
  /** Read on first need: files that export no function and no value never pay for the scan. */
  private middleware: MiddlewareUses | undefined;

  constructor(private readonly sourceFile: ts.SourceFile, externalModules: Readonly<Record<string, ExternalKind>>) {
    this.bindings = new Bindings(externalModules);
    this.bindings.collectTopLevel(sourceFile);
    this.collectDeclarationsAndMembers();
    this.external = new ExternalCalls(this.bindings, sourceFile.fileName, undefined);
    this.external.collectFunctions(sourceFile);
  }

  summary(): FileSummary {
    const exports: Record<string, ExportFact> = Object.create(null) as Record<string, ExportFact>;
    const starExports: string[] = [];
    const set = (name: string, fact: ExportFact | undefined): void => {
      if (fact && !Object.prototype.hasOwnProperty.call(exports, name)) exports[name] = fact;
    };
    for (const statement of this.sourceFile.statements) {
      if (ts.isExportDeclaration(statement)) {
        this.readExportDeclaration(statement, set, starExports);
      } else if (ts.isExportAssignment(statement)) {
        set('default', this.expressionFact(statement.expression));
      } else if (ts.isExpressionStatement(statement)) {
        this.readCommonJsExport(statement.expression, set);
      } else if (hasExportModifier(statement)) {
        const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
        if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement))) {
          const fact = ts.isFunctionDeclaration(statement) ? this.functionExport(statement) : this.classFact(statement);
          if (isDefault) set('default', fact);
          else if (statement.name) set(statement.name.text, fact);
        } else if (ts.isVariableStatement(statement)) {
          for (const declaration of statement.declarationList.declarations) {
            if (ts.isIdentifier(declaration.name)) set(declaration.name.text, this.localFact(declaration.name.text));
          }
        }
      }
    }
    return { fileName: this.sourceFile.fileName, exports, starExports, imports: this.importedSpecifiers() };
  }

  // Declarations -------------------------------------------------------------------------------------------

  private collectDeclarationsAndMembers(): void {
    for (const statement of this.sourceFile.statements) {
      if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        this.declarations.set(statement.name.text, statement);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) this.declarations.set(declaration.name.text, declaration);
        }
      }
      if (ts.isClassDeclaration(statement)) this.collectClassMembers(statement);
    }
  }

  /** Clients held by a class: fields, constructor parameter properties (injection) and `this.x = …` in the constructor. */
  private collectClassMembers(node: ts.ClassLikeDeclaration): void {
    for (const member of node.members) {
      if (ts.isPropertyDeclaration(member) && member.initializer && ts.isIdentifier(member.name)) {
        this.bindings.collectMember(member.name.text, member.initializer, member);
      } else if (ts.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) this.bindings.collectParameterProperty(parameter, { workspaceOnly: false });
        for (const statement of member.body?.statements ?? []) {
          if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
          const { left, right, operatorToken } = statement.expression;
          if (operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
            this.bindings.collectMember(left.name.text, right, statement);
          }
        }
      }
    }
  }

  private importedSpecifiers(): string[] {
    const specifiers = new Set<string>();
    for (const binding of this.bindings.all()) {
      let root: Binding = binding;
      while (root.parent) root = root.parent;
      if (!root.knowledge && isProjectCandidate(root.module)) specifiers.add(root.module);
    }
    for (const statement of this.sourceFile.statements) {
      if ((ts.isExportDeclaration(statement) || ts.isImportDeclaration(statement)) && statement.moduleSpecifier
        && ts.isStringLiteral(statement.moduleSpecifier) && isProjectCandidate(statement.moduleSpecifier.text)) {
        specifiers.add(statement.moduleSpecifier.text);
      }
    }
    return [...specifiers];
  }

  // Exports ------------------------------------------------------------------------------------------------

  private readExportDeclaration(statement: ts.ExportDeclaration, set: (name: string, fact: ExportFact | undefined) => void, stars: string[]): void {
    if (statement.isTypeOnly) return;
    const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
    const clause = statement.exportClause;
    if (!clause) {
      if (specifier) stars.push(specifier);
      return;
    }
    if (ts.isNamespaceExport(clause)) {
      if (specifier) set(clause.name.text, { from: { specifier, imported: '*' } });
      return;
    }
    for (const element of clause.elements) {
      if (element.isTypeOnly) continue;
      const local = (element.propertyName ?? element.name).text;
      set(element.name.text, specifier ? { from: { specifier, imported: local } } : this.localFact(local));
    }
  }

  /** `module.exports = …`, `module.exports.x = …`, `exports.x = …`. */
  private readCommonJsExport(expression: ts.Expression, set: (name: string, fact: ExportFact | undefined) => void): void {
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    if (!mayBeExportsTarget(expression.left)) return;
    const target = expression.left.getText(this.sourceFile).replace(/\s+/g, '');
    if (target === 'module.exports') {
      const value = skipOuter(expression.right);
      set('default', this.expressionFact(value));
      if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          const name = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
          if (name) set(name, this.propertyFact(property));
        }
      }
      return;
    }
    const named = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
    if (named) set(named[1], this.expressionFact(expression.right));
  }

  private functionExport(fn: FunctionLike): ExportFact {
    return withLimiter({ fn: this.factsOf(fn) }, this.limiterInside(fn), this.mountsInside(fn));
  }

  private localFact(name: string): ExportFact | undefined {
    if (this.localFacts.has(name)) return this.localFacts.get(name);
    this.localFacts.set(name, undefined);
    const fact = this.localFactUncached(name);
    this.localFacts.set(name, fact);
    return fact;
  }

  private localFactUncached(name: string): ExportFact | undefined {
    const declaration = this.declarations.get(name);
    if (declaration && ts.isFunctionDeclaration(declaration)) return this.functionExport(declaration);
    if (declaration && ts.isClassDeclaration(declaration)) return this.classFact(declaration);
    const fromBinding = this.bindingFact(this.bindings.get(name));
    if (fromBinding) return fromBinding;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      // A value (a router, an app, a config object): what it installs is what the module installs at the top level.
      const fact = this.expressionFact(declaration.initializer) ?? {};
      if (!fact.fn && !fact.from) return withLimiter(fact, this.topLevelLimiter(), this.topLevelMounts());
      return fact;
    }
    return undefined;
  }

  private expressionFact(expression: ts.Expression): ExportFact | undefined {
    const value = skipOuter(expression);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return this.functionExport(value);
    if (ts.isIdentifier(value)) return this.localFact(value.text);
    if (ts.isClassExpression(value)) return this.classFact(value);
    if (ts.isObjectLiteralExpression(value)) {
      const members: Record<string, FunctionFacts> = Object.create(null) as Record<string, FunctionFacts>;
      for (const property of value.properties) {
        const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
        const fact = name ? this.propertyFact(property) : undefined;
        if (name && fact?.fn) members[name] = fact.fn;
      }
      return { members };
    }
    if (ts.isNewExpression(value)) return this.instanceFact(value);
    if (ts.isCallExpression(value)) return this.createdFact(value);
    return undefined;
  }

  private propertyFact(property: ts.ObjectLiteralElementLike): ExportFact | undefined {
    if (ts.isMethodDeclaration(property)) return { fn: this.factsOf(property) };
    if (ts.isShorthandPropertyAssignment(property)) return this.localFact(property.name.text);
    if (ts.isPropertyAssignment(property)) return this.expressionFact(property.initializer);
    return undefined;
  }

  /** `new LocalService()` exposes the class's methods; `new ImportedService()` is that module's class. */
  private instanceFact(creation: ts.NewExpression): ExportFact | undefined {
    const callee = skipOuter(creation.expression);
    if (!ts.isIdentifier(callee)) return undefined;
    const declaration = this.declarations.get(callee.text);
    if (declaration && ts.isClassDeclaration(declaration)) return { members: this.classFact(declaration).prototype };
    const binding = this.bindings.get(callee.text);
    if (binding && !binding.isInstance && !binding.knowledge && isProjectCandidate(binding.module)) {
      return { from: { specifier: binding.module, imported: binding.imported, instance: true } };
    }
    return undefined;
  }

  /** `export default pino()`, `export default axios.create({...})`, `export const limiter = rateLimit({...})` written inline. */
  private createdFact(call: ts.CallExpression): ExportFact | undefined {
    const root = memberChain(call.expression)?.root;
    const source = root ? this.bindings.get(root) : undefined;
    if (!source) return undefined;
    const style = LOGGER_MODULES[source.module];
    if (style) return { logger: style };
    if (isRateLimiterModule(source.module)) return { limiter: this.siteOf(call) };
    if (source.knowledge && !source.isInstance) {
      const synthetic: Binding = { ...source, isInstance: true, imported: 'instance', creation: call, parent: source, name: '(export)', declaration: call };
      const client = this.clientFact(synthetic);
      return client ? { client } : undefined;
    }
    return undefined;
  }

  private bindingFact(binding: Binding | undefined): ExportFact | undefined {
    if (!binding) return undefined;
    let origin: Binding = binding;
    while (origin.parent) origin = origin.parent;
    if (binding.isInstance) {
      const style = LOGGER_MODULES[binding.module];
      if (style) return { logger: style };
      if (isRateLimiterModule(binding.module)) return binding.creation ? { limiter: this.siteOf(binding.creation) } : undefined;
      if (binding.knowledge) {
        const client = this.clientFact(binding);
        return client ? { client } : undefined;
      }
      if (isClassInstance(binding) && binding.parent && !binding.parent.isInstance && isProjectCandidate(binding.module)) {
        return { from: { specifier: binding.module, imported: binding.parent.imported, instance: true } };
      }
      return undefined;
    }
    if (!binding.knowledge && isProjectCandidate(binding.module) && binding.module === origin.module) {
      return { from: { specifier: binding.module, imported: binding.imported } };
    }
    return undefined;
  }

  private classFact(node: ts.ClassLikeDeclaration): ExportFact {
    const prototype: Record<string, FunctionFacts> = Object.create(null) as Record<string, FunctionFacts>;
    const members: Record<string, FunctionFacts> = Object.create(null) as Record<string, FunctionFacts>;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
      const facts = this.factsOf(member);
      if (!facts.external && !facts.calls) continue;
      const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
      (isStatic ? members : prototype)[member.name.text] = facts;
    }
    return { prototype, members };
  }

  // Function facts -----------------------------------------------------------------------------------------

  /** What a function passes on to its caller; memoized, recursion through same-file helpers ends as "nothing". */
  private factsOf(fn: FunctionLike): FunctionFacts {
    const cached = this.functionFacts.get(fn);
    if (cached) return cached;
    if (this.inProgress.has(fn)) return {};
    this.inProgress.add(fn);
    const facts = this.computeFacts(fn);
    this.inProgress.delete(fn);
    this.functionFacts.set(fn, facts);
    return facts;
  }

  private computeFacts(fn: FunctionLike): FunctionFacts {
    const facts: FunctionFacts = {};
    const body = fn.body;
    if (!body) return facts;
    const consider = (expression: ts.Expression | undefined, at: ts.Node): void => {
      if (!expression || (facts.external && !facts.external.translated && facts.calls && facts.calls.length >= MAX_IMPORTED_CALLS)) return;
      const handling = handlingAround(at, fn);
      if (handling === 'handled') return;
      for (const call of passedOnCalls(expression)) this.addCallFacts(call, facts, handling === 'translated');
    };
    if (!ts.isBlock(body)) {
      consider(body, body);
      return facts;
    }
    // `walk(body, …)` that skips what cannot hold an `await` or `return`: a subtree whose text names neither.
    const keywords = keywordPositions(this.sourceFile.text, body.pos, body.end);
    const stack: ts.Node[] = [body];
    const push = (child: ts.Node): void => { stack.push(child); };
    while (stack.length > 0) {
      const node = stack.pop() as ts.Node;
      if (node !== body && isFunctionLike(node)) continue;
      if (keywords && !hasPositionIn(keywords, node.pos, node.end)) continue;
      if (ts.isAwaitExpression(node)) consider(node.expression, node);
      else if (ts.isReturnStatement(node)) consider(node.expression, node);
      pushChildrenInOrder(node, stack, push);
    }
    return facts;
  }

  private addCallFacts(call: ts.CallExpression, facts: FunctionFacts, translated: boolean): void {
    const local = this.external.calledFunction(call);
    if (local) {
      const inner = this.factsOf(local);
      if (inner.external) setExternal(facts, translated ? { ...inner.external, translated } : inner.external);
      for (const imported of inner.calls ?? []) addImportedCall(facts, translated ? { ...imported, translated } : imported);
      return;
    }
    const verdict = this.external.classify(call);
    if (verdict) {
      setExternal(facts, { kind: verdict.kind, module: verdict.module, site: this.siteOf(call), ...(translated ? { translated } : {}) });
      return;
    }
    const chain = memberChain(call.expression);
    const binding = chain && this.bindings.get(chain.root);
    if (!chain || !binding || binding.knowledge) return;
    if (!binding.isInstance && isProjectCandidate(binding.module)) {
      addImportedCall(facts, { specifier: binding.module, imported: binding.imported, path: chain.path, site: this.siteOf(call), ...(translated ? { translated } : {}) });
    } else if (binding.isInstance && isClassInstance(binding) && binding.parent && !binding.parent.isInstance && !binding.parent.knowledge && isProjectCandidate(binding.module)) {
      addImportedCall(facts, {
        specifier: binding.module, imported: binding.parent.imported, path: ['prototype', ...chain.path], site: this.siteOf(call), ...(translated ? { translated } : {}),
      });
    }
  }

  // Clients -----------------------------------------------------------------------------------------------

  private clientFact(binding: Binding): ClientFact | undefined {
    const knowledge = binding.knowledge;
    if (!knowledge || !binding.creation) return undefined;
    const fact: ClientFact = { module: binding.module, kind: knowledge.kind, site: this.siteOf(binding.creation) };
    if (knowledge.http) {
      fact.http = knowledge.http;
      const config = configOf(binding);
      fact.bounded = config === 'unknown' ? undefined : config !== undefined && boundsWait(config);
      if (!fact.bounded && this.defaultsTimeoutSet(binding.name)) fact.bounded = true;
      const baseURL = config && config !== 'unknown' ? findProperty(config, 'baseURL') ?? findProperty(config, 'prefixUrl') : undefined;
      const baseValue = baseURL && propertyValue(baseURL);
      if (baseValue && ts.isStringLiteralLike(baseValue)) fact.baseURL = baseValue.text;
    }
    return fact;
  }

  /** `api.defaults.timeout = 5000` at the top level of the file that creates the instance. */
  private defaultsTimeoutSet(name: string): boolean {
    return this.sourceFile.statements.some((statement) => {
      if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return false;
      const left = statement.expression.left;
      return ts.isPropertyAccessExpression(left) && left.name.text === 'timeout'
        && left.expression.getText(this.sourceFile).replace(/\s+/g, '') === `${name}.defaults`;
    });
  }

  // Rate limiters -----------------------------------------------------------------------------------------

  private middlewareUses(): MiddlewareUses {
    return this.middleware ??= this.collectMiddlewareUses();
  }

  /** `.use(limiter)` / `.register(limiterPlugin)` anywhere in the file, and imported things installed that way. */
  private collectMiddlewareUses(): MiddlewareUses {
    const uses: MiddlewareUses = { limiters: [], imported: [] };
    // Most files install no middleware: a scan of the text spares them a walk of the tree.
    if (!MIDDLEWARE_CALL.test(this.sourceFile.text)) return uses;
    walk(this.sourceFile, (node) => {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
      const method = node.expression.name.text;
      if (method !== 'use' && method !== 'register') return undefined;
      for (const argument of node.arguments) {
        const value = skipOuter(argument);
        const root = ts.isIdentifier(value) ? value.text : ts.isCallExpression(value) ? memberChain(value.expression)?.root : undefined;
        const binding = root ? this.bindings.get(root) : undefined;
        if (!binding) continue;
        let origin: Binding = binding;
        while (origin.parent) origin = origin.parent;
        if (isRateLimiterModule(origin.module)) uses.limiters.push({ site: this.siteOf(node), node });
        else if (!origin.knowledge && isProjectCandidate(origin.module) && !binding.isInstance) {
          uses.imported.push({ specifier: origin.module, imported: binding.imported, node });
        }
      }
      return undefined;
    }, { intoFunctions: true });
    return uses;
  }

  private limiterInside(fn: ts.Node): Site | undefined {
    return this.middlewareUses().limiters.find((use) => isInside(use.node, fn))?.site;
  }

  private mountsInside(fn: ts.Node): { specifier: string; imported: string }[] {
    return this.middlewareUses().imported.filter((use) => isInside(use.node, fn)).map(({ specifier, imported }) => ({ specifier, imported }));
  }

  private topLevelLimiter(): Site | undefined {
    return this.middlewareUses().limiters.find((use) => !insideFunction(use.node))?.site;
  }

  private topLevelMounts(): { specifier: string; imported: string }[] {
    return this.middlewareUses().imported.filter((use) => !insideFunction(use.node)).map(({ specifier, imported }) => ({ specifier, imported }));
  }

  private siteOf(node: ts.Node): Site {
    const start = node.getStart(this.sourceFile);
    const { line, character } = this.sourceFile.getLineAndCharacterOfPosition(start);
    const raw = node.getText(this.sourceFile).replace(/\s+/g, ' ');
    return { line, character, text: raw.length > 80 ? `${raw.slice(0, 77)}...` : raw };
  }
}

function withLimiter(fact: ExportFact, limiter: Site | undefined, mounts: { specifier: string; imported: string }[]): ExportFact {
  if (limiter) fact.limiter = limiter;
  if (mounts.length > 0) fact.mounts = mounts;
  return fact;
}

/** An open (untranslated) failure wins over a translated one: it is what the caller must handle. */
function setExternal(facts: FunctionFacts, fact: ExternalFact): void {
  if (!facts.external || (facts.external.translated && !fact.translated)) facts.external = fact;
}

function addImportedCall(facts: FunctionFacts, call: ImportedCall): void {
  facts.calls ??= [];
  if (facts.calls.length >= MAX_IMPORTED_CALLS) return;
  if (facts.calls.some((known) => known.specifier === call.specifier && known.imported === call.imported && known.path.join('.') === call.path.join('.'))) return;
  facts.calls.push(call);
}

/** The calls whose rejection an awaited or returned expression passes on (not those given a `.catch`). */
function passedOnCalls(expression: ts.Expression): ts.CallExpression[] {
  const value = skipOuter(expression);
  if (ts.isCallExpression(value)) {
    const callee = skipOuter(value.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise') {
      const member = callee.name.text;
      const argument = value.arguments[0] && skipOuter(value.arguments[0]);
      if ((member === 'all' || member === 'race' || member === 'any') && argument && ts.isArrayLiteralExpression(argument)) {
        return argument.elements.flatMap((element) => (ts.isSpreadElement(element) ? [] : passedOnCalls(element)));
      }
      return [];
    }
    const root = promiseChainRootUnlessHandled(value);
    return root ? [root] : [];
  }
  return [];
}

/**
 * What a try/catch between the node and the function does with a failure: `handled` when the catch does not
 * always throw; `translated` when it always throws something other than the caught error (an error of the
 * project's own, which frameworks that forward rejections answer as the project chose); else `open`.
 */
function handlingAround(node: ts.Node, fn: ts.Node): 'handled' | 'translated' | 'open' {
  let child: ts.Node = node;
  let handling: 'translated' | 'open' = 'open';
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (!ts.isTryStatement(current) || child !== current.tryBlock || !current.catchClause) continue;
    if (!alwaysThrows(current.catchClause.block)) return 'handled';
    if (!isBareRethrow(current.catchClause)) handling = 'translated';
  }
  return handling;
}

/**
 * Where `await` or `return` is written in `text[start, end)`, ascending; undefined when the range has a `\u` escape,
 * since an escaped keyword (`\u0061wait`) still parses as one. Also finds the words in names, strings and comments:
 * that only costs a skip.
 */
function keywordPositions(text: string, start: number, end: number): number[] | undefined {
  const range = text.slice(start, end);
  if (range.includes('\\u')) return undefined;
  const positions: number[] = [];
  for (const keyword of ['await', 'return']) {
    for (let at = range.indexOf(keyword); at !== -1; at = range.indexOf(keyword, at + 1)) positions.push(start + at);
  }
  return positions.sort((a, b) => a - b);
}

/** Whether a sorted list holds a position in `[start, end)` (binary search: the walk need not visit in order). */
function hasPositionIn(positions: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle] < start) low = middle + 1;
    else high = middle;
  }
  return low < positions.length && positions[low] < end;
}

function alwaysThrows(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement)) return true;
  if (ts.isIfStatement(statement)) return statement.elseStatement !== undefined && alwaysThrows(statement.thenStatement) && alwaysThrows(statement.elseStatement);
  if (!ts.isBlock(statement)) return false;
  for (const inner of statement.statements) {
    if (alwaysThrows(inner)) return true;
    if (ts.isReturnStatement(inner)) return false;
  }
  return false;
}

/** The options object a client was created with; 'unknown' when it is there but not readable. */
function configOf(binding: Binding): ts.ObjectLiteralExpression | 'unknown' | undefined {
  for (let current: Binding | undefined = binding; current; current = current.parent) {
    if (!current.isInstance || !current.creation) continue;
    const argument = current.creation.arguments?.[0];
    if (!argument) continue;
    const value = skipOuter(argument);
    if (!ts.isObjectLiteralExpression(value)) return 'unknown';
    if (hasSpread(value)) return 'unknown';
    return value;
  }
  return undefined;
}

function boundsWait(config: ts.ObjectLiteralExpression): boolean {
  return ['timeout', 'signal'].some((name) => {
    const property = findProperty(config, name);
    if (!property) return false;
    const value = property && propertyValue(property);
    if (!value) return true;
    const inner = skipOuter(value);
    if (inner.kind === ts.SyntaxKind.FalseKeyword || inner.kind === ts.SyntaxKind.NullKeyword) return false;
    if (ts.isIdentifier(inner) && inner.text === 'undefined') return false;
    return !(ts.isNumericLiteral(inner) && Number(inner.text) === 0);
  });
}

/** Could name a workspace file: not a Node built-in (packages are asked; the resolver answers for workspace ones). */
export function isProjectCandidate(specifier: string): boolean {
  if (specifier.startsWith('node:')) return false;
  const slash = specifier.indexOf('/');
  return !BUILTINS.has(slash === -1 ? specifier : specifier.slice(0, slash));
}

/**
 * Whether an assignment's target has the shape of `module.exports`, `exports.x` or `module.exports.x`, so that only
 * those few pay for reading the target's text (which also rejects what is written with escapes or comments).
 */
function mayBeExportsTarget(target: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(target)) return false;
  const object = target.expression;
  if (ts.isIdentifier(object)) return object.text === 'module' || object.text === 'exports';
  return ts.isPropertyAccessExpression(object) && object.name.text === 'exports';
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

function hasExportModifier(node: ts.Node): boolean {
  return hasModifier(node, ts.SyntaxKind.ExportKeyword);
}

function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

function insideFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (isFunctionLike(current)) return true;
  return false;
}
