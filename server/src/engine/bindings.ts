import * as ts from 'typescript';
import { lookupModule, normalizeModuleName, type ModuleKnowledge, type ExternalKind } from './knowledge';
import {
  AS, AWAIT, IMPORT_DECLARATION, IMPORT_EQUALS_DECLARATION, IMPORT_KEYWORD, NON_NULL, VARIABLE_STATEMENT, PARENTHESIZED, SATISFIES, THIS, TYPE_ASSERTION, isCallExpression, isElementAccessExpression,
  isIdentifier, isNewExpression, isObjectLiteralExpression, isPropertyAccessExpression, isStringLiteralLike,
} from './kinds';

/**
 * A local name that comes from a module: an import, a require, or a client created from one
 * (`const api = axios.create({...})`, `const pool = new Pool()`, `const stripe = new Stripe(key)`).
 */
export interface Binding {
  /** Local name, or `this.name` for a class field holding a client. */
  name: string;
  /** Normalized module specifier (`node:http` becomes `http`). */
  module: string;
  /** Set when the module's calls leave the process. */
  knowledge: ModuleKnowledge | undefined;
  /** `default`, `*`, the exported name, or `instance` for a created client. */
  imported: string;
  isInstance: boolean;
  declaration: ts.Node;
  /** The options object a client was created with, e.g. the argument of `axios.create({ timeout })`. */
  config?: ts.Expression;
  /** The binding a derived client came from (`client.db()` from `client`). */
  parent?: Binding;
  /** The call or `new` that created a client. */
  creation?: ts.CallExpression | ts.NewExpression;
}

export class Bindings {
  private readonly byName = new Map<string, Binding>();
  private added = 0;

  constructor(private readonly userModules: Readonly<Record<string, ExternalKind>>) {}

  get(name: string): Binding | undefined {
    return this.byName.get(name);
  }

  all(): IterableIterator<Binding> {
    return this.byName.values();
  }

  /** Bindings created from the given module, imports and clients alike. */
  fromModule(moduleName: string): Binding[] {
    return [...this.byName.values()].filter((binding) => binding.module === moduleName);
  }

  /**
   * Grows with every binding recorded (a name bound twice counts twice): an answer computed from the bindings holds
   * while this is unchanged, and a node whose visit changed it added a binding.
   */
  get version(): number {
    return this.added;
  }

  hasModule(moduleName: string): boolean {
    for (const binding of this.byName.values()) if (binding.module === moduleName) return true;
    return false;
  }

  private add(binding: Binding): void {
    this.added++;
    this.byName.set(binding.name, binding);
  }

  private addImport(name: string, specifier: string, imported: string, declaration: ts.Node): void {
    const module = normalizeModuleName(specifier);
    this.add({
      name, module, knowledge: lookupModule(module, this.userModules), imported, isInstance: false, declaration,
      config: undefined, parent: undefined, creation: undefined,
    });
  }

  /** Reads the top-level statements: imports, requires and clients created at module level. */
  collectTopLevel(sourceFile: ts.SourceFile): void {
    for (const statement of sourceFile.statements) {
      const kind = statement.kind;
      if (kind === IMPORT_DECLARATION) this.collectImport(statement as ts.ImportDeclaration);
      else if (kind === IMPORT_EQUALS_DECLARATION) this.collectImportEquals(statement as ts.ImportEqualsDeclaration);
      else if (kind === VARIABLE_STATEMENT) {
        for (const declaration of (statement as ts.VariableStatement).declarationList.declarations) this.collectVariable(declaration);
      }
    }
  }

