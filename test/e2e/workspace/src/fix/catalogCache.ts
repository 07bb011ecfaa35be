import { createClient } from 'redis';

const cache = createClient({ url: process.env.REDIS_URL });

export async function cacheProduct(id: string, product: object) {
  await cache.set(`product:${id}`, JSON.stringify(product));
}
