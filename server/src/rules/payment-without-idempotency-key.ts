import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import { MODULES, type IdempotencyKeyOption, type ModuleKnowledge } from '../engine/knowledge';
import { skipOuter } from '../engine/bindings';
import { calledMember, memberChain, isFunctionLike } from '../engine/external';
import { addPropertyToObjectLiteral } from '../engine/fixkit';
import { calleeText, constObjectLiteral, findProperty, hasSpread, propertyName, propertyValue } from '../engine/ast';
import { boundNames } from '../engine/errorflow';

type MessageId = 'missingKey';

/** What a payment call's arguments say about its idempotency key. */
type KeyVerdict =
  | { state: 'present' }
  | { state: 'unknown' }
  | { state: 'missing'; options?: ts.ObjectLiteralExpression; insertAt?: number; padding?: number };

/**
 * Names of values that identify one business operation, by the kind of call they may key. A key must be
 * stable across retries of the same operation and differ between operations: an order is paid once, but a
 * customer pays many times and an order may be refunded in parts, so neither `customer` nor `orderId` keys a refund.
 */
const KEY_SOURCES: readonly { methods: RegExp; names: RegExp }[] = [
  { methods: /^(paymentIntents|charges|subscriptions|invoices|invoiceItems|orders|PaymentsApi)\.(create|payments)$/, names: /^(order|cart|checkout|booking|reservation|purchase|basket)(_?id|Id)$/i },
  { methods: /^refunds\.create$|^ModificationsApi\.(refundCapturedPayment|refundOrCancelPayment)$/, names: /^(refund|refundRequest|return|rma)(_?id|Id)$/i },
  { methods: /^transfers\.create$/, names: /^transfer(_?id|Id)$/i },
  { methods: /^payouts\.create$/, names: /^(payout|withdrawal)(_?id|Id)$/i },
  { methods: /^customers\.create$/, names: /^(user|account|member)(_?id|Id)$/i },
];

/** Calls that succeed at most once per object: the object's id keys them. */
const ONCE_PER_OBJECT: ReadonlySet<string> = new Set(['capture', 'finalizeInvoice', 'captureAuthorisedPayment']);

/** A key the caller already computed (`req.get('Idempotency-Key')`), used as it is. */
const KEY_VARIABLE = /^(idempotencyKey|idemKey|idempotency_key|idempotentKey)$/;

