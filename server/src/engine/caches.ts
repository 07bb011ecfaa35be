/**
 * What Failpath knows about cache clients, as data: how each one takes an expiry. Redis clients are external
 * (see knowledge.ts); lru-cache and node-cache stay in the process, so they live only here and are recognised
 * from bindings (`binding.module`), never as external calls.
 */
export type CacheStyle = 'node-redis' | 'ioredis' | 'upstash' | 'node-cache' | 'lru-cache';

export const CACHE_MODULES: Readonly<Record<string, CacheStyle>> = {
  redis: 'node-redis',
  '@redis/client': 'node-redis',
  ioredis: 'ioredis',
  '@upstash/redis': 'upstash',
  'node-cache': 'node-cache',
  'lru-cache': 'lru-cache',
};

/** Styles whose keys live in a Redis server (and take `expire`). */
export const REDIS_STYLES: ReadonlySet<CacheStyle> = new Set<CacheStyle>(['node-redis', 'ioredis', 'upstash']);

/** Redis commands that set a key's expiry (lower-cased: node-redis v4 writes `pExpire`, `expireAt`). */
export const EXPIRE_COMMANDS: ReadonlySet<string> = new Set(['expire', 'pexpire', 'expireat', 'pexpireat']);

/** Redis writes that always carry an expiry. */
export const EXPIRING_WRITES: ReadonlySet<string> = new Set(['setex', 'psetex', 'getex']);

/** String writes that cannot take an expiry: a TTL needs an `expire` on the same key. */
export const STRING_WRITES_WITHOUT_TTL: ReadonlySet<string> = new Set(['setnx', 'mset', 'msetnx']);

/**
 * Data-structure writes (hashes, sets, lists, sorted sets): they cannot take an expiry either, and are just as often
 * the system of record (queues, leaderboards, per-user records) as a cache.
 */
export const STRUCTURE_WRITES: ReadonlySet<string> = new Set(['hset', 'hmset', 'hsetnx', 'sadd', 'lpush', 'rpush', 'zadd']);

/** Chain starters: commands queued on `client.multi()` / `client.pipeline()` are judged like direct calls. */
export const CHAIN_STARTERS: ReadonlySet<string> = new Set(['multi', 'pipeline', 'batch']);

/** `set` option names that give the key an expiry or keep the one it has. */
export const SET_TTL_OPTIONS: Readonly<Record<'node-redis' | 'upstash', readonly string[]>> = {
  'node-redis': ['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL', 'expiration'],
  upstash: ['ex', 'px', 'exat', 'pxat', 'keepTtl'],
};

/** ioredis / node-redis v3 positional `set` tokens that give an expiry (case-insensitive). */
export const SET_TTL_TOKENS: ReadonlySet<string> = new Set(['ex', 'px', 'exat', 'pxat', 'keepttl']);

/** Instance options that give every entry a default expiry. */
export const DEFAULT_TTL_OPTIONS: Readonly<Record<'node-cache' | 'lru-cache', readonly string[]>> = {
  'node-cache': ['stdTTL'],
  'lru-cache': ['ttl', 'maxAge'],
};
