import * as ts from 'typescript';
import { LOCAL_MEMBERS, lookupModule, normalizeModuleName, type ExternalKind, type ModuleKnowledge } from './knowledge';
import { rootName, skipOuter, type Binding, type Bindings } from './bindings';
import type { WorkspaceKnowledge } from './project';
import type { FileContext, RelatedInformation } from './types';
import { isPlainSpace, isUnsureSeparator } from './plainScan';
import {
  ARROW_FUNCTION, AWAIT, CALL, CLASS_DECLARATION, ELEMENT_ACCESS, FUNCTION_DECLARATION, FUNCTION_EXPRESSION, IDENTIFIER,
  METHOD_DECLARATION, PROPERTY_ACCESS, RETURN, THIS, VARIABLE_STATEMENT, isCallExpression, isIdentifier, isPropertyAccessExpression,
  isStringLiteralLike,
} from './kinds';

/** Why a call is known to leave the process. */
export interface ExternalCall {
  kind: ExternalKind;
  module: string;
  knowledge: ModuleKnowledge;
  /** The binding the call is made through; undefined for the global `fetch` and same-file functions. */
  binding: Binding | undefined;
  /** Property names from the root to the called member: `['user', 'findMany']` for `prisma.user.findMany()`. */
  path: string[];
  /** For calls of a same-file function: the function that performs the external call. */
  viaFunction?: ts.SignatureDeclaration;
  /** For calls into another workspace file: where the external call is made. */
  viaFile?: { fileName: string; line: number; character: number; description: string; translated?: boolean };
  /**
   * For calls straight through a client instance created in another workspace file (`api.get(url)`): where it
   * was created, and whether its defaults bound the wait. The call itself is the request, as for a local client.
   */
  viaClient?: { fileName: string; line: number; character: number; description: string; bounded: boolean | undefined };
}

export type FunctionLike = ts.FunctionDeclaration | ts.MethodDeclaration | ts.FunctionExpression | ts.ArrowFunction;

const GLOBAL_FETCH: ModuleKnowledge = { kind: 'http', http: 'fetch', callableIsRequest: true };

/**
 * Answers "does this call leave the process?" from the file's bindings, the module knowledge,
 * same-file functions that themselves await an external call, and (when given) the workspace index.
 */
export class ExternalCalls {
  private readonly functions = new Map<string, FunctionLike>();
  private readonly functionVerdicts = new Map<ts.Node, ExternalCall | null>();
  private readonly inProgress = new Set<ts.Node>();
  private readonly callVerdicts = new Map<ts.Node, ExternalCall | null>();
  private boundKinds: ReadonlySet<ExternalKind> | undefined;
  private loadedKinds: ReadonlySet<ExternalKind> | 'any' | undefined;
  private loadedModules: readonly string[] | 'unknown' | undefined;

  constructor(
    private readonly bindings: Bindings,
    private readonly fileName: string,
    private readonly workspace: WorkspaceKnowledge | undefined,
  ) {}

  /** Same-file functions that callers reach by name: top-level functions and consts, and class methods as `this.m`. */
  collectFunctions(sourceFile: ts.SourceFile): void {
    for (const statement of sourceFile.statements) {
      const kind = statement.kind;
      if (kind === FUNCTION_DECLARATION) {
        const declaration = statement as ts.FunctionDeclaration;
        if (declaration.name && declaration.body) this.functions.set(declaration.name.text, declaration);
      } else if (kind === VARIABLE_STATEMENT) {
        for (const declaration of (statement as ts.VariableStatement).declarationList.declarations) {
          const init = declaration.initializer && skipOuter(declaration.initializer);
          if (isIdentifier(declaration.name) && init && (init.kind === ARROW_FUNCTION || init.kind === FUNCTION_EXPRESSION)) {
            this.functions.set(declaration.name.text, init as ts.ArrowFunction | ts.FunctionExpression);
          }
        }
      } else if (kind === CLASS_DECLARATION) {
        for (const member of (statement as ts.ClassDeclaration).members) {
          if (member.kind === METHOD_DECLARATION && (member as ts.MethodDeclaration).body && member.name && isIdentifier(member.name)) {
            this.functions.set(`this.${member.name.text}`, member as ts.MethodDeclaration);
          }
        }
      }
    }
  }