export const paymentWithoutIdempotencyKey: Rule = {
  meta: {
    id: 'payment-without-idempotency-key',
    category: 'idempotency',
    defaultSeverity: 'error',
    description: 'A payment or other side-effecting SDK call sent without an idempotency key.',
    hasFix: true,
    scope: 'statement',
    // Whether the file names a module that takes idempotency keys decides how far calls are followed.
    fileFacts: (file) => String(mentionsKeyedModule(file.text)),
    messages: {
      missingKey: '`{{callee}}` moves money or creates a record but sends no idempotency key: when the response is lost (timeout, dropped connection, a retried job or a double-clicked button), retrying it {{consequence}}. Pass `{ idempotencyKey }` derived from the operation (e.g. the order id), the same on every retry.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    if (!context.external.mayCallOut(context)) return { kinds: {} };
    const mentionsKeyed = mentionsKeyedModule(context.text);
    // Without a workspace index, a call's knowledge comes from this file's imports alone.
    if (!mentionsKeyed && !context.workspace) return { kinds: {} };
    return {
      kinds: {
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => {
          const call = node as ts.CallExpression;
          const member = calledMember(call.expression);
          if (member === undefined || !KEYED_METHODS.has(member)) return;
          const target = paymentTarget(context, call, mentionsKeyed);
          if (!target || (target.method === 'update' && !updateMayCharge(call))) return;
          const verdict = keyVerdict(call, target.option, target.method);
          if (verdict.state !== 'missing') return;
          const fix = keyFix(context, call, target, verdict);
          context.report({
            node: call.expression,
            messageId: 'missingKey',
            data: { callee: calleeText(call, context.sourceFile), consequence: consequenceOf(target.path) },
            fixes: fix ? [fix] : [],
          });
        },
      },
    };
  },
};

interface PaymentTarget {
  path: string[];
  method: string;
  option: IdempotencyKeyOption;
}

// ---------------------------------------------------------------------------------------------------------------
// which calls

/**
 * Modules whose calls take idempotency keys. A binding gets its knowledge from a module named in this file (an
 * import or require), so a file that names none of them has no client of theirs but through the workspace index.
 */
const KEYED_MODULES: readonly string[] = Object.keys(MODULES).filter((name) => MODULES[name].idempotencyKey !== undefined);

function mentionsKeyedModule(text: string): boolean {
  return KEYED_MODULES.some((name) => text.includes(name));
}

/** The method names any module lists as needing a key: every other call is rejected before it is classified. */
const KEYED_METHODS: ReadonlySet<string> = new Set(Object.values(MODULES)
  .flatMap((knowledge) => knowledge.idempotentMethods ?? [])
  .map((pattern) => pattern.split('.')[1]));

/** A call the module knowledge lists as needing a key, made through a client from bindings or a typed parameter. */
function paymentTarget(context: RuleContext, call: ts.CallExpression, mentionsKeyedModule: boolean): PaymentTarget | undefined {
  const external = context.external.classify(call);
  let knowledge: ModuleKnowledge | undefined;
  let path: string[] | undefined;
  if (external && !external.viaFunction && !external.viaFile) {
    knowledge = external.knowledge;
    path = external.path;
  } else if (!external && mentionsKeyedModule) {
    const typed = typedClient(context, call);
    knowledge = typed?.knowledge;
    path = typed?.path;
  }
  if (!knowledge?.idempotencyKey || !knowledge.idempotentMethods || !path || path.length < 2) return undefined;
  const needsKey = knowledge.idempotentMethods.some((pattern) => matchesMethod(path as string[], pattern));
  const harmless = (knowledge.idempotencyNotNeeded ?? []).some((pattern) => matchesMethod(path as string[], pattern));
  if (!needsKey || harmless || path.includes('testHelpers')) return undefined;
  return { path, method: path[path.length - 1], option: knowledge.idempotencyKey };
}

function matchesMethod(path: readonly string[], pattern: string): boolean {
  const [resource, method] = pattern.split('.');
  const count = path.length;
  if (count < 2 || path[count - 1] !== method) return false;
  return resource === '*' || path[count - 2] === resource;
}

/**
 * A client injected rather than created here, written with its type: `constructor(private readonly stripe: Stripe)`
 * (NestJS), a `stripe: Stripe` class field, or a function parameter `stripe: Stripe` — `Stripe` imported from a
 * module whose calls take idempotency keys.
 */
function typedClient(context: RuleContext, call: ts.CallExpression): { knowledge: ModuleKnowledge; path: string[] } | undefined {
  const chain = memberChain(call.expression);
  if (!chain) return undefined;
  const type = declaredTypeOf(chain.root, call);
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const typeName = type.typeName;
  const root = ts.isIdentifier(typeName) ? typeName.text : ts.isIdentifier(typeName.left) ? typeName.left.text : undefined;
  const binding = root ? context.bindings.get(root) : undefined;
  if (!binding || binding.isInstance || !binding.knowledge?.idempotencyKey) return undefined;
  return { knowledge: binding.knowledge, path: chain.path };
}

function declaredTypeOf(root: string, from: ts.Node): ts.TypeNode | undefined {
  const isMember = root.startsWith('this.');
  const name = isMember ? root.slice(5) : root;
  for (let current = from.parent; current; current = current.parent) {
    if (isMember && ts.isClassLike(current)) {
      for (const member of current.members) {
        if (ts.isPropertyDeclaration(member) && !member.initializer && member.name && propertyName(member.name) === name) return member.type;
        if (ts.isConstructorDeclaration(member)) {
          const parameter = member.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name
            && (ts.getModifiers(candidate)?.length ?? 0) > 0);
          if (parameter) return parameter.type;
        }
      }
      return undefined;
    }
    if (!isMember && isFunctionLike(current)) {
      const parameter = current.parameters.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name);
      if (parameter) return parameter.type;
    }
  }
  return undefined;
}

/** Update params that bill now or add something, so that a repeated update can charge again. */
const CHARGING_UPDATE_VALUES: Readonly<Record<string, string>> = {
  proration_behavior: 'always_invoice',
  billing_cycle_anchor: 'now',
  trial_end: 'now',
};
const ADDING_UPDATE_FIELDS: ReadonlySet<string> = new Set(['add_invoice_items']);

/**
 * An update that sets state (`cancel_at_period_end: true`, `items: [{ id, price }]`, `metadata`) lands the same
 * on a retry: no key needed. It can charge or add twice when it bills now (`proration_behavior: 'always_invoice'`,
 * `billing_cycle_anchor: 'now'`, `trial_end: 'now'`), adds invoice items, or adds a subscription item (an `items`
 * entry without `id`). Params the rule cannot read (a variable from elsewhere, a spread) leave it silent.
 */