  private collectImport(statement: ts.ImportDeclaration): void {
    if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.importClause) return;
    const specifier = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (clause.name) this.addImport(clause.name.text, specifier, 'default', clause);
    const named = clause.namedBindings;
    if (!named) return;
    if (ts.isNamespaceImport(named)) {
      this.addImport(named.name.text, specifier, '*', named);
      return;
    }
    for (const element of named.elements) {
      this.addImport(element.name.text, specifier, (element.propertyName ?? element.name).text, element);
    }
  }

  private collectImportEquals(statement: ts.ImportEqualsDeclaration): void {
    const reference = statement.moduleReference;
    if (ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)) {
      this.addImport(statement.name.text, reference.expression.text, 'default', statement);
    }
  }

  /**
   * Records what a variable declaration binds, wherever it is; the traversal calls this for nested
   * declarations so a client created inside a function is known to the code after it.
   */
  collectVariable(declaration: ts.VariableDeclaration): void {
    const init = declaration.initializer;
    if (!init) return;
    if (ts.isObjectBindingPattern(declaration.name)) {
      this.collectDestructuring(declaration.name, init);
      return;
    }
    if (!isIdentifier(declaration.name)) return;
    this.collectAssignment(declaration.name.text, init, declaration);
  }

  /** Records `this.client = new Pool()` and class fields `private http = axios.create()`. */
  collectMember(name: string, init: ts.Expression, declaration: ts.Node): void {
    this.collectAssignment(`this.${name}`, init, declaration);
  }

  /**
   * A constructor parameter property typed with an imported class (`constructor(private users: UsersService)`,
   * NestJS injection): `this.users` is an instance of that class. With `workspaceOnly`, only classes from modules
   * without knowledge (project code, answered by the workspace index) are recorded.
   */
  collectParameterProperty(parameter: ts.ParameterDeclaration, options: { workspaceOnly: boolean }): void {
    if (!isIdentifier(parameter.name) || !ts.isParameterPropertyDeclaration(parameter, parameter.parent)) return;
    const type = parameter.type;
    if (!type || !ts.isTypeReferenceNode(type) || !isIdentifier(type.typeName)) return;
    const source = this.byName.get(type.typeName.text);
    if (!source || source.isInstance || (options.workspaceOnly && source.knowledge)) return;
    this.add({
      name: `this.${parameter.name.text}`, module: source.module, knowledge: source.knowledge, imported: 'instance',
      isInstance: true, declaration: parameter, config: undefined, parent: source, creation: undefined,
    });
  }

  private collectAssignment(name: string, init: ts.Expression, declaration: ts.Node): void {
    const value = skipOuter(init);
    const required = requiredModule(value);
    if (required) {
      this.addImport(name, required.specifier, required.member ?? 'default', declaration);
      return;
    }
    if (isIdentifier(value)) {
      const source = this.byName.get(value.text);
      if (source) this.add(named(source, name, declaration, source.imported));
      return;
    }
    const created = this.createdClient(value);
    if (created) this.add(named(created, name, declaration, created.imported));
  }

  private collectDestructuring(pattern: ts.ObjectBindingPattern, init: ts.Expression): void {
    const value = skipOuter(init);
    const required = requiredModule(value);
    const source = required ? undefined : isIdentifier(value) ? this.byName.get(value.text) : undefined;
    if (!required && !(source && !source.isInstance)) return;
    for (const element of pattern.elements) {
      if (!isIdentifier(element.name) || element.dotDotDotToken) continue;
      const property = element.propertyName && isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
      if (required) this.addImport(element.name.text, required.specifier, property, element);
      else if (source) this.add(named(source, element.name.text, element, property));
    }
  }

  /** The client a `new X()` or factory call creates, when X comes from a known module. */
  private createdClient(value: ts.Expression): Omit<Binding, 'name' | 'declaration'> | undefined {
    if (isNewExpression(value)) return this.constructedClient(value);
    if (!isCallExpression(value)) return undefined;
    const callee = skipOuter(value.expression);
    if (isIdentifier(callee)) {
      const source = this.byName.get(callee.text);
      if (!source) return undefined;
      if (!source.knowledge) return instanceOf(source, value);
      const factories = source.knowledge.callableFactories ?? [];
      return factories.includes(source.imported) || (source.imported === '*' && factories.includes('default'))
        ? instanceOf(source, value)
        : undefined;
    }
    if (isPropertyAccessExpression(callee)) {
      const root = rootName(callee.expression);
      const source = root ? this.byName.get(root) : undefined;
      if (!source) return undefined;
      if (!source.knowledge) return instanceOf(source, value);
      const member = callee.name.text;
      const isFactory = (source.knowledge.factories ?? []).includes(member)
        || (!source.isInstance && (source.knowledge.callableFactories ?? []).includes(member));
      return isFactory ? instanceOf(source, value) : undefined;
    }
    return this.requiredFactoryClient(callee, value);
  }

  /** `require('stripe')(key)`: a module whose default export is a client factory, called where it is required. */
  private requiredFactoryClient(callee: ts.Expression, value: ts.CallExpression): Omit<Binding, 'name' | 'declaration'> | undefined {
    const required = requiredModule(callee);
    if (!required || required.member) return undefined;
    const module = normalizeModuleName(required.specifier);
    const knowledge = lookupModule(module, this.userModules);
    if (!knowledge?.callableFactories?.includes('default')) return undefined;
    const source: Binding = {
      name: `require('${module}')`, module, knowledge, imported: 'default', isInstance: false, declaration: callee,
      config: undefined, parent: undefined, creation: undefined,
    };
    return instanceOf(source, value);
  }

  private constructedClient(value: ts.NewExpression): Omit<Binding, 'name' | 'declaration'> | undefined {
    const callee = skipOuter(value.expression);
    let source: Binding | undefined;
    let exportName: string | undefined;
    if (isIdentifier(callee)) {
      source = this.byName.get(callee.text);
      exportName = source?.imported;
    } else if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression)) {
      source = this.byName.get(callee.expression.text);
      exportName = callee.name.text;
    }
    if (!source || source.isInstance) return undefined;
    const constructors = source.knowledge?.constructors;
    const accepted = !source.knowledge
      || constructors === 'any'
      || (constructors !== undefined && exportName !== undefined && constructors.includes(exportName));
    return accepted ? instanceOf(source, value) : undefined;
  }
}