  /** The functions `calledFunction` can answer with. */
  sameFileFunctions(): IterableIterator<FunctionLike> {
    return this.functions.values();
  }

  /**
   * Whether any call of this file can be classified as external (of `kind`, when given), wherever and whenever it
   * is asked: a binding with knowledge comes from an import (already read) or from a `require`/`import()` of a
   * known module somewhere in the text (bindings made later in the walk), the global `fetch` is named in the text,
   * and with a workspace index any import may lead out. A rule whose findings all need such a call registers nothing
   * when this is false: most files of a backend make no external call at all.
   */
  mayCallOut(file: FileContext, kind?: ExternalKind): boolean {
    if (this.workspace) return true;
    // What the bindings and `fetch` answer first: the text is searched for `require`/`import()` only when they say no.
    const bound = this.boundKinds ??= kindsBound(file);
    if (kind === undefined ? bound.size > 0 : bound.has(kind)) return true;
    const loaded = this.loadedKinds ??= kindsLoaded(this.modulesLoaded(file), file);
    if (loaded === 'any') return true;
    return kind === undefined ? loaded.size > 0 : loaded.has(kind);
  }

  /**
   * Whether a binding of this file can come from one of `modules`: one bound now (imports, top-level requires) or
   * one a `require`/`import()` anywhere in the text loads (bindings the walk makes later).
   */
  mayBindModule(file: FileContext, modules: ReadonlySet<string>): boolean {
    for (const binding of file.bindings.all()) if (modules.has(binding.module)) return true;
    const loaded = this.modulesLoaded(file);
    if (loaded === 'unknown') return true;
    for (const specifier of loaded) if (modules.has(specifier)) return true;
    return false;
  }

  private modulesLoaded(file: FileContext): readonly string[] | 'unknown' {
    return this.loadedModules ??= modulesLoadedInText(file.text);
  }

  /** The same-file function a call invokes, if any. */
  calledFunction(call: ts.CallExpression): FunctionLike | undefined {
    const callee = skipOuter(call.expression);
    if (callee.kind === IDENTIFIER) return this.functions.get((callee as ts.Identifier).text);
    if (callee.kind === PROPERTY_ACCESS && skipOuter((callee as ts.PropertyAccessExpression).expression).kind === THIS) {
      return this.functions.get(`this.${(callee as ts.PropertyAccessExpression).name.text}`);
    }
    return undefined;
  }

  /**
   * Whether `classify` could find the call itself external (not through a same-file function): the root of its member
   * chain is bound to a module that knows its calls (of `kind`, when given), or to any module while the workspace
   * index may know it, or it is the global `fetch`. Far cheaper than classifying, and most calls fail it.
   */
  mayBeExternal(call: ts.CallExpression, kind?: ExternalKind): boolean {
    const root = rootName(call.expression);
    if (root === undefined) return false;
    const binding = this.bindings.get(root);
    if (!binding) return root === 'fetch' && (kind === undefined || kind === GLOBAL_FETCH.kind);
    if (binding.knowledge) return kind === undefined || binding.knowledge.kind === kind;
    return this.workspace !== undefined;
  }

  classify(call: ts.CallExpression): ExternalCall | undefined {
    const cached = this.callVerdicts.get(call);
    if (cached !== undefined) return cached ?? undefined;
    const verdict = this.classifyUncached(call) ?? null;
    this.callVerdicts.set(call, verdict);
    return verdict ?? undefined;
  }

