import { floatingPromise } from '../../server/src/rules/floating-promise';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(floatingPromise, {
  valid: [
    {
      name: 'awaited external call',
      code: `import axios from 'axios';
export async function track(event: string) {
  await axios.post('https://analytics.internal/events', { event }, { timeout: 2000 });
}`,
    },
    {
      name: 'assigned to a variable and awaited later',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function report(id: string) {
  const pending = pool.query('SELECT * FROM reports WHERE id = $1', [id]);
  const summary = buildSummary(id);
  return { rows: (await pending).rows, summary };
}`,
    },
    {
      name: 'pushed into an array (passed as an argument: consumed)',
      code: `import axios from 'axios';
export async function notifyAll(urls: string[]) {
  const promises: Promise<unknown>[] = [];
  for (const url of urls) promises.push(axios.post(url, { ping: true }));
  await Promise.allSettled(promises);
}`,
    },
    {
      name: 'returned from an arrow and from a function',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
export const customer = (id: string) => stripe.customers.retrieve(id);
export function invoices(id: string) {
  return stripe.invoices.list({ customer: id });
}`,
    },
    {
      name: 'marked with void',
      code: `import { createClient } from 'redis';
const redis = createClient();
export function touch(key: string) {
  void redis.expire(key, 60);
}`,
    },
    {
      name: 'chained with .catch, and with a two-argument .then',
      code: `import axios from 'axios';
import { logger } from './logger';
export function warmUp() {
  axios.get('https://cache.internal/warm').catch((err) => logger.warn({ err }, 'warm-up failed'));
  axios.get('https://cache.internal/prime').then(() => logger.info('primed'), (err) => logger.warn({ err }, 'prime failed'));
}`,
    },
    {
      name: 'passed to Promise.all which is awaited',
      code: `import axios from 'axios';
export async function load(id: string) {
  const [user, orders] = await Promise.all([axios.get('/users/' + id), axios.get('/orders?user=' + id)]);
  return { user: user.data, orders: orders.data };
}`,
    },
    {
      name: 'Promise.allSettled dropped: it never rejects',
      code: `import axios from 'axios';
export function pingAll(urls: string[]) {
  Promise.allSettled(urls.map((url) => axios.head(url)));
}`,
    },
    {
      name: 'event registrations and sync client members stay in-process',
      code: `import { Pool } from 'pg';
import axios from 'axios';
const pool = new Pool();
pool.on('error', (err) => console.error(err));
axios.interceptors.request.use((config) => config);
const api = axios.create({ baseURL: 'https://api.example.com', timeout: 3000 });
export { api };`,
    },
    {
      name: 'callback-style client call returns no promise',
      code: `const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });
function audit(entry) {
  pool.query('INSERT INTO audit SET ?', entry, (err) => { if (err) console.error(err); });
}
module.exports = { audit };`,
      fileName: 'audit.js',
    },
    {
      name: 'calls that do not leave the process',
      code: `export function render(items: string[], res: { send(body: string): void }) {
  items.sort();
  res.send(items.join(','));
  console.log('rendered');
}`,
    },
    {
      name: 'same-file synchronous function',
      code: `function format(value: number) { return value.toFixed(2); }
export function show(value: number) {
  format(value);
}`,
    },
    {
      name: 'a test file is not production code',
      code: `import axios from 'axios';
export function seed() { axios.post('http://localhost:3000/seed'); }`,
      fileName: 'test/seed.test.ts',
    },
    {
      name: 'an in-memory fake store under a test fixtures directory is test support code',
      code: `import { NotFoundError } from '../../lib/error';
export default class FakeInviteStore {
  invites: { code: string; used: number }[] = [];
  async get(code: string) {
    const invite = this.invites.find((i) => i.code === code);
    if (!invite) throw new NotFoundError('no such invite');
    return invite;
  }
  async markUsed(code: string): Promise<void> {
    this.get(code).then((invite) => { invite.used += 1; });
  }
}`,
      fileName: 'src/test/fixtures/fake-invite-store.ts',
    },
    {
      name: 'browser code is not reviewed',
      code: `import { useEffect } from 'react';
export function useVisit(page: string) {
  useEffect(() => { fetch('/api/visit?page=' + page); }, [page]);
}`,
      fileName: 'useVisit.tsx',
    },
    {
      name: 'forEach with an async callback that handles its own failures',
      code: `import axios from 'axios';
import { logger } from './logger';
export function notify(urls: string[]) {
  urls.forEach(async (url) => {
    try {
      await axios.post(url, {});
    } catch (err) {
      logger.warn({ err, url }, 'notify failed');
    }
  });
}`,
    },
    {
      name: 'module-level calls: Node 15+ exits on the rejection, with the error (startup scripts)',
      code: `import { createClient } from 'redis';
export const redis = createClient({ url: process.env.REDIS_URL });
redis.connect();
async function main() {
  await redis.set('boot', Date.now().toString(), { EX: 60 });
}
main();`,
    },
    {
      name: 'async function whose awaits are all inside a try/catch that does not rethrow',
      code: `import axios from 'axios';
import { logger } from './logger';
async function sendInviteAccepted(email: string | undefined) {
  if (!email) return;
  try {
    await axios.post('https://mail.internal/send', { email, template: 'invite-accepted' });
  } catch (err) {
    logger.error({ err }, 'invite-accepted mail failed');
  }
}
export function accept(email: string) {
  sendInviteAccepted(email);
  return { ok: true };
}`,
    },
    {
      name: 'async function whose only await is in a nested timer callback',
      code: `import axios from 'axios';
const timers: Record<string, NodeJS.Timeout> = {};
const renewSession = async (token: string) => {
  clearTimeout(timers[token]);
  timers[token] = setTimeout(async () => {
    try { await axios.post('/sessions/renew', { token }); } catch { /* next request renews */ }
  }, 500);
};
export function onRequest(token: string) {
  renewSession(token);
}`,
    },
    {
      name: 'pg client.release() is synchronous',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function migrate() {
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
}`,
    },
    {
      name: 'AMD browser module (define) is not reviewed',
      code: `define('admin/dashboard', ['api'], function (api) {
  return {
    refresh: function () {
      fetch('/api/admin/stats').then(function (res) { return res.json(); });
    },
  };
});`,
      fileName: 'src/admin/dashboard.js',
    },
  ],
  invalid: [
    {
      name: 'fire-and-forget HTTP call in an async route handler: await first, .catch second',
      code: `import express from 'express';
import axios from 'axios';
import { logger } from './logger';
const app = express();
app.post('/signup', async (req, res) => {
  axios.post('https://hooks.internal/signup', req.body, { timeout: 2000 });
  res.status(201).end();
});`,
      errors: [{ messageId: 'external', line: 6, column: 3 }],
      output: `import express from 'express';
import axios from 'axios';
import { logger } from './logger';
const app = express();
app.post('/signup', async (req, res) => {
  await axios.post('https://hooks.internal/signup', req.body, { timeout: 2000 });
  res.status(201).end();
});`,
    },
    {
      name: 'inside a non-async callback: only .catch is offered, with the file logger',
      code: `import { createClient } from 'redis';
import pino from 'pino';
const logger = pino();
const redis = createClient();
export function remember(keys: string[]) {
  keys.forEach((key) => {
    redis.expire(key, 3600);
  });
}`,
      errors: [{ messageId: 'external', line: 7 }],
      output: `import { createClient } from 'redis';
import pino from 'pino';
const logger = pino();
const redis = createClient();
export function remember(keys: string[]) {
  keys.forEach((key) => {
    redis.expire(key, 3600).catch((err) => logger.error({ err }, 'redis.expire failed'));
  });
}`,
    },
    {
      name: 'same-file async function dropped in a sync function; the logger is set up once',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
async function syncCustomer(id: string) {
  const customer = await stripe.customers.retrieve(id);
  return customer;
}
export function onLogin(userId: string) {
  syncCustomer(userId);
}`,
      errors: [{ messageId: 'asyncFunction', line: 8 }],
      output: `import Stripe from 'stripe';
import pino from 'pino';
const logger = pino();
const stripe = new Stripe(process.env.STRIPE_KEY!);
async function syncCustomer(id: string) {
  const customer = await stripe.customers.retrieve(id);
  return customer;
}
export function onLogin(userId: string) {
  syncCustomer(userId).catch((err) => logger.error({ err }, 'syncCustomer failed'));
}`,
    },
    {
      name: 'async function with no external call is still a dropped promise',
      code: `import { logger } from './logger';
async function rebuildIndex() {
  const index = new Map<string, number>();
  await new Promise((resolve) => setTimeout(resolve, 10));
  return index;
}
export function schedule() {
  rebuildIndex();
}`,
      errors: [{ messageId: 'asyncFunction', line: 8 }],
      output: `import { logger } from './logger';
async function rebuildIndex() {
  const index = new Map<string, number>();
  await new Promise((resolve) => setTimeout(resolve, 10));
  return index;
}
export function schedule() {
  rebuildIndex().catch((err) => logger.error({ err }, 'rebuildIndex failed'));
}`,
    },
    {
      name: '.then with only a fulfilment handler, and .finally alone',
      code: `import { logger } from './logger';
export async function refresh(id: string) {
  fetch('https://prices.example.com/' + id).then((res) => logger.info({ status: res.status }, 'refreshed'));
  fetch('https://prices.example.com/flush').finally(() => logger.info('flushed'));
}`,
      errors: [{ messageId: 'thenWithoutCatch', line: 3 }, { messageId: 'external', line: 4 }],
      output: `import { logger } from './logger';
export async function refresh(id: string) {
  await fetch('https://prices.example.com/' + id).then((res) => logger.info({ status: res.status }, 'refreshed'));
  await fetch('https://prices.example.com/flush').finally(() => logger.info('flushed'));
}`,
    },
    {
      name: 'a .then after the .catch can throw again',
      code: `import { logger } from './logger';
export function load(url: string) {
  fetch(url).catch((err) => logger.warn({ err }, 'load failed')).then((res) => res!.json());
}`,
      errors: [{ messageId: 'thenWithoutCatch', line: 3 }],
      output: `import { logger } from './logger';
export function load(url: string) {
  fetch(url).catch((err) => logger.warn({ err }, 'load failed')).then((res) => res!.json()).catch((err) => logger.error({ err }, 'fetch failed'));
}`,
    },
    {
      name: 'class method calling an async method through this, winston-style configured logger',
      code: `import { Injectable } from '@nestjs/common';
import { logger } from './log';
@Injectable()
export class OrdersService {
  private async publish(orderId: string) {
    await fetch('https://events.internal/orders', { method: 'POST', body: orderId });
  }
  place(orderId: string) {
    this.publish(orderId);
    return { orderId };
  }
}`,
      settings: { logger: { module: './log', name: 'logger', style: 'winston' } },
      errors: [{ messageId: 'asyncFunction', line: 9 }],
      output: `import { Injectable } from '@nestjs/common';
import { logger } from './log';
@Injectable()
export class OrdersService {
  private async publish(orderId: string) {
    await fetch('https://events.internal/orders', { method: 'POST', body: orderId });
  }
  place(orderId: string) {
    this.publish(orderId).catch((err) => logger.error('publish failed', { err }));
    return { orderId };
  }
}`,
    },
    {
      name: 'async function with a try/catch that rethrows can still reject',
      code: `import axios from 'axios';
import { logger } from './logger';
async function charge(id: string) {
  try {
    await axios.post('https://billing.internal/charge', { id });
  } catch (err) {
    logger.error({ err }, 'charge failed');
    throw err;
  }
}
export function checkout(id: string) {
  charge(id);
}`,
      errors: [{ messageId: 'asyncFunction', line: 12 }],
      output: `import axios from 'axios';
import { logger } from './logger';
async function charge(id: string) {
  try {
    await axios.post('https://billing.internal/charge', { id });
  } catch (err) {
    logger.error({ err }, 'charge failed');
    throw err;
  }
}
export function checkout(id: string) {
  charge(id).catch((err) => logger.error({ err }, 'charge failed'));
}`,
    },
    {
      name: 'function declared to return a Promise, dropped in a watcher callback',
      code: `import { logger } from './logger';
export class SchemaCache {
  private pending?: Promise<void>;
  constructor(private readonly adapter: { watch(cb: () => void): void; load(): Promise<string[]> }) {
    adapter.watch(() => {
      this.reload();
    });
  }
  reload(): Promise<void> {
    this.pending = this.adapter.load().then(() => undefined);
    return this.pending;
  }
}`,
      errors: [{ messageId: 'asyncFunction', line: 6 }],
      output: `import { logger } from './logger';
export class SchemaCache {
  private pending?: Promise<void>;
  constructor(private readonly adapter: { watch(cb: () => void): void; load(): Promise<string[]> }) {
    adapter.watch(() => {
      this.reload().catch((err) => logger.error({ err }, 'reload failed'));
    });
  }
  reload(): Promise<void> {
    this.pending = this.adapter.load().then(() => undefined);
    return this.pending;
  }
}`,
    },
    {
      name: 'Promise.all of external calls dropped',
      code: `import axios from 'axios';
export async function fanOut(id: string) {
  Promise.all([axios.post('/a', { id }), axios.post('/b', { id })]);
}`,
      errors: [{ messageId: 'combinator', line: 3 }],
      output: `import axios from 'axios';
export async function fanOut(id: string) {
  await Promise.all([axios.post('/a', { id }), axios.post('/b', { id })]);
}`,
    },
    {
      name: 'constructor inside an async function gets .catch, not await',
      code: `import axios from 'axios';
import { logger } from './logger';
export async function makeClient() {
  class Client {
    constructor() {
      axios.get('https://api.example.com/handshake');
    }
  }
  return new Client();
}`,
      errors: [{ messageId: 'external', line: 6 }],
      output: `import axios from 'axios';
import { logger } from './logger';
export async function makeClient() {
  class Client {
    constructor() {
      axios.get('https://api.example.com/handshake').catch((err) => logger.error({ err }, 'axios.get failed'));
    }
  }
  return new Client();
}`,
    },
    {
      name: 'forEach with an async callback that awaits an external call',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function archive(ids: string[]) {
  ids.forEach(async (id) => {
    await prisma.order.update({ where: { id }, data: { archived: true } });
  });
}`,
      errors: [{ messageId: 'asyncForEach', line: 4 }],
      output: null,
    },
    {
      name: 'suppressed line is not reported',
      code: `import axios from 'axios';
export function ping() {
  // failpath-ignore-next-line floating-promise -- best effort, failures are expected
  axios.get('https://status.example.com');
  axios.get('https://status.example.com/deep');
}`,
      errors: [{ messageId: 'external', line: 5 }],
    },
  ],
});
