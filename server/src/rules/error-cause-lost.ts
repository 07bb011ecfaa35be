import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import { skipOuter } from '../engine/bindings';
import { findProperty, walk } from '../engine/ast';
import { addPropertyToObjectLiteral } from '../engine/fixkit';
import { isBrowserCode } from '../engine/environment';
import { isBrowserScript, isTestSupportFile } from '../engine/fileRole';
import { dependencyMajor } from '../engine/project';
import { boundNames, freshErrorName, isLogCall, isMetricCall, isValueReference } from '../engine/errorflow';

type MessageId = 'causeLost' | 'messageOnly';

/** How the thrown error's constructor takes a cause, when the rule can see it. */
type CauseSlot =
  /** An options object at `index` with a `property` for the cause (`new Error(msg, { cause })`). */
  | { kind: 'options'; index: number; property: string; nestDescription?: boolean }
  /** A positional parameter that is the cause itself (`constructor(message, cause?: unknown)`). */
  | { kind: 'positional'; index: number };

/** How the new error's arguments use the caught error. */
type CauseUse = 'whole' | 'partial' | 'none';

/** Built-in errors take `(message?, options?)`; AggregateError takes `(errors, message?, options?)`. */
const BUILTIN_ERRORS: Readonly<Record<string, CauseSlot>> = {
  Error: { kind: 'options', index: 1, property: 'cause' },
  TypeError: { kind: 'options', index: 1, property: 'cause' },
  RangeError: { kind: 'options', index: 1, property: 'cause' },
  SyntaxError: { kind: 'options', index: 1, property: 'cause' },
  ReferenceError: { kind: 'options', index: 1, property: 'cause' },
  EvalError: { kind: 'options', index: 1, property: 'cause' },
  URIError: { kind: 'options', index: 1, property: 'cause' },
  AggregateError: { kind: 'options', index: 2, property: 'cause' },
};

/**
 * NestJS built-in HTTP exceptions take `(objectOrError?, descriptionOrOptions?)`; `HttpException` takes
 * `(response, status, options?)`. `cause` is typed `unknown` from @nestjs/common 10 (it was `Error` in 9).
 */
const NEST_EXCEPTIONS: ReadonlySet<string> = new Set([
  'BadRequestException', 'UnauthorizedException', 'NotFoundException', 'ForbiddenException', 'NotAcceptableException',
  'RequestTimeoutException', 'ConflictException', 'GoneException', 'HttpVersionNotSupportedException',
  'PayloadTooLargeException', 'UnsupportedMediaTypeException', 'UnprocessableEntityException',
  'InternalServerErrorException', 'NotImplementedException', 'ImATeapotException', 'MethodNotAllowedException',
  'BadGatewayException', 'ServiceUnavailableException', 'GatewayTimeoutException', 'PreconditionFailedException',
  'MisdirectedException',
]);

/** Library errors whose constructor takes the cause in an options object (data, like module knowledge). */
const LIBRARY_ERRORS: Readonly<Record<string, Readonly<Record<string, CauseSlot>>>> = {
  '@trpc/server': { TRPCError: { kind: 'options', index: 0, property: 'cause' } },
};

/** Constructor parameters that hold the cause itself. */
const CAUSE_PARAMETER = /^(cause|originalError|innerError|inner|wrapped|source)$/;

