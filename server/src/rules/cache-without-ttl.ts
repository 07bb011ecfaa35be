import * as ts from 'typescript';
import type { Fix, Rule, RuleContext, TextEdit } from '../engine/types';
import type { Binding } from '../engine/bindings';
import { skipOuter } from '../engine/bindings';
import { constObjectLiteral, enclosingFunction, findConstDeclaration, findProperty, hasSpread, propertyName, propertyValue, walk } from '../engine/ast';
import { addPropertyToObjectLiteral, indentationAt, newlineOf, preferredQuote } from '../engine/fixkit';
import { dependencyMajor } from '../engine/project';
import {
  CACHE_MODULES, CHAIN_STARTERS, DEFAULT_TTL_OPTIONS, EXPIRE_COMMANDS, EXPIRING_WRITES, REDIS_STYLES, SET_TTL_OPTIONS,
  SET_TTL_TOKENS, STRING_WRITES_WITHOUT_TTL, STRUCTURE_WRITES, type CacheStyle,
} from '../engine/caches';

/** Every write judged is made on a client bound from one of these. */
const CACHE_MODULE_NAMES: ReadonlySet<string> = new Set(Object.keys(CACHE_MODULES));

type MessageId = 'setWithoutTtl' | 'commandWithoutExpire' | 'lockWithoutTtl' | 'nodeCache' | 'lruCache';

/** The cache client a call is made on. */
interface CacheClient {
  style: CacheStyle;
  binding: Binding;
  /** node-redis before v4 takes `set` options positionally, as ioredis does. */
  positional: boolean;
  /** The call is queued on `client.multi()` / `client.pipeline()` in the same expression. */
  inChain: boolean;
}

/** Whether a `set` carries an expiry. */
type TtlVerdict =
  | { state: 'present' }
  | { state: 'unknown' }
  | { state: 'missing'; lock: boolean; edit?: TextEdit };

interface PendingWrite {
  call: ts.CallExpression;
  method: string;
  client: CacheClient;
  keys: readonly WrittenKey[];
  scope: ts.Node;
  verdict: Extract<TtlVerdict, { state: 'missing' }>;
}

/** A key a write touches: its text, and the expression when there is one to repeat in a fix. */
interface WrittenKey {
  text: string;
  fixed: boolean;
  expression?: ts.Expression;
}

interface KeyEvent {
  key: string;
  /** Where the command name is written: after the write it follows, even in a `multi()` chain. */
  at: number;
  scope: ts.Node;
}

const ALL_CAPS = /^[A-Z][A-Z0-9_]*$/;

export const cacheWithoutTtl: Rule = {
  meta: {
    id: 'cache-without-ttl',
    category: 'caching',
    defaultSeverity: 'warning',
    description: 'A cache write without expiry: Redis `set`/`hset`/`mset`… with no TTL and no `expire` on the same key nearby; node-cache/lru-cache `set` without ttl where the instance has no default.',
    hasFix: true,
    // Whether a hash or set write needs its own expiry depends on expiries anywhere in the file.
    scope: 'file',
    messages: {
      setWithoutTtl: '`{{callee}}` caches `{{key}}` with no expiry and no `expire` on that key follows: every distinct key stays in Redis until someone deletes it, so memory grows with traffic until eviction drops keys you need, and readers get stale values forever. Give it a TTL ({{syntax}}).',
      commandWithoutExpire: '`{{callee}}` cannot take an expiry and no `expire` on `{{key}}` follows in this function: every distinct key stays in Redis until someone deletes it, so memory grows with traffic and readers get stale values forever. Add `expire(key, seconds)` after it (inside the same `multi()` to make it atomic).',
      lockWithoutTtl: '`{{callee}}` takes a lock (NX) on `{{key}}` with no expiry: if this process crashes or hangs before deleting it, the lock is held forever and every later attempt fails. Give it a TTL ({{syntax}}).',
      nodeCache: '`{{callee}}` caches `{{key}}` with no TTL and the NodeCache instance has no `stdTTL`: entries never expire, so stale values are served forever and the cache grows without bound (node-cache has no size limit by default). Pass a TTL in seconds as the third argument or set `stdTTL`.',
      lruCache: '`{{callee}}` caches `{{key}}` with no TTL and the LRU cache has no default `ttl`: an entry leaves only when the cache is full, so a hot key serves a stale value indefinitely. Pass `{ ttl }` (milliseconds) or set `ttl` on the cache.',
    } satisfies Record<MessageId, string>,
  },
  create(context: RuleContext) {
    if (!context.external.mayBindModule(context, CACHE_MODULE_NAMES)) return { kinds: {} };
    const writes: PendingWrite[] = [];
    const expiries: KeyEvent[] = [];
    const ttlWrites: KeyEvent[] = [];
    const fileUsesExpiry = { value: false };
    return {
      kinds: {
        [ts.SyntaxKind.CallExpression]: (node: ts.Node) => recordCall(context, node as ts.CallExpression, { writes, expiries, ttlWrites, fileUsesExpiry }),
      },
      onEnd: () => {
        for (const write of writes) judge(context, write, expiries, ttlWrites, fileUsesExpiry.value);
      },
    };
  },
};

