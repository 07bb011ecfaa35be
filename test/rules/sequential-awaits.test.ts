import { sequentialAwaits } from '../../server/src/rules/sequential-awaits';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(sequentialAwaits, {
  valid: [
    {
      name: 'the second call uses the first result (property of it)',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function profile(id: string) {
  const user = await prisma.user.findUnique({ where: { id } });
  const team = await prisma.team.findUnique({ where: { id: user!.teamId } });
  return { user, team };
}`,
    },
    {
      name: 'the second call uses the first result through a closure',
      code: `import axios from 'axios';
export async function load(id: string) {
  const { data: order } = await axios.get('/orders/' + id, { timeout: 3000 });
  const items = await axios.get('/items', { timeout: 3000, transformResponse: (raw: string) => JSON.parse(raw).filter((i: { orderId: string }) => i.orderId === order.id) });
  return { order, items: items.data };
}`,
    },
    {
      name: 'same resource: set then expire of one key (and writes are never grouped)',
      code: `import { createClient } from 'redis';
const redis = createClient();
export async function remember(key: string, value: string) {
  await redis.set(key, value);
  await redis.expire(key, 60);
}`,
    },
    {
      name: 'same model: two reads of prisma.user stay in order',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function page(skip: number) {
  const users = await prisma.user.findMany({ skip, take: 20 });
  const total = await prisma.user.count();
  return { users, total };
}`,
    },
    {
      name: 'a write followed by a read: the read must see the write',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function rename(id: string, name: string) {
  await prisma.team.update({ where: { id }, data: { name } });
  const members = await prisma.member.findMany({ where: { teamId: id } });
  return members;
}`,
    },
    {
      name: 'a check that guards the next call by throwing (a write: charge) is not grouped',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
export async function pay(customerId: string, amount: number) {
  const customer = await stripe.customers.retrieve(customerId);
  const intent = await stripe.paymentIntents.create({ amount, currency: 'eur' }, { idempotencyKey: customerId + amount });
  return { customer, intent };
}`,
    },
    {
      name: 'queries on one pg connection run sequentially anyway',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function stats() {
  const client = await pool.connect();
  try {
    const users = await client.query('SELECT count(*) FROM users');
    const orders = await client.query('SELECT count(*) FROM orders');
    return { users: users.rows[0], orders: orders.rows[0] };
  } finally {
    client.release();
  }
}`,
    },
    {
      name: 'reads inside a transaction callback keep their order',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function snapshot() {
  return prisma.$transaction(async (tx) => {
    const accounts = await tx.account.findMany();
    const ledger = await tx.ledger.findMany();
    return { accounts, ledger };
  });
}`,
    },
    {
      name: 'a statement in between breaks the run',
      code: `import axios from 'axios';
export async function dashboard() {
  const weather = await axios.get('https://weather.example.com/today', { timeout: 2000 });
  console.log('weather loaded');
  const news = await axios.get('https://news.example.com/top', { timeout: 2000 });
  return { weather: weather.data, news: news.data };
}`,
    },
    {
      name: 'a POST is a write',
      code: `export async function sync() {
  const a = await fetch('https://a.example.com/sync', { method: 'POST' });
  const b = await fetch('https://b.example.com/sync', { method: 'POST' });
  return [a.status, b.status];
}`,
    },
    {
      name: 'same-file function that writes is not a read',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
async function getOrCreateCart(userId: string) {
  return prisma.cart.upsert({ where: { userId }, create: { userId }, update: {} });
}
export async function checkout(userId: string) {
  const cart = await getOrCreateCart(userId);
  const address = await prisma.address.findFirst({ where: { userId } });
  return { cart, address };
}`,
    },
    {
      name: 'SQL that is not a SELECT',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function touch(id: string) {
  const a = await pool.query('UPDATE sessions SET seen = now() WHERE id = $1', [id]);
  const b = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
  return [a, b];
}`,
    },
  ],
  invalid: [
    {
      name: 'two independent reads on different models, keeping names',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function home(userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  const posts = await prisma.post.findMany({ take: 10 });
  return { user, posts };
}`,
      errors: [{ messageId: 'independent', line: 4, column: 3 }],
      output: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function home(userId: string) {
  const [user, posts] = await Promise.all([
    prisma.user.findUnique({ where: { id: userId } }),
    prisma.post.findMany({ take: 10 }),
  ]);
  return { user, posts };
}`,
    },
    {
      name: 'destructuring patterns and a bare await; long lines go multi-line',
      code: `import axios from 'axios';
export async function overview(accountId: string) {
  const { data: invoices } = await axios.get(\`https://billing.internal/accounts/\${accountId}/invoices\`, { timeout: 3000 });
  await axios.head('https://status.internal/ping', { timeout: 1000 });
  const { data } = await axios.get(\`https://crm.internal/accounts/\${accountId}\`, {
    timeout: 3000,
  });
  return { invoices, data };
}`,
      errors: [{ messageId: 'independent', line: 3 }],
      output: `import axios from 'axios';
export async function overview(accountId: string) {
  const [{ data: invoices }, , { data }] = await Promise.all([
    axios.get(\`https://billing.internal/accounts/\${accountId}/invoices\`, { timeout: 3000 }),
    axios.head('https://status.internal/ping', { timeout: 1000 }),
    axios.get(\`https://crm.internal/accounts/\${accountId}\`, {
      timeout: 3000,
    }),
  ]);
  return { invoices, data };
}`,
    },
    {
      name: 'type annotations are kept as a tuple type',
      code: `import { createClient } from 'redis';
const redis = createClient();
export async function session(id: string) {
  const raw: string | null = await redis.get('session:' + id);
  const flags: Record<string, string> = await redis.hGetAll('flags:' + id);
  return { raw, flags };
}`,
      errors: [{ messageId: 'independent', line: 4 }],
      output: `import { createClient } from 'redis';
const redis = createClient();
export async function session(id: string) {
  const [raw, flags]: [string | null, Record<string, string>] = await Promise.all([
    redis.get('session:' + id),
    redis.hGetAll('flags:' + id),
  ]);
  return { raw, flags };
}`,
    },
    {
      name: 'let stays let; fetch GETs with .then chains; no semicolons',
      code: `export async function rates() {
  let eur = await fetch('https://rates.example.com/eur').then((r) => r.json())
  let usd = await fetch('https://rates.example.com/usd').then((r) => r.json())
  return { eur, usd }
}`,
      errors: [{ messageId: 'independent', line: 2 }],
      output: `export async function rates() {
  let [eur, usd] = await Promise.all([
    fetch('https://rates.example.com/eur').then((r) => r.json()),
    fetch('https://rates.example.com/usd').then((r) => r.json()),
  ])
  return { eur, usd }
}`,
    },
    {
      name: 'a dependent third call starts a new run; the first two are grouped',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function report(orgId: string) {
  const org = await prisma.org.findUnique({ where: { id: orgId } });
  const plans = await prisma.plan.findMany();
  const owner = await prisma.user.findUnique({ where: { id: org!.ownerId } });
  return { org, plans, owner };
}`,
      errors: [{ messageId: 'independent', line: 4 }],
      output: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function report(orgId: string) {
  const [org, plans] = await Promise.all([
    prisma.org.findUnique({ where: { id: orgId } }),
    prisma.plan.findMany(),
  ]);
  const owner = await prisma.user.findUnique({ where: { id: org!.ownerId } });
  return { org, plans, owner };
}`,
    },
    {
      name: 'same-file read-only functions and SELECTs on different tables',
      code: `import { Pool } from 'pg';
const pool = new Pool();
async function getUser(id: string) {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}
export async function page(id: string) {
  const user = await getUser(id);
  const orders = await pool.query('SELECT * FROM orders WHERE user_id = $1', [id]);
  return { user, orders: orders.rows };
}`,
      errors: [{ messageId: 'independent', line: 8 }],
      output: `import { Pool } from 'pg';
const pool = new Pool();
async function getUser(id: string) {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}
export async function page(id: string) {
  const [user, orders] = await Promise.all([
    getUser(id),
    pool.query('SELECT * FROM orders WHERE user_id = $1', [id]),
  ]);
  return { user, orders: orders.rows };
}`,
    },
    {
      name: 'mixed const and let: reported without a fix; a comment between blocks the fix too',
      code: `import axios from 'axios';
export async function a() {
  const x = await axios.get('/x', { timeout: 1000 });
  let y = await axios.get('/y', { timeout: 1000 });
  return [x, y];
}
export async function b() {
  const x = await axios.get('/x', { timeout: 1000 });
  // then y
  const y = await axios.get('/y', { timeout: 1000 });
  return [x, y];
}`,
      errors: [{ messageId: 'independent', line: 3 }, { messageId: 'independent', line: 8 }],
      output: null,
    },
  ],
});