function updateMayCharge(call: ts.CallExpression): boolean {
  const params = call.arguments[1] && objectLiteralOf(call.arguments[1]);
  if (!params || hasSpread(params)) return false;
  return params.properties.some((property) => {
    const name = property.name && propertyName(property.name);
    const value = propertyValue(property);
    const inner = value && skipOuter(value);
    if (!name || !inner) return false;
    if (ADDING_UPDATE_FIELDS.has(name)) return true;
    if (name === 'items') return ts.isArrayLiteralExpression(inner) && inner.elements.some(addsAnItem);
    const charging = CHARGING_UPDATE_VALUES[name];
    return charging !== undefined && ts.isStringLiteralLike(inner) && inner.text === charging;
  });
}

/** `{ price }` adds a subscription item; `{ id, price }` replaces one in place. */
function addsAnItem(element: ts.Expression): boolean {
  const item = skipOuter(element);
  return ts.isObjectLiteralExpression(item) && !hasSpread(item) && findProperty(item, 'id') === undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// does it carry a key

/**
 * Request options are an object argument with the key or another option property, or the argument at the
 * method's options position. What the rule cannot read — an options variable from elsewhere, a spread, a call —
 * counts as possibly carrying the key.
 */
function keyVerdict(call: ts.CallExpression, option: IdempotencyKeyOption, method: string): KeyVerdict {
  const args = call.arguments;
  if (args.some((argument) => ts.isSpreadElement(argument))) return { state: 'unknown' };
  for (const argument of args) {
    const literal = objectLiteralOf(argument);
    if (literal && isOptionsLiteral(literal, option)) return literalVerdict(literal, option);
  }
  const optionsIndex = option.optionsIndex[method] ?? option.defaultOptionsIndex;
  if (args.length > optionsIndex) {
    const literal = objectLiteralOf(args[optionsIndex]);
    return literal && !hasSpread(literal) ? { state: 'missing', options: literal } : { state: 'unknown' };
  }
  if (args.some((argument, index) => index > 0 && mayBeOptions(argument))) return { state: 'unknown' };
  const missingParams = optionsIndex - args.length;
  if (missingParams === 0) return { state: 'missing', insertAt: insertionPoint(call) };
  // Only optional params may be missing (`capture(id)`); a missing required argument is not ours to judge.
  if (!option.optionalParams || args.length === 0 && optionsIndex > 1) return { state: 'unknown' };
  return { state: 'missing', insertAt: insertionPoint(call), padding: missingParams };
}

function objectLiteralOf(argument: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const value = skipOuter(argument);
  if (ts.isObjectLiteralExpression(value)) return value;
  return ts.isIdentifier(value) ? constObjectLiteral(value) : undefined;
}

function isOptionsLiteral(literal: ts.ObjectLiteralExpression, option: IdempotencyKeyOption): boolean {
  return [...option.properties, ...option.optionKeys].some((name) => findProperty(literal, name) !== undefined);
}

function literalVerdict(literal: ts.ObjectLiteralExpression, option: IdempotencyKeyOption): KeyVerdict {
  const key = option.properties.map((name) => findProperty(literal, name)).find((property) => property !== undefined);
  if (key) {
    const value = propertyValue(key);
    const inner = value && skipOuter(value);
    const empty = inner && (inner.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(inner) && inner.text === 'undefined'));
    return empty ? { state: 'missing', options: literal } : { state: 'present' };
  }
  return hasSpread(literal) ? { state: 'unknown' } : { state: 'missing', options: literal };
}

/** `opts`, `requestOptions`, `options` passed where params would go may be the request options themselves. */
function mayBeOptions(argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  if (ts.isIdentifier(value)) return /opt|config/i.test(value.text) && !constObjectLiteral(value);
  return ts.isCallExpression(value) || ts.isConditionalExpression(value);
}

function insertionPoint(call: ts.CallExpression): number {
  const args = call.arguments;
  return args.length > 0 ? args[args.length - 1].getEnd() : call.arguments.pos;
}

function consequenceOf(path: readonly string[]): string {
  const method = path[path.length - 1];
  const resource = path.length >= 2 ? path[path.length - 2] : '';
  if (/refund/i.test(method) || /refund/i.test(resource)) return 'refunds twice';
  if (/capture/i.test(method)) return 'can capture twice';
  if (/payout|transfer/i.test(resource)) return 'sends the money twice';
  if (/payment|charge|invoice|subscription|PaymentsApi/i.test(resource) || method === 'payments' || method === 'pay') return 'charges the customer twice';
  return 'creates a duplicate';
}

// ---------------------------------------------------------------------------------------------------------------
// the fix

