import { awaitInLoop } from '../../server/src/rules/await-in-loop';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(awaitInLoop, {
  valid: [
    {
      name: 'renewal charges are created one at a time on purpose (payment SDK, and a helper given an idempotency key)',
      code: `import Stripe from 'stripe';
import { chargeWorkspace } from '../lib/billing';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function chargeRenewals(invoices: { id: string; customerId: string; total: number; attempt: number }[]) {
  for (const invoice of invoices) {
    await stripe.paymentIntents.create(
      { customer: invoice.customerId, amount: invoice.total, currency: 'usd', confirm: true },
      { idempotencyKey: \`renewal-\${invoice.id}-\${invoice.attempt}\` },
    );
  }
  for (const invoice of invoices) {
    const res = await chargeWorkspace({ customerId: invoice.customerId, amount: invoice.total, idempotencyKey: \`\${invoice.id}-\${invoice.attempt}\` });
    console.log('charged', invoice.id, res.status);
  }
}`,
    },
    {
      name: 'pagination: the next request needs the cursor from the last one',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
export async function allCharges() {
  const charges: Stripe.Charge[] = [];
  let startingAfter: string | undefined;
  for (const _ of Array.from({ length: 100 })) {
    const page = await stripe.charges.list({ limit: 100, starting_after: startingAfter });
    charges.push(...page.data);
    startingAfter = page.data[page.data.length - 1]?.id;
  }
  return charges;
}`,
    },
    {
      name: 'while (cursor) polling is not a loop over a collection',
      code: `import axios from 'axios';
export async function waitForExport(id: string) {
  let status = 'pending';
  while (status === 'pending') {
    const { data } = await axios.get('/exports/' + id, { timeout: 5000 });
    status = data.status;
  }
  return status;
}`,
    },
    {
      name: 'first match: the loop returns on a result',
      code: `import axios from 'axios';
export async function firstHealthy(mirrors: string[]) {
  for (const mirror of mirrors) {
    const res = await axios.get(mirror + '/health', { timeout: 1000 });
    if (res.status === 200) return mirror;
  }
  return undefined;
}`,
    },
    {
      name: 'retry over delays: break on success',
      code: `import axios from 'axios';
export async function send(body: object) {
  for (const delay of [100, 400, 1600]) {
    try {
      await axios.post('/hooks', body, { timeout: 2000 });
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}`,
    },
    {
      name: 'for await over a stream',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function importRows(rows: AsyncIterable<{ id: string; name: string }>) {
  for await (const row of rows) {
    await prisma.customer.upsert({ where: { id: row.id }, create: row, update: row });
  }
}`,
    },
    {
      name: 'each iteration reads what the previous one wrote',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function chain(steps: { name: string }[]) {
  let previousId: string | null = null;
  for (const step of steps) {
    const created = await prisma.step.create({ data: { name: step.name, previousId } });
    previousId = created.id;
  }
}`,
    },
    {
      name: 'inside a transaction: order matters and one connection runs them anyway',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function transfer(lines: { id: string; amount: number }[]) {
  await prisma.$transaction(async (tx) => {
    for (const line of lines) {
      await tx.ledger.update({ where: { id: line.id }, data: { balance: { decrement: line.amount } } });
    }
  });
}`,
    },
    {
      name: 'one pg connection from pool.connect() runs queries one at a time',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function mark(ids: string[]) {
  const client = await pool.connect();
  try {
    for (const id of ids) {
      await client.query('UPDATE jobs SET done = true WHERE id = $1', [id]);
    }
  } finally {
    client.release();
  }
}`,
    },
    {
      name: 'Sequelize calls passing a transaction',
      code: `import { Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL!);
export async function archive(ids: string[], t: unknown) {
  for (const id of ids) {
    await sequelize.query('UPDATE docs SET archived = true WHERE id = ?', { replacements: [id], transaction: t });
  }
}`,
    },
    {
      name: 'deliberate batches: chunked writes bound the load',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function insertAll(chunks: { id: string }[][]) {
  for (const chunk of chunks) {
    await prisma.event.createMany({ data: chunk });
  }
}`,
    },
    {
      name: 'classic for stepping by a batch size',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function insertAll(rows: { id: string }[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await prisma.event.createMany({ data: rows.slice(i, i + 500) });
  }
}`,
    },
    {
      name: 'queue publishes keep their order',
      code: `import { Kafka } from 'kafkajs';
const producer = new Kafka({ brokers: ['kafka:9092'] }).producer();
export async function publish(events: { key: string; value: string }[]) {
  for (const event of events) {
    await producer.send({ topic: 'orders', messages: [event] });
  }
}`,
    },
    {
      name: 'the call does not use the item: the same call N times',
      code: `import { createClient } from 'redis';
const redis = createClient();
export async function countVisits(visits: string[]) {
  for (const visit of visits) {
    console.log(visit);
    await redis.incr('visits');
  }
}`,
    },
    {
      name: 'not an external call',
      code: `export async function pause(ms: number[]) {
  for (const delay of ms) {
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}`,
    },
    {
      name: 'async forEach is a different bug (floating-promise)',
      code: `import axios from 'axios';
export function notify(urls: string[]) {
  urls.forEach(async (url) => {
    await axios.post(url, {});
  });
}`,
    },
  ],
  invalid: [
    {
      name: 'N+1 lookups collected into an array: the exact push shape becomes Promise.all',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function owners(orders: { ownerId: string }[]) {
  const users = [];
  for (const order of orders) {
    users.push(await prisma.user.findUnique({ where: { id: order.ownerId } }));
  }
  return users;
}`,
      errors: [{ messageId: 'sequential', line: 6, column: 16 }],
      output: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function owners(orders: { ownerId: string }[]) {
  const users = await Promise.all(orders.map(async (order) => prisma.user.findUnique({ where: { id: order.ownerId } })));
  return users;
}`,
    },
    {
      name: 'independent HTTP calls over a typed array: body kept as a block',
      code: `import axios from 'axios';
import { logger } from './logger';
export async function notifyAll(webhooks: string[], event: object) {
  for (const url of webhooks) {
    const res = await axios.post(url, event, { timeout: 5000 });
    logger.info({ url, status: res.status }, 'webhook delivered');
  }
}`,
      errors: [{ messageId: 'sequential', line: 5 }],
      output: `import axios from 'axios';
import { logger } from './logger';
export async function notifyAll(webhooks: string[], event: object) {
  await Promise.all(webhooks.map(async (url) => {
    const res = await axios.post(url, event, { timeout: 5000 });
    logger.info({ url, status: res.status }, 'webhook delivered');
  }));
}`,
    },
    {
      name: 'collection of unknown type goes through Array.from',
      code: `import { createClient } from 'redis';
const redis = createClient();
export async function evict(keys: Set<string>) {
  for (const key of keys) {
    await redis.del(key);
  }
}`,
      errors: [{ messageId: 'sequential', line: 5 }],
      output: `import { createClient } from 'redis';
const redis = createClient();
export async function evict(keys: Set<string>) {
  await Promise.all(Array.from(keys).map(async (key) => {
    await redis.del(key);
  }));
}`,
    },
    {
      name: 'an accumulator (count++) does not make iterations dependent, but it blocks the fix',
      code: `import axios from 'axios';
export async function notifyAll(webhookUrls: string[]) {
  let notified = 0;
  for (const url of webhookUrls) {
    await axios.post(url, { event: 'export.ready' }, { timeout: 5000 });
    notified++;
  }
  return notified;
}`,
      errors: [{ messageId: 'sequential', line: 5 }],
      output: null,
    },
    {
      name: 'classic for over an array index, and for…in over keys (no fix for these shapes)',
      code: `import axios from 'axios';
export async function sync(ids: string[], flags: Record<string, boolean>) {
  for (let i = 0; i < ids.length; i++) {
    await axios.put('/items/' + ids[i], { synced: true }, { timeout: 3000 });
  }
  for (const name in flags) {
    await axios.put('/flags/' + name, { on: flags[name] }, { timeout: 3000 });
  }
}`,
      errors: [{ messageId: 'sequential', line: 4 }, { messageId: 'sequential', line: 7 }],
      output: null,
    },
    {
      name: 'a continue guard keeps the finding but blocks the fix; results pushed with other statements block it too',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function activate(users: { id: string; active: boolean }[]) {
  for (const user of users) {
    if (user.active) continue;
    await prisma.user.update({ where: { id: user.id }, data: { active: true } });
  }
  const names: string[] = [];
  for (const user of users) {
    const row = await prisma.profile.findUnique({ where: { userId: user.id } });
    names.push(row?.name ?? '');
  }
  return names;
}`,
      errors: [{ messageId: 'sequential', line: 6 }, { messageId: 'sequential', line: 10 }],
      output: null,
    },
    {
      name: 'typed results array, no semicolons in the file',
      code: `import axios from 'axios'
export async function prices(skus: readonly string[]) {
  let out: number[] = []
  for (const sku of skus) out.push(await axios.get('/prices/' + sku, { timeout: 2000 }).then((r) => r.data.price))
  return out
}`,
      errors: [{ messageId: 'sequential', line: 4 }],
      output: `import axios from 'axios'
export async function prices(skus: readonly string[]) {
  let out: number[] = await Promise.all(skus.map(async (sku) => axios.get('/prices/' + sku, { timeout: 2000 }).then((r) => r.data.price)))
  return out
}`,
    },
  ],
});
