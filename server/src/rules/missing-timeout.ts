import * as ts from 'typescript';
import type { FileContext, Fix, RelatedInformation, Rule, RuleContext, TextEdit } from '../engine/types';
import { crossFileRelated, type ExternalCall } from '../engine/external';
import type { Binding } from '../engine/bindings';
import { isBrowserCode } from '../engine/environment';
import { isBrowserScript, isTestSupportFile } from '../engine/fileRole';
import { skipOuter } from '../engine/bindings';
import { addPropertyToObjectLiteral } from '../engine/fixkit';
import { perParse } from '../engine/perFile';
import { calleeText, constObjectLiteral, enclosingFunction, findProperty, hasSpread, outerExpression, propertyValue, walk } from '../engine/ast';

type MessageId = 'fetch' | 'axios' | 'got' | 'ky' | 'superagent' | 'nodeHttp' | 'undici';

/** Where an HTTP call's options live, and whether they bound the wait. */
type OptionsVerdict =
  | { state: 'bounded' }
  | { state: 'unknown' }
  | { state: 'missing'; literal?: ts.ObjectLiteralExpression; insertArgumentAt?: number; argumentPrefix?: string };

const AXIOS_CONFIG_INDEX: Readonly<Record<string, number>> = {
  get: 1, delete: 1, head: 1, options: 1, request: 0,
  post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2,
};

const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'paginate', 'stream']);
const SUPERAGENT_METHODS = new Set(['get', 'post', 'put', 'patch', 'del', 'delete', 'head', 'options', 'send']);