export const errorCauseLost: Rule = {
  meta: {
    id: 'error-cause-lost',
    category: 'error handling',
    defaultSeverity: 'info',
    description: 'A new error thrown inside a catch block without the caught error as its cause.',
    hasFix: true,
    scope: 'statement',
    messages: {
      causeLost: '`new {{ctor}}(...)` is thrown from a catch block without {{err}}: the original error\'s message, stack and type are gone, so the log shows where it was rethrown, not what failed. Pass it as `{ cause: {{name}} }`.',
      messageOnly: '`new {{ctor}}(...)` copies only parts of `{{name}}` (its message or a field) into the new error: the original stack and error type are lost. Pass the error itself as `{ cause: {{name}} }`.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    let skipFile: boolean | undefined;
    return {
      kinds: {
        [ts.SyntaxKind.ThrowStatement]: (node: ts.Node) => {
          const statement = node as ts.ThrowStatement;
          // Most throws are not in a catch block: found out before asking about the file, which can walk it.
          const clause = catchClauseOf(statement);
          if (!clause) return;
          // Browser code's network errors carry nothing to trace on a server; test support code is not paged. The
          // browser-script check, which can walk the file, is asked last.
          skipFile ??= isBrowserCode(context) || isTestSupportFile(context) || isBrowserScript(context);
          if (skipFile) return;
          checkThrow(context, statement, clause);
        },
      },
    };
  },
};

function checkThrow(context: RuleContext, statement: ts.ThrowStatement, clause: ts.CatchClause): void {
  const declaration = clause.variableDeclaration;
  if (declaration && !ts.isIdentifier(declaration.name)) return;
  const errName = declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  // `throw err` rethrows are the common case: settled before the try block is walked for I/O.
  const created = thrownNewExpression(statement, clause, errName);
  if (!created || !mayFailOperationally(context, clause.parent.tryBlock)) return;
  const names = errName ? errorNames(clause, errName) : new Map<string, CauseUse>();
  const use = causeUse(created, names);
  if (use === 'whole') return;
  if (hasCauseOption(created)) return;
  if (isClassifiedError(statement, clause, [...names.keys()])) return;
  if (isRecordedBefore(statement, clause, [...names].filter(([, kind]) => kind === 'whole').map(([name]) => name))) return;
  const ctor = constructorName(created);
  const shownName = errName ?? 'err';
  const fix = causeFix(context, created, clause, errName);
  context.report({
    start: created.getStart(context.sourceFile),
    end: created.expression.getEnd(),
    messageId: use === 'partial' ? 'messageOnly' : 'causeLost',
    data: { ctor, name: fix?.name ?? shownName, err: errName ? `\`${errName}\`` : 'the caught error (the catch has no binding)' },
    fixes: fix ? [fix.fix] : [],
  });
}

/**
 * The try block does I/O that can fail for reasons the new error cannot name (a network error, a lost
 * connection, a permission error): something awaited or yielded, an external call, a promise chain, or a
 * synchronous `*Sync` call (`fs.readFileSync`). A try around in-memory work only (`JSON.parse`, `new URL`,
 * a regex compile, a schema check) fails deterministically for its input, and the new error that says
 * "invalid X" is the whole story: not flagged.
 */
function mayFailOperationally(context: RuleContext, tryBlock: ts.Block): boolean {
  let found = false;
  walk(tryBlock, (node) => {
    if (found) return false;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || ts.isForOfStatement(node) && node.awaitModifier) found = true;
    else if (ts.isCallExpression(node) && (context.external.classify(node) !== undefined || isIoCall(node))) found = true;
    return undefined;
  });
  return found;
}

/** `fs.readFileSync(...)`, `execSync(...)`, `promise.then(...)`: I/O without an `await` in sight. */
function isIoCall(call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return /^[a-z]\w*Sync$/.test(name) || name === 'then';
}

/**
 * The catch clause whose block this throw runs in, in the same flow: not across a function boundary, and not
 * from inside a nested `try` block (that throw goes to the inner catch).
 */
function catchClauseOf(statement: ts.ThrowStatement): ts.CatchClause | undefined {
  let child: ts.Node = statement;
  for (let current = statement.parent; current; child = current, current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isClassStaticBlockDeclaration(current) || ts.isSourceFile(current)) return undefined;
    if (ts.isTryStatement(current) && current.tryBlock === child) return undefined;
    if (ts.isCatchClause(current)) return current;
  }
  return undefined;
}

/**
 * `throw new X(...)`, or `throw wrapped` where `const wrapped = new X(...)` was declared in the same catch block
 * and nothing else in the block touches both `wrapped` and the caught error (`wrapped.cause = err`).
 */
function thrownNewExpression(statement: ts.ThrowStatement, clause: ts.CatchClause, errName: string | undefined): ts.NewExpression | undefined {
  const thrown = skipOuter(statement.expression);
  if (ts.isNewExpression(thrown)) return thrown;
  if (!ts.isIdentifier(thrown)) return undefined;
  const declaration = clause.block.statements.flatMap((candidate) => ts.isVariableStatement(candidate)
    && candidate.declarationList.flags & ts.NodeFlags.Const ? [...candidate.declarationList.declarations] : [])
    .find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === thrown.text);
  const init = declaration?.initializer && skipOuter(declaration.initializer);
  if (!declaration || !init || !ts.isNewExpression(init)) return undefined;
  if (errName) {
    const statementWithBoth = clause.block.statements.some((candidate) => candidate !== declaration.parent.parent
      && referencesName(candidate, thrown.text) && referencesName(candidate, errName));
    if (statementWithBoth) return undefined;
  }
  return init;
}

