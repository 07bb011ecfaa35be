import * as ts from 'typescript';
import type { Fix, Rule, RuleContext } from '../engine/types';
import type { ExternalCall, FunctionLike } from '../engine/external';
import { skipOuter } from '../engine/bindings';
import { calleeText, walk } from '../engine/ast';
import { isBrowserCode } from '../engine/environment';
import { usesSemicolons } from '../engine/errorflow';
import { indentUnit, indentationAt, newlineOf } from '../engine/fixkit';
import {
  bindingNames, callAccess, insideTransactionCallback, isOnOneConnection, namesDeclaredIn, readsAnyOf, writesIn,
} from '../engine/dataflow';

type MessageId = 'independent';

/** One `const a = await x()` / `await x()` statement whose call is an external read. */
interface Step {
  statement: ts.VariableStatement | ts.ExpressionStatement;
  declaration?: ts.VariableDeclaration;
  keyword?: 'const' | 'let';
  awaited: ts.AwaitExpression;
  call: ts.CallExpression;
  declares: string[];
  resource?: string;
}

const MAX_LINE = 100;
/** How deep to follow same-file functions when asking whether they only read. */
const MAX_FUNCTION_DEPTH = 3;

type StatementList = ts.Block | ts.SourceFile | ts.CaseClause | ts.DefaultClause | ts.ModuleBlock;