export const missingTimeout: Rule = {
  meta: {
    id: 'missing-timeout',
    category: 'timeouts',
    defaultSeverity: 'warning',
    description: 'Outbound HTTP call with no timeout or abort signal.',
    hasFix: true,
    scope: 'statement',
    messages: {
      fetch: '`{{callee}}` has no `signal`: if the upstream stops answering, this request waits for minutes (undici waits 300 s for headers) while the caller holds its connection. Pass `signal: AbortSignal.timeout(ms)`.',
      axios: '`{{callee}}` has no timeout: axios waits forever by default (timeout 0), so a hung upstream hangs this caller. Set `timeout` in the call or in the `axios.create` instance.',
      got: '`{{callee}}` has no timeout: got waits forever by default, so a hung upstream hangs this caller. Set `timeout: { request: ms }`.',
      ky: '`{{callee}}` turns ky\'s default 10 s timeout off (`timeout: false`): a hung upstream now hangs this caller.',
      superagent: '`{{callee}}` has no `.timeout()`: superagent waits forever by default, so a hung upstream hangs this caller.',
      nodeHttp: '`{{callee}}` has no timeout: Node\'s http client waits on an idle socket indefinitely. Pass a `signal` (or `timeout` with a `timeout` handler that destroys the request).',
      undici: '`{{callee}}` has no `signal` or `headersTimeout`: undici waits up to 300 s for headers, far past any caller\'s patience.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    if (!context.external.mayCallOut(context, 'http')) return { kinds: {} };
    let exempt: boolean | undefined;
    return {
      kinds: {
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => {
          const call = node as ts.CallExpression;
          // Same-file functions are not requests themselves: only a call that may itself be HTTP is classified.
          if (!context.external.mayBeExternal(call, 'http')) return;
          // A browser tab or a test run is not a server waiting on a hung upstream.
          exempt ??= isBrowserCode(context) || isBrowserScript(context) || isTestSupportFile(context);
          if (exempt) return;
          const external = context.external.classify(call);
          if (!external || external.kind !== 'http' || external.viaFunction || external.viaFile) return;
          // A client created in another file: its defaults decide, unless that file shows none (then the call must).
          if (external.viaClient && external.viaClient.bounded !== false) return;
          checkHttpCall(context, call, external);
        },
      },
    };
  },
};

function checkHttpCall(context: RuleContext, call: ts.CallExpression, external: ExternalCall): void {
  const style = external.knowledge.http;
  const member = external.path[external.path.length - 1];
  switch (style) {
    case 'fetch':
      return reportIfMissing(context, call, 'fetch', fetchOptions(call, 1), signalProperty(context));
    case 'undici-request':
      return reportIfMissing(context, call, member === 'fetch' || external.binding?.imported === 'fetch' ? 'fetch' : 'undici', fetchOptions(call, 1, ['headersTimeout', 'bodyTimeout']), signalProperty(context));
    case 'axios':
      if (instanceHasOption(external.binding, ['timeout', 'signal'])) return;
      if (axiosDefaultsSet(context, external.binding)) return;
      return reportIfMissing(context, call, 'axios', axiosOptions(call, member), `timeout: ${context.settings.timeoutMs}`, crossFileRelated(external));
    case 'got':
      if (member !== undefined && !GOT_METHODS.has(member)) return;
      if (instanceHasOption(external.binding, ['timeout', 'signal'])) return;
      return reportIfMissing(context, call, 'got', fetchOptions(call, 1), `timeout: { request: ${context.settings.timeoutMs} }`, crossFileRelated(external));
    case 'ky':
      return checkKy(context, call);
    case 'superagent':
      if (member !== undefined && !SUPERAGENT_METHODS.has(member)) return;
      return checkSuperagent(context, call);
    case 'node-http':
      return checkNodeHttp(context, call);
    default:
      return undefined;
  }
}

function signalProperty(context: FileContext): string {
  return `signal: AbortSignal.timeout(${context.settings.timeoutMs})`;
}

function reportIfMissing(
  context: RuleContext, call: ts.CallExpression, messageId: MessageId, verdict: OptionsVerdict, propertyText: string, related: RelatedInformation[] = [],
): void {
  if (verdict.state !== 'missing') return;
  const fix = fixFor(context, call, verdict, propertyText);
  context.report({
    node: call.expression,
    messageId,
    data: { callee: calleeText(call, context.sourceFile) },
    fixes: fix ? [fix] : [],
    related,
  });
}

function fixFor(context: RuleContext, call: ts.CallExpression, verdict: Extract<OptionsVerdict, { state: 'missing' }>, propertyText: string): Fix | undefined {
  let edit: TextEdit | undefined;
  const [name, ...valueParts] = propertyText.split(': ');
  const existing = verdict.literal && findProperty(verdict.literal, name);
  const existingValue = existing && propertyValue(existing);
  if (existingValue && ts.isPropertyAssignment(existing)) {
    // `timeout: 0` or `signal: undefined`: replace the value rather than add a second key.
    edit = { start: existingValue.getStart(context.sourceFile), end: existingValue.getEnd(), newText: valueParts.join(': ') };
  } else if (verdict.literal) {
    edit = addPropertyToObjectLiteral(context, verdict.literal, propertyText);
  } else if (verdict.insertArgumentAt !== undefined) {
    edit = { start: verdict.insertArgumentAt, end: verdict.insertArgumentAt, newText: `${verdict.argumentPrefix ?? ', '}{ ${propertyText} }` };
  }
  if (!edit) return undefined;
  return { title: `Add \`${name}\` (${context.settings.timeoutMs} ms) to this call`, edits: [edit] };
}

/**
 * Options at `index` (fetch(url, init), got(url, options), http.request(url, options)).
 * Bounded when it sets `signal` or one of `alsoBounding`; unknown when it cannot see the object.
 */
function fetchOptions(call: ts.CallExpression, index: number, alsoBounding: readonly string[] = []): OptionsVerdict {
  const bounding = ['signal', 'timeout', ...alsoBounding];
  const first = call.arguments[0];
  if (first && index > 0 && ts.isObjectLiteralExpression(skipOuter(first)) && call.arguments.length === 1) {
    // got({ url, ... }) and http.request({ host, ... }): the options are the first argument.
    return literalVerdict(skipOuter(first) as ts.ObjectLiteralExpression, bounding);
  }
  if (first && index > 0 && !isUrlLike(first)) return { state: 'unknown' };
  const argument = call.arguments[index];
  if (!argument) {
    const last = call.arguments[call.arguments.length - 1];
    if (!last || index !== call.arguments.length) return { state: 'unknown' };
    return { state: 'missing', insertArgumentAt: last.getEnd() };
  }
  return optionsArgumentVerdict(argument, bounding);
}

function optionsArgumentVerdict(argument: ts.Expression, bounding: readonly string[]): OptionsVerdict {
  const value = skipOuter(argument);
  if (ts.isObjectLiteralExpression(value)) return literalVerdict(value, bounding);
  if (ts.isIdentifier(value)) {
    if (value.text === 'undefined') return { state: 'unknown' };
    const declared = constObjectLiteral(value);
    return declared ? literalVerdict(declared, bounding) : { state: 'unknown' };
  }
  return { state: 'unknown' };
}

function literalVerdict(literal: ts.ObjectLiteralExpression, bounding: readonly string[]): OptionsVerdict {
  if (bounding.some((name) => hasBoundingValue(literal, name))) return { state: 'bounded' };
  if (hasSpread(literal)) return { state: 'unknown' };
  return { state: 'missing', literal };
}

/** `timeout: 0` / `timeout: false` / `signal: undefined` do not bound anything. */
function hasBoundingValue(literal: ts.ObjectLiteralExpression, name: string): boolean {
  const property = findProperty(literal, name);
  if (!property) return false;
  const value = propertyValue(property);
  if (!value) return true;
  const inner = skipOuter(value);
  if (inner.kind === ts.SyntaxKind.FalseKeyword || inner.kind === ts.SyntaxKind.NullKeyword) return false;
  if (ts.isIdentifier(inner) && inner.text === 'undefined') return false;
  if (ts.isNumericLiteral(inner) && Number(inner.text) === 0) return false;
  return true;
}

/** A URL or path as the first argument (string, template, identifier, `new URL(...)`, member access). */
function isUrlLike(argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  return ts.isStringLiteralLike(value) || ts.isTemplateExpression(value) || ts.isIdentifier(value)
    || ts.isPropertyAccessExpression(value) || ts.isNewExpression(value) || ts.isBinaryExpression(value)
    || ts.isCallExpression(value) || ts.isElementAccessExpression(value);
}

function axiosOptions(call: ts.CallExpression, member: string | undefined): OptionsVerdict {
  const bounding = ['timeout', 'signal', 'cancelToken'];
  if (member === undefined) {
    // axios(config) or axios(url, config)
    const first = call.arguments[0];
    if (!first) return { state: 'unknown' };
    if (ts.isObjectLiteralExpression(skipOuter(first))) return literalVerdict(skipOuter(first) as ts.ObjectLiteralExpression, bounding);
    if (call.arguments.length === 1 && ts.isIdentifier(skipOuter(first)) && !constObjectLiteral(skipOuter(first) as ts.Identifier)) {
      return { state: 'unknown' };
    }
    if (call.arguments.length === 1 && isStringish(first)) return { state: 'missing', insertArgumentAt: first.getEnd() };
    return call.arguments[1] ? optionsArgumentVerdict(call.arguments[1], bounding) : optionsArgumentVerdict(first, bounding);
  }
  const index = AXIOS_CONFIG_INDEX[member];
  if (index === undefined) return { state: 'unknown' };
  const argument = call.arguments[index];
  if (argument) return optionsArgumentVerdict(argument, bounding);
  if (call.arguments.length === 0) return { state: 'unknown' };
  const last = call.arguments[call.arguments.length - 1];
  // axios.post(url) has no data argument: the config goes third, after an explicit `undefined`.
  const missingData = index - call.arguments.length;
  const prefix = missingData === 1 ? ', undefined, ' : ', ';
  return missingData <= 1 ? { state: 'missing', insertArgumentAt: last.getEnd(), argumentPrefix: prefix } : { state: 'unknown' };
}

function isStringish(argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  return ts.isStringLiteralLike(value) || ts.isTemplateExpression(value);
}

/** The instance (or the instance it derives from) was created with a timeout; unknown options count as set. */
function instanceHasOption(binding: Binding | undefined, names: readonly string[]): boolean {
  for (let current = binding; current; current = current.parent) {
    if (!current.isInstance) continue;
    const creationArgument = current.creation?.arguments?.[0];
    if (!creationArgument) continue;
    const config = skipOuter(creationArgument);
    if (!ts.isObjectLiteralExpression(config)) {
      if (ts.isIdentifier(config)) {
        const declared = constObjectLiteral(config);
        if (!declared || hasSpread(declared) || names.some((name) => hasBoundingValue(declared, name))) return true;
        continue;
      }
      return true;
    }
    if (hasSpread(config) || names.some((name) => hasBoundingValue(config, name))) return true;
  }
  return false;
}

/** `axios.defaults.timeout = 5000` (or on the instance) anywhere at the top level of the file. */
function axiosDefaultsSet(context: RuleContext, binding: Binding | undefined): boolean {
  const withDefaults = namesWithDefaultTimeout(context.sourceFile);
  for (let current = binding; current; current = current.parent) if (withDefaults.has(current.name)) return true;
  return false;
}

/** Names given a top-level `name.defaults.timeout = …`; asked per axios call, so collected once per parse. */
const namesWithDefaultTimeout = perParse('missing-timeout:axiosDefaults', (sourceFile) => {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const left = statement.expression.left;
    if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'timeout') continue;
    const target = left.expression;
    if (ts.isPropertyAccessExpression(target) && target.name.text === 'defaults' && ts.isIdentifier(target.expression)) {
      names.add(target.expression.text);
    }
  }
  return names;
});