function keyFix(context: RuleContext, call: ts.CallExpression, target: PaymentTarget, verdict: Extract<KeyVerdict, { state: 'missing' }>): Fix | undefined {
  const key = derivedKey(call, target);
  if (!key) return undefined;
  const property = key.shorthand ? key.expression : `idempotencyKey: ${key.expression}`;
  let edit: TextEdit | undefined;
  if (verdict.options) {
    const existing = target.option.properties.map((name) => findProperty(verdict.options as ts.ObjectLiteralExpression, name)).find((candidate) => candidate !== undefined);
    const value = existing && propertyValue(existing);
    edit = value && ts.isPropertyAssignment(existing)
      ? { start: value.getStart(context.sourceFile), end: value.getEnd(), newText: key.expression }
      : addPropertyToObjectLiteral(context, verdict.options, property);
  } else if (verdict.insertAt !== undefined) {
    const padding = '{}, '.repeat(verdict.padding ?? 0);
    const separator = call.arguments.length > 0 ? ', ' : '';
    edit = { start: verdict.insertAt, end: verdict.insertAt, newText: `${separator}${padding}{ ${property} }` };
  }
  if (!edit) return undefined;
  return { title: `Add \`idempotencyKey: ${key.expression}\``, edits: [edit] };
}

/**
 * A key that stays the same when this operation is retried and differs between operations: a key variable in
 * scope, an operation id (order, refund request, payout...) from the params' metadata or the code around the
 * call, or — for calls that succeed once per object — the object's id. Never random: a fresh key per attempt
 * defeats the point. Undefined when nothing stable is in view.
 */
function derivedKey(call: ts.CallExpression, target: PaymentTarget): { expression: string; shorthand: boolean } | undefined {
  const namesInScope = visibleNames(call);
  const keyVariable = namesInScope.find((name) => KEY_VARIABLE.test(name));
  if (keyVariable) return { expression: keyVariable, shorthand: keyVariable === 'idempotencyKey' };
  const qualified = target.path.slice(-2).join('.');
  const prefix = keyPrefix(target.path);
  const source = KEY_SOURCES.find((candidate) => candidate.methods.test(qualified));
  if (source) {
    const fromMetadata = metadataIdentifier(call, source.names);
    const identifier = fromMetadata ?? namesInScope.find((name) => source.names.test(name));
    if (identifier) return { expression: `\`${prefix}-\${${identifier}}\``, shorthand: false };
  }
  if (ONCE_PER_OBJECT.has(target.method)) {
    const id = call.arguments[0] && skipOuter(call.arguments[0]);
    if (id && plainPath(id)) return { expression: `\`${prefix}-\${${id.getText()}}\``, shorthand: false };
  }
  return undefined;
}

/** `payment-intent`, `refund`, `capture`, `finalize-invoice`, `payment` (Adyen `payments`). */
function keyPrefix(path: readonly string[]): string {
  const method = path[path.length - 1];
  const base = method === 'create' ? path[path.length - 2].replace(/ies$/, 'y').replace(/s$/, '') : method.replace(/^payments$/, 'payment');
  return base.replace(/Api$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** An operation id written in the params' `metadata` (`metadata: { orderId: order.id }`): its value as written. */
function metadataIdentifier(call: ts.CallExpression, names: RegExp): string | undefined {
  for (const argument of call.arguments) {
    const literal = objectLiteralOf(argument);
    const metadata = literal && findProperty(literal, 'metadata');
    const value = metadata && propertyValue(metadata);
    const object = value && skipOuter(value);
    if (!object || !ts.isObjectLiteralExpression(object)) continue;
    for (const property of object.properties) {
      const name = property.name && propertyName(property.name);
      const inner = propertyValue(property);
      if (name && names.test(name) && inner && plainPath(skipOuter(inner))) return skipOuter(inner).getText();
    }
  }
  return undefined;
}

function plainPath(expression: ts.Expression): boolean {
  if (ts.isIdentifier(expression)) return expression.text !== 'undefined';
  return ts.isPropertyAccessExpression(expression) && !expression.questionDotToken && plainPath(skipOuter(expression.expression));
}

/** Parameters and earlier declarations visible from a node, nearest first. */
function visibleNames(from: ts.Node): string[] {
  const names: string[] = [];
  let child: ts.Node = from;
  for (let current = from.parent; current; child = current, current = current.parent) {
    if (isFunctionLike(current)) {
      for (const parameter of current.parameters) names.push(...boundNames(parameter.name));
    }
    const statements = ts.isBlock(current) || ts.isSourceFile(current) ? current.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (statement.pos >= child.pos) break;
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) names.push(...boundNames(declaration.name));
    }
  }
  return names;
}