  private classifyUncached(call: ts.CallExpression): ExternalCall | undefined {
    const chain = memberChain(call.expression);
    if (!chain) return undefined;
    const { root, path } = chain;
    if (isLocalPath(path, undefined)) return undefined;
    const binding = this.bindings.get(root);
    if (binding) return this.classifyThroughBinding(binding, path) ?? this.classifyCrossFile(binding, path, call);
    if (root === 'fetch' && path.length === 0 && !this.functions.has('fetch')) {
      return { kind: 'http', module: 'fetch', knowledge: GLOBAL_FETCH, binding: undefined, path };
    }
    const fn = this.calledFunction(call);
    if (fn) {
      const inner = this.functionVerdict(fn);
      if (inner) return { ...inner, viaFunction: fn };
    }
    return undefined;
  }

  private classifyThroughBinding(binding: Binding, path: string[]): ExternalCall | undefined {
    const knowledge = binding.knowledge;
    if (!knowledge) return undefined;
    if (isLocalPath(path, knowledge)) return undefined;
    const result: ExternalCall = { kind: knowledge.kind, module: binding.module, knowledge, binding, path };
    if (binding.isInstance) {
      if (path.length > 0) return result;
      return knowledge.callableIsRequest || knowledge.kind === 'db' ? result : undefined;
    }
    if (path.length === 0) {
      const callableImport = binding.imported === 'default' || binding.imported === '*';
      if (callableImport && knowledge.callableIsRequest) return result;
      return knowledge.requestExports?.includes(binding.imported) ? result : undefined;
    }
    // A member of the module object itself: `axios.get`, `https.request`, `got.post`.
    if (binding.imported === 'default' || binding.imported === '*') {
      if (knowledge.callableIsRequest || knowledge.requestExports?.includes(path[0])) return result;
      // Module namespaces of client libraries (`pg.Pool`) are not calls that leave the process.
      return undefined;
    }
    // A named export used as an object: `import { db } from 'firebase-admin'`.
    return knowledge.kind === 'http' ? undefined : result;
  }

  private classifyCrossFile(binding: Binding, path: string[], call: ts.CallExpression): ExternalCall | undefined {
    if (!this.workspace || binding.knowledge) return undefined;
    void call;
    // An instance of a class from another module (`new UsersService()`, an injected `this.users`): its methods.
    const fromClass = binding.isInstance && isClassInstance(binding) && binding.parent && !binding.parent.isInstance && !binding.parent.knowledge
      ? binding.parent : undefined;
    if (binding.isInstance && !fromClass) return undefined;
    const summary = fromClass
      ? this.workspace.externalCallOf(this.fileName, fromClass.module, fromClass.imported, ['prototype', ...path])
      : this.workspace.externalCallOf(this.fileName, binding.module, binding.imported, path);
    if (!summary) return undefined;
    const result: ExternalCall = { kind: summary.kind, module: summary.module, knowledge: summary.knowledge, binding, path };
    if (summary.client && !fromClass) result.viaClient = { ...summary.site, bounded: summary.client.bounded };
    else result.viaFile = summary.translated ? { ...summary.site, translated: true } : summary.site;
    return result;
  }

  /** Whether a same-file function awaits or returns an external call; memoized, cycles end as "no". */
  functionVerdict(fn: FunctionLike): ExternalCall | undefined {
    const cached = this.functionVerdicts.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    if (this.inProgress.has(fn) || !fn.body) return undefined;
    this.inProgress.add(fn);
    const verdict = this.findAwaitedExternalCall(fn) ?? null;
    this.inProgress.delete(fn);
    this.functionVerdicts.set(fn, verdict);
    return verdict ?? undefined;
  }

  private findAwaitedExternalCall(fn: FunctionLike): ExternalCall | undefined {
    const body = fn.body;
    if (!body) return undefined;
    if (!ts.isBlock(body)) {
      const expression = skipOuter(body);
      return ts.isCallExpression(expression) ? this.classify(expression) : undefined;
    }
    const stack: ts.Node[] = [body];
    const push = (child: ts.Node): void => { stack.push(child); };
    while (stack.length > 0) {
      const node = stack.pop() as ts.Node;
      if (node !== body && isFunctionLike(node)) continue;
      const awaited = node.kind === AWAIT ? (node as ts.AwaitExpression).expression
        : node.kind === RETURN ? (node as ts.ReturnStatement).expression
          : undefined;
      if (awaited) {
        const inner = skipOuter(awaited);
        if (inner.kind === CALL) {
          const verdict = this.classify(inner as ts.CallExpression) ?? this.classifyPromiseChain(inner as ts.CallExpression);
          if (verdict) return verdict;
        }
      }
      ts.forEachChild(node, push);
    }
    return undefined;
  }