function checkKy(context: RuleContext, call: ts.CallExpression): void {
  for (const argument of call.arguments) {
    const value = skipOuter(argument);
    if (!ts.isObjectLiteralExpression(value)) continue;
    const property = findProperty(value, 'timeout');
    const timeout = property && propertyValue(property);
    if (timeout && skipOuter(timeout).kind === ts.SyntaxKind.FalseKeyword && !findProperty(value, 'signal')) {
      context.report({
        node: call.expression,
        messageId: 'ky',
        data: { callee: calleeText(call, context.sourceFile) },
        fixes: [{
          title: `Set \`timeout\` to ${context.settings.timeoutMs} ms`,
          edits: [{ start: timeout.getStart(context.sourceFile), end: timeout.getEnd(), newText: String(context.settings.timeoutMs) }],
        }],
      });
    }
  }
}

/**
 * superagent builds a request by chaining: `request.get(url).set(...).timeout(5000)`. Only a chain that is
 * sent right here (awaited, returned, `.then`, `.end`) is judged; a request kept in a variable may get its
 * timeout later.
 */
function checkSuperagent(context: RuleContext, call: ts.CallExpression): void {
  let top: ts.Expression = call;
  let sent = false;
  for (;;) {
    const parent = outerExpression(top).parent;
    if (ts.isPropertyAccessExpression(parent) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      const method = parent.name.text;
      if (method === 'timeout') return;
      if (method === 'then' || method === 'end' || method === 'catch') sent = true;
      top = parent.parent;
      continue;
    }
    if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent)) sent = true;
    break;
  }
  if (!sent) return;
  const at = call.getEnd();
  context.report({
    node: call.expression,
    messageId: 'superagent',
    data: { callee: calleeText(call, context.sourceFile) },
    fixes: [{ title: `Add \`.timeout(${context.settings.timeoutMs})\``, edits: [{ start: at, end: at, newText: `.timeout(${context.settings.timeoutMs})` }] }],
  });
}

