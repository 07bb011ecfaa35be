import { cacheWithoutTtl } from '../../server/src/rules/cache-without-ttl';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(cacheWithoutTtl, {
  valid: [
    {
      name: 'ioredis set with EX and a TTL held in a variable',
      code: `import Redis from 'ioredis';
const redis = new Redis(process.env.REDIS_URL!);
export async function cacheUser(user: { id: string }, ttlSeconds: number) {
  await redis.set(\`user:\${user.id}\`, JSON.stringify(user), 'EX', ttlSeconds);
}`,
    },
    {
      name: 'node-redis v4 set with EX, and with KEEPTTL',
      code: `import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL });
export async function remember(id: string, value: string) {
  await client.set(\`profile:\${id}\`, value, { EX: 300 });
  await client.set(\`profile:\${id}:etag\`, value, { KEEPTTL: true });
}`,
    },
    {
      name: 'setex always expires',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export const saveOtp = (phone: string, code: string) => redis.setex(\`otp:\${phone}\`, 300, code);`,
    },
    {
      name: 'set followed by expire on the same key in the same function',
      code: `const Redis = require('ioredis');
const client = new Redis();
async function set(cache, key, value) {
  const fullKey = \`\${cache}:\${key}\`;
  await client.set(fullKey, JSON.stringify(value));
  await client.expire(fullKey, 3600);
}
module.exports = { set };`,
      fileName: 'cache.js',
    },
    {
      name: 'expire queued in the same multi() chain',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function storeSession(id: string, data: object) {
  await redis.multi().hset(\`session:\${id}\`, data).expire(\`session:\${id}\`, 1800).exec();
}`,
    },
    {
      name: 'pipeline held in a const, expire on the same key',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function track(userId: string, page: string) {
  const key = \`views:\${userId}\`;
  const pipe = redis.pipeline();
  pipe.zadd(key, Date.now(), page);
  pipe.expire(key, 86_400);
  await pipe.exec();
}`,
    },
    {
      name: 'a Map is not a cache client',
      code: `const memo = new Map<string, string>();
export function remember(key: string, value: string) { memo.set(key, value); }`,
    },
    {
      name: 'a client whose creation the file does not show (injected)',
      code: `import Redis from 'ioredis';
export class SessionStore {
  constructor(private readonly redis: Redis) {}
  async save(id: string, data: string) {
    await this.redis.set(\`session:\${id}\`, data);
  }
}`,
    },
    {
      name: 'a single fixed key is a store (feature flags), not a per-entity cache',
      code: `import { createClient } from 'redis';
const client = createClient();
const FLAGS_KEY = 'feature-flags';
export async function publishFlags(flags: Record<string, boolean>) {
  await client.set('feature-flags', JSON.stringify(flags));
  await client.set(FLAGS_KEY, JSON.stringify(flags));
}`,
    },
    {
      name: 'node-cache with a default stdTTL',
      code: `import NodeCache from 'node-cache';
const cache = new NodeCache({ stdTTL: 120, checkperiod: 60 });
export function put(id: string, value: unknown) { cache.set(id, value); }`,
    },
    {
      name: 'lru-cache with a default ttl, and a per-entry ttl',
      code: `import { LRUCache } from 'lru-cache';
const users = new LRUCache<string, object>({ max: 500, ttl: 60_000 });
const pages = new LRUCache<string, string>({ max: 100 });
export function put(id: string, user: object, html: string) {
  users.set(id, user);
  pages.set(id, html, { ttl: 5_000 });
}`,
    },
    {
      name: 'ioredis set whose mode comes from a variable (cannot tell)',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export const put = (key: string, value: string, mode: 'EX' | 'PX', ttl: number) => redis.set(key, value, mode, ttl);`,
    },
    {
      name: 'Redis used as a datastore: structure writes in a file that never sets an expiry',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function recordScore(gameId: string, player: string, score: number) {
  await redis.zadd(\`leaderboard:\${gameId}\`, score, player);
}
export async function enqueue(queue: string, job: object) {
  await redis.lpush(\`jobs:\${queue}\`, JSON.stringify(job));
}`,
    },
    {
      name: 'an optional TTL: the branch without one is a choice',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function put(key: string, value: string, ttl?: number) {
  if (ttl) await redis.set(key, value, 'EX', ttl);
  else await redis.set(key, value);
}`,
    },
    {
      name: 'Upstash set with ex',
      code: `import { Redis } from '@upstash/redis';
const redis = Redis.fromEnv();
export const cacheLink = (slug: string, url: string) => redis.set(\`link:\${slug}\`, url, { ex: 86400 });`,
    },
    {
      name: 'node-redis v3 set whose last argument is a callback held in a variable (cannot tell it from a mode)',
      code: `const redis = require('redis');
const client = redis.createClient();
function cachePage(url, html, cb) {
  client.set('page:' + url, html, cb);
}
module.exports = { cachePage };`,
      fileName: 'pages.js',
      project: { dependencies: { redis: '^3.1.2' } },
    },
    {
      name: 'node-redis v3 (from package.json) takes EX positionally',
      code: `const redis = require('redis');
const client = redis.createClient();
function cache(key, value, cb) {
  client.set(\`page:\${key}\`, value, 'EX', 60, cb);
}
module.exports = { cache };`,
      fileName: 'cache.js',
      project: { dependencies: { redis: '^3.1.2' } },
    },
  ],
  invalid: [
    {
      name: 'node-redis v4 set with no options',
      code: `import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL });
export async function cacheProduct(id: string, product: object) {
  await client.set(\`product:\${id}\`, JSON.stringify(product));
}`,
      errors: [{ messageId: 'setWithoutTtl', line: 4, column: 16 }],
      output: `import { createClient } from 'redis';
const client = createClient({ url: process.env.REDIS_URL });
export async function cacheProduct(id: string, product: object) {
  await client.set(\`product:\${id}\`, JSON.stringify(product), { EX: 3600 });
}`,
    },
    {
      name: 'node-redis v4 lock with NX and no expiry: merged into the options, even for a fixed key',
      code: `import { createClient } from 'redis';
const client = createClient();
export async function acquireBillingLock(owner: string) {
  return client.set('locks:billing', owner, { NX: true });
}`,
      errors: [{ messageId: 'lockWithoutTtl', line: 4 }],
      output: `import { createClient } from 'redis';
const client = createClient();
export async function acquireBillingLock(owner: string) {
  return client.set('locks:billing', owner, { NX: true, EX: 3600 });
}`,
    },
    {
      name: 'ioredis set of a session, and an NX lock: EX inserted after the value',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function saveSession(sessionId: string, session: object) {
  await redis.set(\`session:\${sessionId}\`, JSON.stringify(session));
}
export async function lock(resource: string, token: string) {
  return redis.set(\`lock:\${resource}\`, token, 'NX');
}`,
      errors: [{ messageId: 'setWithoutTtl', line: 4 }, { messageId: 'lockWithoutTtl', line: 7 }],
      output: `import Redis from 'ioredis';
const redis = new Redis();
export async function saveSession(sessionId: string, session: object) {
  await redis.set(\`session:\${sessionId}\`, JSON.stringify(session), 'EX', 3600);
}
export async function lock(resource: string, token: string) {
  return redis.set(\`lock:\${resource}\`, token, 'EX', 3600, 'NX');
}`,
    },
    {
      name: 'Upstash set without ex, TTL from settings',
      code: `import { Redis } from '@upstash/redis';
const redis = new Redis({ url: process.env.UPSTASH_URL!, token: process.env.UPSTASH_TOKEN! });
export async function cacheClicks(linkId: string, clicks: number) {
  await redis.set(\`clicks:\${linkId}\`, clicks);
}`,
      settings: { cacheTtlSeconds: 600 },
      errors: [{ messageId: 'setWithoutTtl', line: 4 }],
      output: `import { Redis } from '@upstash/redis';
const redis = new Redis({ url: process.env.UPSTASH_URL!, token: process.env.UPSTASH_TOKEN! });
export async function cacheClicks(linkId: string, clicks: number) {
  await redis.set(\`clicks:\${linkId}\`, clicks, { ex: 600 });
}`,
    },
    {
      name: 'node-cache with no stdTTL',
      code: `const NodeCache = require('node-cache');
const cache = new NodeCache();
function remember(userId, profile) {
  cache.set(userId, profile);
}
module.exports = { remember };`,
      fileName: 'profiles.js',
      errors: [{ messageId: 'nodeCache', line: 4 }],
      output: `const NodeCache = require('node-cache');
const cache = new NodeCache();
function remember(userId, profile) {
  cache.set(userId, profile, 3600);
}
module.exports = { remember };`,
    },
    {
      name: 'lru-cache bounded by size only, held on a class field',
      code: `import { LRUCache } from 'lru-cache';
export class PriceService {
  private cache = new LRUCache<string, number>({ max: 1000 });
  remember(sku: string, price: number) {
    this.cache.set(sku, price);
  }
  rememberQuietly(sku: string, price: number) {
    this.cache.set(sku, price, { noDisposeOnSet: true });
  }
}`,
      errors: [{ messageId: 'lruCache', line: 5 }, { messageId: 'lruCache', line: 8 }],
      output: `import { LRUCache } from 'lru-cache';
export class PriceService {
  private cache = new LRUCache<string, number>({ max: 1000 });
  remember(sku: string, price: number) {
    this.cache.set(sku, price, { ttl: 3600_000 });
  }
  rememberQuietly(sku: string, price: number) {
    this.cache.set(sku, price, { noDisposeOnSet: true, ttl: 3600_000 });
  }
}`,
    },
    {
      name: 'hSet in a file that expires other keys: expire added after the awaited statement',
      code: `import { createClient } from 'redis';
const client = createClient();
export async function cacheCart(cartId: string, items: Record<string, string>) {
  const key = \`cart:\${cartId}\`;
  await client.hSet(key, items);
}
export async function cacheToken(userId: string, token: string) {
  await client.set(\`token:\${userId}\`, token, { EX: 900 });
}`,
      errors: [{ messageId: 'commandWithoutExpire', line: 5 }],
      output: `import { createClient } from 'redis';
const client = createClient();
export async function cacheCart(cartId: string, items: Record<string, string>) {
  const key = \`cart:\${cartId}\`;
  await client.hSet(key, items);
  await client.expire(key, 3600);
}
export async function cacheToken(userId: string, token: string) {
  await client.set(\`token:\${userId}\`, token, { EX: 900 });
}`,
    },
    {
      name: 'hset queued in a multi() chain: expire queued right after it',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function cacheOrder(orderId: string, order: Record<string, string>) {
  await redis.multi().hset(\`order:\${orderId}\`, order).sadd('orders:recent', orderId).exec();
}
export const touch = (key: string) => redis.expire(key, 60);`,
      errors: [{ messageId: 'commandWithoutExpire', line: 4 }],
      output: `import Redis from 'ioredis';
const redis = new Redis();
export async function cacheOrder(orderId: string, order: Record<string, string>) {
  await redis.multi().hset(\`order:\${orderId}\`, order).expire(\`order:\${orderId}\`, 3600).sadd('orders:recent', orderId).exec();
}
export const touch = (key: string) => redis.expire(key, 60);`,
    },
    {
      name: 'expire on another key, or before the write (SET clears a TTL), does not count',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function cacheFeed(userId: string, feed: string) {
  await redis.expire(\`feed:\${userId}\`, 60);
  await redis.set(\`feed:\${userId}\`, feed);
  await redis.expire(\`feed:\${userId}:meta\`, 60);
}`,
      errors: [{ messageId: 'setWithoutTtl', line: 5 }],
      output: `import Redis from 'ioredis';
const redis = new Redis();
export async function cacheFeed(userId: string, feed: string) {
  await redis.expire(\`feed:\${userId}\`, 60);
  await redis.set(\`feed:\${userId}\`, feed, 'EX', 3600);
  await redis.expire(\`feed:\${userId}:meta\`, 60);
}`,
    },
    {
      name: 'mset with per-entity keys: no fix (several keys)',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function cachePair(a: { id: string }, b: { id: string }) {
  await redis.mset(\`user:\${a.id}\`, JSON.stringify(a), \`user:\${b.id}\`, JSON.stringify(b));
}`,
      errors: [{ messageId: 'commandWithoutExpire', line: 4 }],
      output: null,
    },
    {
      name: 'node-redis v3 project: positional EX before the callback',
      code: `const redis = require('redis');
const client = redis.createClient();
function cachePage(url, html) {
  client.set('page:' + url, html, (err) => {
    if (err) console.warn('page cache write failed', err);
  });
}
module.exports = { cachePage };`,
      fileName: 'pages.js',
      project: { dependencies: { redis: '~3.1.0' } },
      errors: [{ messageId: 'setWithoutTtl', line: 4 }],
      output: `const redis = require('redis');
const client = redis.createClient();
function cachePage(url, html) {
  client.set('page:' + url, html, 'EX', 3600, (err) => {
    if (err) console.warn('page cache write failed', err);
  });
}
module.exports = { cachePage };`,
    },
    {
      name: 'a generic cache wrapper that never sets a TTL',
      code: `import Redis from 'ioredis';
export class Cache {
  private redis = new Redis(process.env.REDIS_URL!);
  async put(key: string, value: unknown) {
    await this.redis.set(key, JSON.stringify(value));
  }
}`,
      errors: [{ messageId: 'setWithoutTtl', line: 5, column: 22 }],
      output: `import Redis from 'ioredis';
export class Cache {
  private redis = new Redis(process.env.REDIS_URL!);
  async put(key: string, value: unknown) {
    await this.redis.set(key, JSON.stringify(value), 'EX', 3600);
  }
}`,
    },
  ],
});
