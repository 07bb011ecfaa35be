import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

export async function cacheQuote(orderId: string, quote: object): Promise<void> {
  await redis.set(`quote:${orderId}`, JSON.stringify(quote));
}

export async function cachedQuote(orderId: string): Promise<object | undefined> {
  try {
    const raw = await redis.get(`quote:${orderId}`);
    return raw ? JSON.parse(raw) : undefined;
  } catch (err) {
    return undefined;
  }
}