  /** `fetch(url).then(r => r.json())`: the chain's first call decides. */
  classifyPromiseChain(call: ts.CallExpression): ExternalCall | undefined {
    let current: ts.Expression = call;
    while (isCallExpression(current) && isPropertyAccessExpression(current.expression)
      && PROMISE_METHODS.has(current.expression.name.text)) {
      current = skipOuter(current.expression.expression);
    }
    return current !== call && ts.isCallExpression(current) ? this.classify(current) : undefined;
  }
}

const PROMISE_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** Kinds of the bindings made so far, and `http` for a file that names `fetch`. */
function kindsBound(file: FileContext): ReadonlySet<ExternalKind> {
  const kinds = new Set<ExternalKind>();
  for (const binding of file.bindings.all()) if (binding.knowledge) kinds.add(binding.knowledge.kind);
  if (file.text.includes('fetch')) kinds.add(GLOBAL_FETCH.kind);
  return kinds;
}

/** Kinds of the known modules a `require`/`import()` in the text loads (bindings the walk may make later). */
function kindsLoaded(modules: readonly string[] | 'unknown', file: FileContext): ReadonlySet<ExternalKind> | 'any' {
  if (modules === 'unknown') return 'any';
  const kinds = new Set<ExternalKind>();
  for (const specifier of modules) {
    const knowledge = lookupModule(specifier, file.settings.externalModules);
    if (knowledge) kinds.add(knowledge.kind);
  }
  return kinds;
}

/**
 * The (normalized) specifiers of every `require('m')` and `import('m')` written in the text, comments included,
 * or 'unknown' when the text may hide one from a plain search: an escape in an identifier or a specifier, a
 * comment or type arguments between the name and its argument, or unusual whitespace.
 */
function modulesLoadedInText(text: string): readonly string[] | 'unknown' {
  if (text.includes('\\u')) return 'unknown';
  const specifiers: string[] = [];
  // Searched without their first letters: a rare first letter ('q', 'm') makes the search several times faster, and a
  // longer name ending the same way (`acquire`) only adds a specifier that may not be loaded.
  for (const ending of ['quire', 'mport']) {
    for (let at = text.indexOf(ending); at !== -1; at = text.indexOf(ending, at + ending.length)) {
      const specifier = literalArgumentAt(text, at + ending.length);
      if (specifier === 'unknown') return 'unknown';
      if (specifier !== undefined) specifiers.push(normalizeModuleName(specifier));
    }
  }
  return specifiers;
}

/** After a name: the string argument of a call of it, undefined when it is not such a call, 'unknown' when unsure. */
function literalArgumentAt(text: string, from: number): string | undefined | 'unknown' {
  let at = skipPlainSpace(text, from);
  const next = text.charCodeAt(at);
  if (next !== OPEN_PAREN) return isUnsureSeparator(next) || next === LESS_THAN ? 'unknown' : undefined;
  at = skipPlainSpace(text, at + 1);
  const quote = text.charCodeAt(at);
  if (quote !== SINGLE_QUOTE && quote !== DOUBLE_QUOTE && quote !== BACKTICK) return isUnsureSeparator(quote) ? 'unknown' : undefined;
  const end = text.indexOf(text[at], at + 1);
  if (end === -1) return 'unknown';
  const specifier = text.slice(at + 1, end);
  return specifier.includes('\\') || specifier.includes('\n') ? 'unknown' : specifier;
}