function referencesName(root: ts.Node, name: string): boolean {
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (ts.isIdentifier(node) && node.text === name && isValueReference(node)) found = true;
    else if (ts.isShorthandPropertyAssignment(node) && node.name.text === name) found = true;
    return undefined;
  }, { intoFunctions: true });
  return found;
}

/**
 * Whether the arguments carry the caught error whole (`new X(msg, err)`, `{ cause: err }`, `wrap(err)`), only
 * pieces of it (`err.message`, `` `${err}` ``, `String(err)`, a `message` derived from it: the stack and type
 * are lost), or nothing of it.
 */
function causeUse(created: ts.NewExpression, names: ReadonlyMap<string, CauseUse>): CauseUse {
  let use: CauseUse = 'none';
  for (const argument of created.arguments ?? []) {
    walk(argument, (node) => {
      if (use === 'whole') return false;
      const referenced = ts.isShorthandPropertyAssignment(node) ? node.name
        : ts.isIdentifier(node) && isValueReference(node) ? node : undefined;
      const kind = referenced && names.get(referenced.text);
      if (!referenced || !kind) return undefined;
      use = kind === 'whole' && (ts.isShorthandPropertyAssignment(node) || !readsOnlyPart(referenced)) ? 'whole' : 'partial';
      return undefined;
    }, { intoFunctions: true });
  }
  return use;
}

/**
 * The caught error's name, and names the catch block binds from it, in order and transitively: aliases
 * (`const cause = err`) carry it whole; anything else derived (`const message = errToString(err)`,
 * `const { code } = err`, `lastError = err instanceof Error ? err : ...`) carries a piece.
 */
function errorNames(clause: ts.CatchClause, errName: string): Map<string, CauseUse> {
  const names = new Map<string, CauseUse>([[errName, 'whole']]);
  const record = (target: ts.BindingName | ts.Expression, value: ts.Expression): void => {
    const init = skipOuter(value);
    if (![...names.keys()].some((name) => referencesName(init, name))) return;
    const isAlias = ts.isIdentifier(init) && names.get(init.text) === 'whole' && ts.isIdentifier(target);
    const bound = ts.isIdentifier(target) ? [target.text] : ts.isObjectBindingPattern(target) || ts.isArrayBindingPattern(target) ? boundNames(target) : [];
    for (const name of bound) if (!names.has(name)) names.set(name, isAlias ? 'whole' : 'partial');
  };
  for (const statement of clause.block.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.initializer) record(declaration.name, declaration.initializer);
      }
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)
      && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      record(statement.expression.left, statement.expression.right);
    }
  }
  return names;
}

/** `err.message`, `err?.response.data`, `` `${err}` ``, `String(err)`, `err + ''`: a piece of the error, not the error. */
function readsOnlyPart(identifier: ts.Identifier): boolean {
  const outer = outerOf(identifier);
  const parent = outer.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) return true;
  if (ts.isTemplateSpan(parent)) return true;
  if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'String') return true;
  return ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

function outerOf(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent)) {
    current = current.parent;
  }
  return current;
}

/** The author chose a cause already (`{ cause: somethingElse }`): not ours to second-guess. */
function hasCauseOption(created: ts.NewExpression): boolean {
  return (created.arguments ?? []).some((argument) => {
    const value = skipOuter(argument);
    return ts.isObjectLiteralExpression(value) && findProperty(value, 'cause') !== undefined;
  });
}

/**
 * The throw is a translation of an error the code has identified: it sits under a condition or switch that
 * inspects the caught error (`if (err.code === 'P2002') throw new ConflictException()`, `err instanceof
 * TokenExpiredError`). The new error names what happened; the original adds no information.
 */
function isClassifiedError(statement: ts.ThrowStatement, clause: ts.CatchClause, names: readonly string[]): boolean {
  const inspects = (expression: ts.Expression): boolean => names.some((name) => referencesName(expression, name));
  for (let current: ts.Node = statement; current !== clause; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.expression !== current && inspects(parent.expression)) return true;
    if (ts.isCaseClause(parent) && (inspects(parent.expression) || inspects(parent.parent.parent.expression))) return true;
    if (ts.isDefaultClause(parent) && inspects(parent.parent.parent.expression)) return true;
    if (ts.isConditionalExpression(parent) && parent.condition !== current && inspects(parent.condition)) return true;
  }
  return false;
}