interface Records {
  writes: PendingWrite[];
  expiries: KeyEvent[];
  ttlWrites: KeyEvent[];
  fileUsesExpiry: { value: boolean };
}

// ---------------------------------------------------------------------------------------------------------------
// Recording what the file does with its caches (one pass, judged at the end)

/** Every method `recordCall` records, lower-cased, and the range of their lengths (most calls are rejected by length). */
const RECORDED_METHODS: ReadonlySet<string> = new Set(['set', ...EXPIRE_COMMANDS, ...EXPIRING_WRITES, ...STRING_WRITES_WITHOUT_TTL, ...STRUCTURE_WRITES]);
const RECORDED_LENGTHS = [...RECORDED_METHODS].map((method) => method.length);
const SHORTEST_RECORDED = Math.min(...RECORDED_LENGTHS);
const LONGEST_RECORDED = Math.max(...RECORDED_LENGTHS);

/** Records a cache command; false when the call's name says it is none (incremental analysis then never replays it here). */
function recordCall(context: RuleContext, call: ts.CallExpression, records: Records): boolean {
  const callee = call.expression;
  if (callee.kind !== ts.SyntaxKind.PropertyAccessExpression) return false;
  const name = (callee as ts.PropertyAccessExpression).name.text;
  if (name.length < SHORTEST_RECORDED || name.length > LONGEST_RECORDED) return false;
  const method = name.toLowerCase();
  if (!RECORDED_METHODS.has(method)) return false;
  recordCacheCall(context, call, callee as ts.PropertyAccessExpression, method, records);
  return true;
}

function recordCacheCall(context: RuleContext, call: ts.CallExpression, callee: ts.PropertyAccessExpression, method: string, records: Records): void {
  const first = call.arguments[0];
  const event = (): KeyEvent => ({ key: keyText(first), at: callee.name.getStart(context.sourceFile), scope: scopeOf(call) });
  if (EXPIRE_COMMANDS.has(method) && first) {
    records.expiries.push(event());
    records.fileUsesExpiry.value = true;
    return;
  }
  if (EXPIRING_WRITES.has(method) && first) {
    records.ttlWrites.push(event());
    records.fileUsesExpiry.value = true;
    return;
  }
  const isSet = method === 'set';
  if (!isSet && !STRING_WRITES_WITHOUT_TTL.has(method) && !STRUCTURE_WRITES.has(method)) return;
  const client = cacheClientOf(context, callee.expression);
  if (!client || !first) return;
  if (!isSet && !REDIS_STYLES.has(client.style)) return;
  const verdict: TtlVerdict = isSet ? setVerdict(context, call, client) : { state: 'missing', lock: false };
  if (verdict.state === 'unknown') return;
  if (verdict.state === 'present') {
    records.ttlWrites.push(event());
    records.fileUsesExpiry.value = true;
    return;
  }
  const keys = method === 'mset' || method === 'msetnx' ? msetKeys(call) : [writtenKey(first)];
  records.writes.push({ call, method, client, keys, scope: scopeOf(call), verdict });
}