/**
 * A binding made from another under a new name. Written out field by field: a spread with properties added after it
 * takes V8's slow path, and every binding then has the same shape.
 */
function named(source: Omit<Binding, 'name' | 'declaration'>, name: string, declaration: ts.Node, imported: string): Binding {
  return {
    name, module: source.module, knowledge: source.knowledge, imported, isInstance: source.isInstance, declaration,
    config: source.config, parent: source.parent, creation: source.creation,
  };
}

function instanceOf(source: Binding, creation: ts.CallExpression | ts.NewExpression): Omit<Binding, 'name' | 'declaration'> {
  const firstArgument = creation.arguments?.[0];
  const config = firstArgument && isObjectLiteralExpression(skipOuter(firstArgument)) ? skipOuter(firstArgument) : undefined;
  return {
    module: source.module,
    knowledge: source.knowledge,
    imported: 'instance',
    isInstance: true,
    config: config ?? source.config,
    parent: source,
    creation,
  };
}

/** `require('m')`, `require('m').default`, `require('m').X`, `await import('m')`. */
function requiredModule(value: ts.Expression): { specifier: string; member?: string } | undefined {
  if (isPropertyAccessExpression(value)) {
    const inner = requiredModule(skipOuter(value.expression));
    return inner && !inner.member ? { specifier: inner.specifier, member: value.name.text } : undefined;
  }
  if (!isCallExpression(value) || value.arguments.length !== 1) return undefined;
  const argument = value.arguments[0];
  if (!isStringLiteralLike(argument)) return undefined;
  const isRequire = isIdentifier(value.expression) && value.expression.text === 'require';
  const isDynamicImport = value.expression.kind === IMPORT_KEYWORD;
  return isRequire || isDynamicImport ? { specifier: argument.text } : undefined;
}

type OuterExpression = ts.ParenthesizedExpression | ts.AwaitExpression | ts.NonNullExpression | ts.AsExpression
  | ts.TypeAssertion | ts.SatisfiesExpression;

/** Strips parentheses, `await`, type assertions and non-null assertions. */
export function skipOuter(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    switch (current.kind) {
      // One switch on the kind: this runs on nearly every expression a rule looks at.
      case PARENTHESIZED: case AWAIT: case NON_NULL: case AS: case TYPE_ASSERTION: case SATISFIES:
        current = (current as OuterExpression).expression;
        break;
      default:
        return current;
    }
  }
}

/** The name a member chain starts from: `a` for `a.b.c`, `this.b` for `this.b.c`. */
export function rootName(expression: ts.Expression): string | undefined {
  let current = skipOuter(expression);
  for (;;) {
    if (isIdentifier(current)) return current.text;
    if (isPropertyAccessExpression(current)) {
      const target = skipOuter(current.expression);
      if (target.kind === THIS) return `this.${current.name.text}`;
      current = target;
    } else if (isElementAccessExpression(current) || isCallExpression(current)) {
      current = skipOuter(current.expression);
    } else {
      return undefined;
    }
  }
}