export const sequentialAwaits: Rule = {
  meta: {
    id: 'sequential-awaits',
    category: 'efficiency',
    defaultSeverity: 'info',
    description: 'Consecutive awaited external reads that do not use each other\'s results, run one after another.',
    hasFix: true,
    scope: 'statement',
    messages: {
      independent: '{{count}} awaited reads run one after another ({{callees}}), but none uses an earlier one\'s result and they act on different resources: the function waits the sum of their latencies instead of the longest. Run them together with `Promise.all`.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    // Every step of a group is an awaited external call.
    if (!context.external.mayCallOut(context)) return { kinds: {} };
    const lists: StatementList[] = [];
    const collect = (node: ts.Node): void => { lists.push(node as StatementList); };
    // A group needs two awaiting statements in one list: lists with fewer are not read statement by statement.
    const awaitingStatements = new Map<ts.Node, number>();
    const countAwait = (node: ts.Node): void => {
      const statement = awaitingStatement(node as ts.AwaitExpression);
      if (statement) awaitingStatements.set(statement.parent, (awaitingStatements.get(statement.parent) ?? 0) + 1);
    };
    return {
      kinds: {
        [ts.SyntaxKind.Block]: collect,
        [ts.SyntaxKind.SourceFile]: collect,
        [ts.SyntaxKind.CaseClause]: collect,
        [ts.SyntaxKind.DefaultClause]: collect,
        [ts.SyntaxKind.ModuleBlock]: collect,
        [ts.SyntaxKind.AwaitExpression]: countAwait,
      },
      onEnd: () => {
        if (isBrowserCode(context)) return;
        for (const list of lists) {
          if ((awaitingStatements.get(list) ?? 0) < 2) continue;
          for (const group of independentGroups(context, list.statements)) report(context, group);
        }
      },
    };
  },
};

/** Maximal runs of consecutive steps in which no step reads a name an earlier one declares or shares its resource. */
function independentGroups(context: RuleContext, statements: readonly ts.Statement[]): Step[][] {
  const groups: Step[][] = [];
  let current: Step[] = [];
  const close = (): void => {
    if (current.length >= 2) groups.push(current);
    current = [];
  };
  for (const statement of statements) {
    const step = stepOf(context, statement);
    if (!step) {
      close();
      continue;
    }
    if (current.some((earlier) => dependsOn(step, earlier))) close();
    current.push(step);
  }
  close();
  return groups;
}

function dependsOn(later: Step, earlier: Step): boolean {
  if (readsAnyOf(later.awaited, earlier.declares)) return true;
  return later.resource !== undefined && later.resource === earlier.resource;
}

function stepOf(context: RuleContext, statement: ts.Statement): Step | undefined {
  let awaited: ts.Expression | undefined;
  let declaration: ts.VariableDeclaration | undefined;
  let keyword: Step['keyword'];
  if (ts.isExpressionStatement(statement)) {
    awaited = stripParentheses(statement.expression);
  } else if (ts.isVariableStatement(statement)) {
    if (ts.getModifiers(statement)?.length) return undefined;
    const list = statement.declarationList;
    if (list.declarations.length !== 1) return undefined;
    keyword = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : undefined;
    if (!keyword) return undefined;
    declaration = list.declarations[0];
    awaited = declaration.initializer && stripParentheses(declaration.initializer);
  } else {
    return undefined;
  }
  if (!awaited || !ts.isAwaitExpression(awaited)) return undefined;
  const operand = stripParentheses(awaited.expression);
  if (!ts.isCallExpression(operand)) return undefined;
  const call = chainRoot(operand);
  const external = context.external.classify(call);
  if (!external || external.viaFile) return undefined;
  if (isOnOneConnection(call, external) || insideTransactionCallback(statement)) return undefined;
  const resource = readResource(context, call, external);
  if (resource === undefined) return undefined;
  const declares = declaration ? bindingNames(declaration.name) : [];
  return { statement, declaration, keyword, awaited, call, declares, resource: resource || undefined };
}

/** The statement an await is the whole of, as `stepOf` reads it: `await x()` or `const a = await x()`. */
function awaitingStatement(awaited: ts.AwaitExpression): ts.Statement | undefined {
  let position: ts.Node = awaited;
  while (position.parent.kind === ts.SyntaxKind.ParenthesizedExpression) position = position.parent;
  const parent = position.parent;
  if (parent.kind === ts.SyntaxKind.ExpressionStatement) return parent as ts.ExpressionStatement;
  if (parent.kind !== ts.SyntaxKind.VariableDeclaration || (parent as ts.VariableDeclaration).initializer !== position) return undefined;
  const statement = parent.parent.parent;
  return statement.kind === ts.SyntaxKind.VariableStatement ? statement as ts.VariableStatement : undefined;
}

function stripParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

/** `fetch(url).then((r) => r.json())` starts from `fetch(url)`. */
function chainRoot(call: ts.CallExpression): ts.CallExpression {
  let current = call;
  while (ts.isPropertyAccessExpression(current.expression) && ['then', 'catch', 'finally'].includes(current.expression.name.text)) {
    const target = stripParentheses(current.expression.expression);
    if (!ts.isCallExpression(target)) break;
    current = target;
  }
  return current;
}

/**
 * The resource a read acts on ('' when none can be named), or undefined when the call is not a pure read.
 * Writes are never grouped: a failed write stops the statements after it today, and a read after a write must see it.
 */
function readResource(context: RuleContext, call: ts.CallExpression, external: ExternalCall, depth = 0): string | undefined {
  if (external.viaFunction) {
    if (!functionOnlyReads(context, external.viaFunction as FunctionLike, depth + 1)) return undefined;
    const firstArgument = call.arguments[0]?.getText(context.sourceFile).replace(/\s+/g, ' ') ?? '';
    return `fn:${calleeText(call, context.sourceFile)}:${firstArgument}`;
  }
  const access = callAccess(call, external, context.sourceFile);
  return access.read ? access.resource ?? '' : undefined;
}

/** A same-file function reads only when every external call in it is a read and it assigns nothing outside itself. */
function functionOnlyReads(context: RuleContext, fn: FunctionLike, depth: number): boolean {
  if (depth > MAX_FUNCTION_DEPTH || !fn.body) return false;
  const local = namesDeclaredIn(fn);
  if (writesIn(fn.body).some((write) => !local.has(write.name))) return false;
  let onlyReads = true;
  walk(fn.body, (node) => {
    if (!onlyReads) return false;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && writesThis(node.left)) onlyReads = false;
    if (ts.isCallExpression(node)) {
      const external = context.external.classify(node);
      if (external && (external.viaFile || readResource(context, node, external, depth) === undefined)) onlyReads = false;
    }
    return undefined;
  }, { intoFunctions: true });
  return onlyReads;
}