function scopeOf(node: ts.Node): ts.Node {
  return enclosingFunction(node) ?? node.getSourceFile();
}

/** The key as written, without spaces: `` `session:${id}` ``, `key`, `this.prefix + id`. */
function keyText(expression: ts.Expression | undefined): string {
  return expression ? expression.getText().replace(/\s+/g, '') : '';
}

/**
 * The cache client a receiver is: a client created from a cache module (`new Redis()`, `createClient()`,
 * `new LRUCache({...})`, class fields holding one), a `multi()`/`pipeline()` chain on one, or a `const` holding such
 * a chain. Clients whose creation the file does not show are not judged.
 */
function cacheClientOf(context: RuleContext, receiver: ts.Expression): CacheClient | undefined {
  const value = skipOuter(receiver);
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression)) {
    const method = value.expression.name.text;
    const inner = cacheClientOf(context, value.expression.expression);
    if (!inner || !REDIS_STYLES.has(inner.style)) return undefined;
    // `redis.multi().set(a, 1).hset(b, …)`: every command queued on the chain is judged.
    if (CHAIN_STARTERS.has(method.toLowerCase()) || inner.inChain) return { ...inner, inChain: true };
    return undefined;
  }
  const name = ts.isIdentifier(value) ? value.text
    : ts.isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword ? `this.${value.name.text}` : undefined;
  if (!name) return undefined;
  const binding = context.bindings.get(name);
  if (binding) return clientFromBinding(context, binding);
  if (!ts.isIdentifier(value)) return undefined;
  // `const pipe = redis.pipeline();` then `pipe.hset(...)`.
  const declaration = findConstDeclaration(value);
  const init = declaration?.initializer && skipOuter(declaration.initializer);
  if (!init || !ts.isCallExpression(init) || !ts.isPropertyAccessExpression(init.expression)) return undefined;
  if (!CHAIN_STARTERS.has(init.expression.name.text.toLowerCase())) return undefined;
  const source = cacheClientOf(context, init.expression.expression);
  return source && REDIS_STYLES.has(source.style) ? { ...source, inChain: false } : undefined;
}

function clientFromBinding(context: RuleContext, binding: Binding): CacheClient | undefined {
  if (!binding.isInstance) return undefined;
  const style = Object.prototype.hasOwnProperty.call(CACHE_MODULES, binding.module) ? CACHE_MODULES[binding.module] : undefined;
  if (!style) return undefined;
  const major = binding.module === 'redis' ? dependencyMajor(context.project, 'redis') : undefined;
  return { style, binding, positional: style === 'ioredis' || (major !== undefined && major < 4), inChain: false };
}

// ---------------------------------------------------------------------------------------------------------------
// `set` and its expiry, in each client's syntax

function setVerdict(context: RuleContext, call: ts.CallExpression, client: CacheClient): TtlVerdict {
  if (call.arguments.length < 2 || call.arguments.some((argument) => ts.isSpreadElement(argument))) return { state: 'unknown' };
  switch (client.style) {
    case 'node-redis':
      return client.positional ? positionalVerdict(context, call) : optionsVerdict(context, call, 'node-redis');
    case 'ioredis':
      return positionalVerdict(context, call);
    case 'upstash':
      return optionsVerdict(context, call, 'upstash');
    case 'node-cache':
      return nodeCacheVerdict(context, call, client.binding);
    case 'lru-cache':
      return lruCacheVerdict(context, call, client.binding);
    default:
      return { state: 'unknown' };
  }
}