/** http.request / http.get: options `timeout` or `signal`, or `setTimeout` on the request object. */
function checkNodeHttp(context: RuleContext, call: ts.CallExpression): void {
  const args = call.arguments;
  const optionsIndex = args.findIndex((argument, index) => {
    const value = skipOuter(argument);
    return ts.isObjectLiteralExpression(value) || (index > 0 && ts.isIdentifier(value) && !isCallback(value));
  });
  let verdict: OptionsVerdict;
  if (optionsIndex >= 0) {
    verdict = optionsArgumentVerdict(args[optionsIndex], ['signal', 'timeout']);
  } else if (args.length >= 1 && isNodeHttpUrl(args[0])) {
    verdict = { state: 'missing', insertArgumentAt: args[0].getEnd() };
  } else {
    verdict = { state: 'unknown' };
  }
  if (verdict.state !== 'missing') return;
  if (requestGetsTimeoutLater(call)) return;
  reportIfMissing(context, call, 'nodeHttp', verdict, signalProperty(context));
}

/**
 * `http.request(url, cb)` takes a URL or an options object first. A variable passed there may be either (and the
 * options may carry a timeout), so only a visible URL counts: a string, a template, `new URL(...)`, a
 * concatenation, or a value named like one (`url`, `endpoint`, `target.href`).
 */
function isNodeHttpUrl(argument: ts.Expression): boolean {
  const value = skipOuter(argument);
  if (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value) || ts.isNewExpression(value) || ts.isBinaryExpression(value)) return true;
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  return name !== undefined && /url|uri|href|endpoint/i.test(name);
}

function isCallback(identifier: ts.Identifier): boolean {
  return /^(cb|callback|done|handler|on[A-Z]\w*)$/.test(identifier.text);
}

/** `http.get(...).setTimeout(...)`, or `const req = http.request(...)` followed by `req.setTimeout(...)` / `req.on('timeout')`. */
function requestGetsTimeoutLater(call: ts.CallExpression): boolean {
  const outer = outerExpression(call);
  const parent = outer.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'setTimeout') return true;
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return false;
  const requestName = parent.name.text;
  const scope = enclosingFunction(call)?.body ?? call.getSourceFile();
  let found = false;
  walk(scope, (node) => {
    if (found) return false;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
      && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === requestName) {
      const method = node.expression.name.text;
      const firstArgument = node.arguments[0];
      if (method === 'setTimeout' || ((method === 'on' || method === 'once') && firstArgument && ts.isStringLiteralLike(firstArgument) && firstArgument.text === 'timeout')) {
        found = true;
      }
    }
    return undefined;
  }, { intoFunctions: true });
  return found;
}