const [OPEN_PAREN, LESS_THAN, SINGLE_QUOTE, DOUBLE_QUOTE, BACKTICK] = ['(', '<', "'", '"', '`'].map((char) => char.charCodeAt(0));

function skipPlainSpace(text: string, from: number): number {
  let at = from;
  while (isPlainSpace(text.charCodeAt(at))) at++;
  return at;
}

const LOCAL_NAMESPACES: ReadonlySet<string> = new Set(['interceptors', 'defaults', 'webhooks', 'errors']);

/** A binding holding `new X()` or an injected parameter property typed `X` (not the result of calling a factory). */
export function isClassInstance(binding: Binding): boolean {
  return binding.creation ? ts.isNewExpression(binding.creation) : ts.isParameter(binding.declaration);
}

/** Whether a member path of a client stays in-process (`api.interceptors.request.use`, `pool.on`). */
export function isLocalPathMember(path: readonly string[], knowledge: ModuleKnowledge): boolean {
  return isLocalPath(path, knowledge);
}

/** Related information for a finding whose call is known external because of another file (LSP relatedInformation). */
export function crossFileRelated(external: ExternalCall): RelatedInformation[] {
  const site = external.viaFile ?? external.viaClient;
  if (!site) return [];
  const position = { line: site.line, character: site.character };
  return [{ fileName: site.fileName, range: { start: position, end: position }, message: site.description }];
}

/** A call stays in-process when its member is local (`axios.create`, `pool.on`) or lives in a local namespace. */
function isLocalPath(path: readonly string[], knowledge: ModuleKnowledge | undefined): boolean {
  if (path.length === 0) return false;
  const member = path[path.length - 1];
  if (LOCAL_MEMBERS.has(member) || knowledge?.localMembers?.includes(member)) return true;
  return path.some((name) => LOCAL_NAMESPACES.has(name));
}

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  const kind = node.kind;
  return kind === ARROW_FUNCTION || kind === FUNCTION_EXPRESSION || kind === METHOD_DECLARATION || kind === FUNCTION_DECLARATION;
}

/**
 * The last name of the member chain a callee is, as `memberChain` reads it (`create` for `stripe.refunds.create`,
 * `'[]'` for a computed member): what rules ask first, before the whole chain.
 */
export function calledMember(callee: ts.Expression): string | undefined {
  let current = skipOuter(callee);
  for (;;) {
    switch (current.kind) {
      case ts.SyntaxKind.PropertyAccessExpression: {
        const access = current as ts.PropertyAccessExpression;
        return skipOuter(access.expression).kind === ts.SyntaxKind.ThisKeyword ? undefined : access.name.text;
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const argument = (current as ts.ElementAccessExpression).argumentExpression;
        return ts.isStringLiteralLike(argument) ? argument.text : '[]';
      }
      case ts.SyntaxKind.CallExpression:
        current = skipOuter((current as ts.CallExpression).expression);
        break;
      default:
        return undefined;
    }
  }
}

/** Root name and member path of a callee, through calls and element access: `client.db('x').collection('y').insertOne`. */
export function memberChain(callee: ts.Expression): { root: string; path: string[] } | undefined {
  const path: string[] = [];
  let current = skipOuter(callee);
  for (;;) {
    switch (current.kind) {
      case IDENTIFIER:
        return { root: (current as ts.Identifier).text, path: path.reverse() };
      case PROPERTY_ACCESS: {
        const access = current as ts.PropertyAccessExpression;
        const target = skipOuter(access.expression);
        if (target.kind === THIS) return { root: `this.${access.name.text}`, path: path.reverse() };
        path.push(access.name.text);
        current = target;
        break;
      }
      case CALL:
        current = skipOuter((current as ts.CallExpression).expression);
        break;
      case ELEMENT_ACCESS: {
        const access = current as ts.ElementAccessExpression;
        const argument = access.argumentExpression;
        path.push(isStringLiteralLike(argument) ? argument.text : '[]');
        current = skipOuter(access.expression);
        break;
      }
      default:
        return undefined;
    }
  }
}