/** ioredis and node-redis v3: `set(k, v, 'EX', 60)`, `set(k, v, 'PX', ms, 'NX')`, `set(k, v, 'KEEPTTL')`. */
function positionalVerdict(context: RuleContext, call: ts.CallExpression): TtlVerdict {
  const extra = call.arguments.slice(2);
  let lock = false;
  for (const argument of extra) {
    const value = skipOuter(argument);
    if (ts.isStringLiteralLike(value)) {
      const token = value.text.toLowerCase();
      if (SET_TTL_TOKENS.has(token)) return { state: 'present' };
      if (token === 'nx') lock = true;
      continue;
    }
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) continue;
    // A mode or TTL held in a variable (`set(k, v, mode, ttl)`): the rule cannot see it.
    return { state: 'unknown' };
  }
  const quote = preferredQuote(context.text);
  const at = call.arguments[1].getEnd();
  return { state: 'missing', lock, edit: { start: at, end: at, newText: `, ${quote}EX${quote}, ${context.settings.cacheTtlSeconds}` } };
}

/** node-redis v4 `set(k, v, { EX: 60 })` and Upstash `set(k, v, { ex: 60 })`. */
function optionsVerdict(context: RuleContext, call: ts.CallExpression, style: 'node-redis' | 'upstash'): TtlVerdict {
  const extra = call.arguments.slice(2);
  const ttlProperty = style === 'node-redis' ? `EX: ${context.settings.cacheTtlSeconds}` : `ex: ${context.settings.cacheTtlSeconds}`;
  if (extra.length === 0) {
    const at = call.arguments[1].getEnd();
    return { state: 'missing', lock: false, edit: { start: at, end: at, newText: `, { ${ttlProperty} }` } };
  }
  const first = skipOuter(extra[0]);
  if (ts.isStringLiteralLike(first)) return positionalVerdict(context, call).state === 'present' ? { state: 'present' } : { state: 'unknown' };
  const literal = ts.isObjectLiteralExpression(first) ? first : ts.isIdentifier(first) ? constObjectLiteral(first) : undefined;
  if (!literal) return { state: 'unknown' };
  if (SET_TTL_OPTIONS[style].some((name) => findProperty(literal, name))) return { state: 'present' };
  if (hasSpread(literal)) return { state: 'unknown' };
  const lock = isTrueProperty(literal, style === 'node-redis' ? 'NX' : 'nx');
  const editable = literal === first;
  return { state: 'missing', lock, edit: editable ? addPropertyToObjectLiteral(context, literal, ttlProperty) : undefined };
}

function isTrueProperty(literal: ts.ObjectLiteralExpression, name: string): boolean {
  const property = findProperty(literal, name);
  const value = property && propertyValue(property);
  return value !== undefined && skipOuter(value).kind === ts.SyntaxKind.TrueKeyword;
}

/** node-cache: `set(k, v, ttlSeconds)`, or `new NodeCache({ stdTTL })` for every entry. */
function nodeCacheVerdict(context: RuleContext, call: ts.CallExpression, binding: Binding): TtlVerdict {
  if (call.arguments.length > 2) return isZero(call.arguments[2]) ? { state: 'unknown' } : { state: 'present' };
  const defaults = instanceDefault(binding, DEFAULT_TTL_OPTIONS['node-cache']);
  if (defaults !== 'none') return { state: defaults === 'set' ? 'present' : 'unknown' };
  const at = call.arguments[1].getEnd();
  return { state: 'missing', lock: false, edit: { start: at, end: at, newText: `, ${context.settings.cacheTtlSeconds}` } };
}

/** lru-cache: `set(k, v, { ttl })` (v7+) or `set(k, v, maxAge)` (v6), or `new LRUCache({ ttl })` for every entry. */
function lruCacheVerdict(context: RuleContext, call: ts.CallExpression, binding: Binding): TtlVerdict {
  const milliseconds = `${context.settings.cacheTtlSeconds}_000`;
  const third = call.arguments[2] && skipOuter(call.arguments[2]);
  let edit: TextEdit | undefined;
  if (third) {
    if (!ts.isObjectLiteralExpression(third)) return { state: 'unknown' };
    if (findProperty(third, 'ttl') || hasSpread(third)) return { state: 'unknown' };
    edit = addPropertyToObjectLiteral(context, third, `ttl: ${milliseconds}`);
  }
  const defaults = instanceDefault(binding, DEFAULT_TTL_OPTIONS['lru-cache']);
  if (defaults !== 'none') return { state: defaults === 'set' ? 'present' : 'unknown' };
  if (!edit) {
    const at = call.arguments[1].getEnd();
    const major = dependencyMajor(context.project, 'lru-cache');
    edit = { start: at, end: at, newText: major !== undefined && major < 7 ? `, ${milliseconds}` : `, { ttl: ${milliseconds} }` };
  }
  return { state: 'missing', lock: false, edit };
}