/**
 * The caught error was logged or reported (`logger.error({ err })`, `Sentry.captureException(err)`) earlier in
 * the catch block: its stack is on record, and the new error is the sanitized one for the caller.
 */
function isRecordedBefore(statement: ts.ThrowStatement, clause: ts.CatchClause, names: readonly string[]): boolean {
  let recorded = false;
  walk(clause.block, (node) => {
    if (recorded || node.getStart() >= statement.getStart()) return false;
    if (ts.isCallExpression(node) && (isLogCall(node) || isMetricCall(node))
      && node.arguments.some((argument) => names.some((name) => referencesName(argument, name)))) {
      recorded = true;
    }
    return undefined;
  });
  return recorded;
}

function constructorName(created: ts.NewExpression): string {
  const callee = skipOuter(created.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.getText().replace(/\s+/g, '');
  return 'Error';
}

// ---------------------------------------------------------------------------------------------------------------
// Where the cause goes

/** The cause slot of the error class, from built-ins, known libraries or a class declared in this file. */
function causeSlotOf(context: RuleContext, callee: ts.Expression, depth = 0): CauseSlot | undefined {
  if (depth > 5) return undefined;
  const expression = skipOuter(callee);
  if (!ts.isIdentifier(expression)) return undefined;
  const name = expression.text;
  const binding = context.bindings.get(name);
  if (binding) return libraryCauseSlot(context, binding.module, binding.imported === 'default' ? name : binding.imported);
  const declared = sameFileClass(context.sourceFile, name);
  if (declared) return classCauseSlot(context, declared, depth);
  return Object.prototype.hasOwnProperty.call(BUILTIN_ERRORS, name) ? BUILTIN_ERRORS[name] : undefined;
}

function libraryCauseSlot(context: RuleContext, moduleName: string, exported: string): CauseSlot | undefined {
  if (moduleName === '@nestjs/common') {
    const major = dependencyMajor(context.project, '@nestjs/common') ?? dependencyMajor(context.project, '@nestjs/core');
    // In 9 `cause` is typed `Error` (a caught `unknown` does not type-check); before 9 there is no options argument.
    const supported = major !== undefined && (major >= 10 || (major === 9 && context.isJavaScript));
    if (!supported) return undefined;
    if (exported === 'HttpException') return { kind: 'options', index: 2, property: 'cause' };
    if (NEST_EXCEPTIONS.has(exported)) return { kind: 'options', index: 1, property: 'cause', nestDescription: true };
    return undefined;
  }
  const library = LIBRARY_ERRORS[moduleName];
  return library && Object.prototype.hasOwnProperty.call(library, exported) ? library[exported] : undefined;
}

function sameFileClass(sourceFile: ts.SourceFile, name: string): ts.ClassLikeDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isClassDeclaration(statement) && statement.name?.text === name) return statement;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipOuter(declaration.initializer);
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && init && ts.isClassExpression(init)) return init;
      }
    }
  }
  return undefined;
}

/**
 * A class declared in this file: with no constructor it takes its base class's arguments; with one, the cause
 * goes to a parameter named like a cause, or to the parameter it forwards to the base class's options slot.
 * A visible constructor that does neither cannot take a cause: no fix.
 */
function classCauseSlot(context: RuleContext, declaration: ts.ClassLikeDeclaration, depth: number): CauseSlot | undefined {
  const base = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  const baseSlot = base ? causeSlotOf(context, base, depth + 1) : undefined;
  const constructor = declaration.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  if (!constructor) return baseSlot;
  const parameters = constructor.parameters;
  const causeIndex = parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && CAUSE_PARAMETER.test(parameter.name.text));
  if (causeIndex >= 0) return acceptsUnknown(context, parameters[causeIndex]) ? { kind: 'positional', index: causeIndex } : undefined;
  if (!baseSlot || baseSlot.kind !== 'options') return undefined;
  const forwarded = superArgument(constructor, baseSlot.index);
  if (!forwarded || !ts.isIdentifier(forwarded)) return undefined;
  const forwardedIndex = parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === forwarded.text);
  return forwardedIndex >= 0 && !parameters[forwardedIndex].dotDotDotToken
    ? { kind: 'options', index: forwardedIndex, property: baseSlot.property }
    : undefined;
}