function writesThis(target: ts.Expression): boolean {
  let current = skipOuter(target);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuter(current.expression);
  return current.kind === ts.SyntaxKind.ThisKeyword;
}

// ---------------------------------------------------------------------------------------------------------
// Report and fix

function report(context: RuleContext, group: Step[]): void {
  const first = group[0].statement;
  const last = group[group.length - 1].statement;
  const callees = group.map((step) => `\`${calleeText(step.call, context.sourceFile)}\``);
  context.report({
    start: first.getStart(context.sourceFile),
    end: last.getEnd(),
    messageId: 'independent',
    data: { count: group.length, callees: callees.length > 3 ? `${callees.slice(0, 3).join(', ')}…` : callees.join(', ') },
    fixes: fixFor(context, group),
  });
}

/**
 * `const a = await x(); const b = await y();` → `const [a, b] = await Promise.all([x(), y()]);`, keeping names,
 * destructuring patterns and type annotations (`const [a, b]: [A, B]`). Bare `await z()` leaves a hole (`[a, , c]`).
 * No fix when `const` and `let` are mixed, when only some declarations are typed, or when comments sit between them.
 */
function fixFor(context: RuleContext, group: Step[]): Fix[] {
  const sourceFile = context.sourceFile;
  const keywords = new Set(group.filter((step) => step.keyword).map((step) => step.keyword));
  if (keywords.size > 1) return [];
  const declared = group.filter((step) => step.declaration);
  const typed = declared.filter((step) => step.declaration?.type);
  if (typed.length > 0 && typed.length !== declared.length) return [];
  for (let index = 1; index < group.length; index++) {
    if (/\/[/*]/.test(context.text.slice(group[index - 1].statement.getEnd(), group[index].statement.getStart(sourceFile)))) return [];
  }
  const names = group.map((step) => step.declaration ? step.declaration.name.getText(sourceFile) : '');
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  const types = group.map((step) => step.declaration?.type ? step.declaration.type.getText(sourceFile) : 'unknown');
  const elements = group.map((step) => step.awaited.expression.getText(sourceFile));
  const terminator = usesSemicolons(context) ? ';' : '';
  const first = group[0].statement;
  const keyword = [...keywords][0];
  const head = keyword ? `${keyword} [${names.join(', ')}]${typed.length > 0 ? `: [${types.join(', ')}]` : ''} = ` : '';
  const indent = indentationAt(context.text, first.getStart(sourceFile));
  const oneLine = `${head}await Promise.all([${elements.join(', ')}])${terminator}`;
  let newText = oneLine;
  if (oneLine.includes('\n') || indent.length + oneLine.length > MAX_LINE) {
    const unit = indentUnit(context.text);
    const nl = newlineOf(context.text);
    const items = group.map((step) => `${indent}${unit}${reindented(context, step.awaited.expression, unit)},`);
    newText = `${head}await Promise.all([${nl}${items.join(nl)}${nl}${indent}])${terminator}`;
  }
  return [{
    title: `Run the ${group.length} calls together with Promise.all`,
    edits: [{ start: first.getStart(sourceFile), end: group[group.length - 1].statement.getEnd(), newText }],
  }];
}

/** The expression's text with its continuation lines one level deeper; template literals are left as written. */
function reindented(context: RuleContext, expression: ts.Expression, unit: string): string {
  const text = expression.getText(context.sourceFile);
  if (!text.includes('\n')) return text;
  let hasMultilineTemplate = false;
  walk(expression, (node) => {
    if ((ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.getText(context.sourceFile).includes('\n')) hasMultilineTemplate = true;
    return undefined;
  }, { intoFunctions: true });
  if (hasMultilineTemplate) return text;
  return text.split('\n').map((line, index) => index === 0 || line.trim() === '' ? line : `${unit}${line}`).join('\n');
}