/** Whether the options a cache instance was created with give a default expiry ('unknown' when not visible). */
function instanceDefault(binding: Binding, names: readonly string[]): 'set' | 'none' | 'unknown' {
  const creation = binding.creation;
  if (!creation) return 'unknown';
  const argument = creation.arguments?.[0];
  if (!argument) return 'none';
  const value = skipOuter(argument);
  const literal = ts.isObjectLiteralExpression(value) ? value : ts.isIdentifier(value) ? constObjectLiteral(value) : undefined;
  if (!literal) return ts.isNumericLiteral(value) ? 'none' : 'unknown';
  for (const name of names) {
    const property = findProperty(literal, name);
    if (!property) continue;
    const propertyValueNode = propertyValue(property);
    if (propertyValueNode && isZero(propertyValueNode)) continue;
    return 'set';
  }
  return hasSpread(literal) ? 'unknown' : 'none';
}

function isZero(expression: ts.Expression): boolean {
  const value = skipOuter(expression);
  return ts.isNumericLiteral(value) && Number(value.text.replace(/_/g, '')) === 0;
}

function writtenKey(expression: ts.Expression): WrittenKey {
  return { text: keyText(expression), fixed: isFixedKey(expression), expression };
}

/** `mset(k1, v1, k2, v2)` keys, or the property names of `mset({ a: 1, [key]: 2 })`. */
function msetKeys(call: ts.CallExpression): WrittenKey[] {
  const only = call.arguments.length === 1 ? skipOuter(call.arguments[0]) : undefined;
  if (!only) return call.arguments.filter((_, index) => index % 2 === 0).map(writtenKey);
  if (!ts.isObjectLiteralExpression(only)) return [{ text: keyText(only), fixed: false }];
  return only.properties.map((property) => {
    const name = property.name && propertyName(property.name);
    if (name !== undefined) return { text: name, fixed: true };
    if (property.name && ts.isComputedPropertyName(property.name)) return writtenKey(property.name.expression);
    return { text: keyText(only), fixed: false };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Judging at the end of the file

function judge(context: RuleContext, write: PendingWrite, expiries: readonly KeyEvent[], ttlWrites: readonly KeyEvent[], fileUsesExpiry: boolean): void {
  const { call, method, client } = write;
  const callee = call.expression as ts.PropertyAccessExpression;
  const key = write.keys[0]?.text ?? '';
  const after = callee.name.getStart(context.sourceFile);
  const sameKey = (event: KeyEvent): boolean => event.scope === write.scope && event.key === key;
  if (write.keys.length === 1 && expiries.some((event) => sameKey(event) && event.at > after)) return;
  // `if (ttl) set(k, v, 'EX', ttl) else set(k, v)`: the other branch shows the missing expiry is a choice.
  if (write.keys.length === 1 && ttlWrites.some(sameKey)) return;
  const lock = write.verdict.lock;
  if (!lock && write.keys.every((written) => written.fixed)) return;
  if (STRUCTURE_WRITES.has(method) && !fileUsesExpiry) return;
  const messageId: MessageId = lock ? 'lockWithoutTtl'
    : client.style === 'node-cache' ? 'nodeCache'
      : client.style === 'lru-cache' ? 'lruCache'
        : method === 'set' ? 'setWithoutTtl' : 'commandWithoutExpire';
  const fix = method === 'set' ? setFix(context, write) : expireFix(context, write);
  context.report({
    start: callee.name.getStart(context.sourceFile),
    end: call.getEnd(),
    messageId,
    data: { callee: `${calleeHead(context, callee)}.${callee.name.text}`, key: shortened(key), syntax: ttlSyntax(client) },
    fixes: fix ? [fix] : [],
  });
}

/** `'config'`, `CACHE_KEY`, `Keys.HOMEPAGE`, a `const` string: one key, a store rather than a per-entity cache. */
function isFixedKey(expression: ts.Expression): boolean {
  const value = skipOuter(expression);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return true;
  if (ts.isIdentifier(value)) {
    if (ALL_CAPS.test(value.text)) return true;
    const init = findConstDeclaration(value)?.initializer;
    return init !== undefined && (ts.isStringLiteral(skipOuter(init)) || ts.isNoSubstitutionTemplateLiteral(skipOuter(init)));
  }
  return ts.isPropertyAccessExpression(value) && ALL_CAPS.test(value.name.text);
}

function calleeHead(context: RuleContext, callee: ts.PropertyAccessExpression): string {
  const head = callee.expression.getText(context.sourceFile).replace(/\s+/g, '');
  return head.length > 30 ? `${head.slice(0, 27)}...` : head;
}

function shortened(text: string): string {
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}

function ttlSyntax(client: CacheClient): string {
  if (client.style === 'upstash') return '`{ ex: seconds }`';
  if (client.style === 'ioredis' || client.positional) return "`'EX', seconds`";
  return '`{ EX: seconds }`';
}

function setFix(context: RuleContext, write: PendingWrite): Fix | undefined {
  const edit = write.verdict.edit;
  if (!edit) return undefined;
  const seconds = context.settings.cacheTtlSeconds;
  const title = write.client.style === 'lru-cache' ? `Add a ${seconds} s TTL (${seconds}_000 ms)` : `Add a ${seconds} s expiry`;
  return { title, edits: [edit] };
}

/**
 * `hset`/`sadd`/`setnx`… cannot take a TTL: queue `.expire(key, ttl)` right after the command in a `multi()` chain,
 * or add `await client.expire(key, ttl);` after an awaited statement. The key must be safe to evaluate twice.
 */
function expireFix(context: RuleContext, write: PendingWrite): Fix | undefined {
  const { call } = write;
  const expression = write.keys.length === 1 ? write.keys[0].expression : undefined;
  if (!expression || !isRepeatableKey(expression)) return undefined;
  const key = expression.getText(context.sourceFile);
  const seconds = context.settings.cacheTtlSeconds;
  const title = `Expire \`${shortened(key)}\` after ${seconds} s`;
  const callee = call.expression as ts.PropertyAccessExpression;
  if (write.client.inChain && ts.isPropertyAccessExpression(call.parent) && call.parent.expression === call) {
    const at = call.getEnd();
    return { title, edits: [{ start: at, end: at, newText: `.expire(${key}, ${seconds})` }] };
  }
  const awaited = call.parent;
  const statement = awaited?.parent;
  if (!ts.isAwaitExpression(awaited) || !statement || !ts.isExpressionStatement(statement)) return undefined;
  if (write.client.inChain) return undefined;
  const nl = newlineOf(context.text);
  const indent = indentationAt(context.text, statement.getStart(context.sourceFile));
  const semicolon = statement.getText(context.sourceFile).trimEnd().endsWith(';') ? ';' : '';
  const receiver = callee.expression.getText(context.sourceFile);
  const at = statement.getEnd();
  return { title, edits: [{ start: at, end: at, newText: `${nl}${indent}await ${receiver}.expire(${key}, ${seconds})${semicolon}` }] };
}

/** Identifiers, property reads, literals and templates of those: evaluating them again reads the same key. */
function isRepeatableKey(expression: ts.Expression): boolean {
  let repeatable = true;
  walk(expression, (node) => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)
      || (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment)
      || ts.isAwaitExpression(node)) {
      repeatable = false;
    }
  });
  return repeatable;
}