/** A caught error is `unknown` in strict TypeScript: the parameter must accept it (untyped, `unknown`, `any`). */
function acceptsUnknown(context: RuleContext, parameter: ts.ParameterDeclaration): boolean {
  if (context.isJavaScript || !parameter.type) return true;
  return parameter.type.kind === ts.SyntaxKind.UnknownKeyword || parameter.type.kind === ts.SyntaxKind.AnyKeyword;
}

function superArgument(constructor: ts.ConstructorDeclaration, index: number): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  walk(constructor.body as ts.Block, (node) => {
    if (found) return false;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const argument = node.arguments[index];
      found = argument ? skipOuter(argument) : undefined;
      return false;
    }
    return undefined;
  });
  return found;
}

/** The edit that passes the caught error in the slot, plus a catch binding when the catch has none. */
function causeFix(context: RuleContext, created: ts.NewExpression, clause: ts.CatchClause, errName: string | undefined): { fix: Fix; name: string } | undefined {
  const slot = causeSlotOf(context, created.expression);
  if (!slot || !created.arguments) return undefined;
  const name = errName ?? freshErrorName(clause.block);
  if (errName && isShadowedInCatch(clause, errName)) return undefined;
  const argumentEdit = slot.kind === 'positional' ? positionalEdit(created, slot.index, name) : optionsEdit(context, created, slot, name);
  if (!argumentEdit) return undefined;
  const edits: TextEdit[] = [argumentEdit];
  if (!errName) {
    const at = clause.getStart(context.sourceFile) + 'catch'.length;
    edits.push({ start: at, end: clause.block.getStart(context.sourceFile), newText: ` (${name}) ` });
  }
  return { fix: { title: `Pass the caught error as the cause (\`${name}\`)`, edits }, name };
}

/** A nested declaration of the same name inside the catch block would capture the fix's reference. */
function isShadowedInCatch(clause: ts.CatchClause, name: string): boolean {
  let shadowed = false;
  walk(clause.block, (node) => {
    if (shadowed) return false;
    if ((ts.isVariableDeclaration(node) || ts.isBindingElement(node) || ts.isParameter(node)) && ts.isIdentifier(node.name) && node.name.text === name) shadowed = true;
    return undefined;
  });
  return shadowed;
}

function positionalEdit(created: ts.NewExpression, index: number, name: string): TextEdit | undefined {
  const args = created.arguments as ts.NodeArray<ts.Expression>;
  if (args.length > index) return undefined;
  return appendArguments(created, args, index, name);
}

function optionsEdit(context: RuleContext, created: ts.NewExpression, slot: Extract<CauseSlot, { kind: 'options' }>, name: string): TextEdit | undefined {
  const args = created.arguments as ts.NodeArray<ts.Expression>;
  const property = slot.property === name ? name : `${slot.property}: ${name}`;
  const existing = args[slot.index];
  if (!existing) return appendArguments(created, args, slot.index, `{ ${property} }`);
  const value = skipOuter(existing);
  if (ts.isObjectLiteralExpression(value)) return addPropertyToObjectLiteral(context, value, property);
  if (slot.nestDescription && ts.isStringLiteralLike(value)) {
    // NestJS: `new NotFoundException('msg', 'description')` becomes `{ cause, description }`.
    return { start: existing.getStart(context.sourceFile), end: existing.getEnd(), newText: `{ ${property}, description: ${existing.getText(context.sourceFile)} }` };
  }
  return undefined;
}

/**
 * Appends `text` as argument `index`, filling skipped optional arguments with `undefined`
 * (`new Error()` becomes `new Error(undefined, { cause: err })`).
 */
function appendArguments(created: ts.NewExpression, args: ts.NodeArray<ts.Expression>, index: number, text: string): TextEdit | undefined {
  const missing = index - args.length;
  if (missing > 1) return undefined;
  const filler = missing === 1 ? 'undefined, ' : '';
  if (args.length === 0) {
    const open = args.pos;
    return { start: open, end: args.end, newText: `${filler}${text}` };
  }
  const at = args[args.length - 1].getEnd();
  return { start: at, end: at, newText: `, ${filler}${text}` };
}
