import { unhandledExternalFailure } from '../../server/src/rules/unhandled-external-failure';
import { runRuleTests } from '../helpers/ruleTester';

const EXPRESS_4 = { dependencies: { express: '^4.19.2' } };
const EXPRESS_5 = { dependencies: { express: '^5.0.0' } };

runRuleTests(unhandledExternalFailure, {
  valid: [
    {
      name: 'Express handler: the call sits in a try whose catch answers',
      code: `import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
app.get('/users/:id', async (req, res) => {
  try {
    const { rows } = await pool.query('select * from users where id = $1', [req.params.id]);
    res.json(rows[0]);
  } catch (err) {
    res.status(503).json({ error: 'Service unavailable' });
  }
});`,
      project: EXPRESS_4,
    },
    {
      name: 'Express 4 handler: the catch passes the error to next(err)',
      code: `import express from 'express';
import axios from 'axios';
const router = express.Router();
router.post('/quotes', async (req, res, next) => {
  try {
    const { data } = await axios.post('https://pricing.internal/quotes', req.body, { timeout: 3000 });
    res.status(201).json(data);
  } catch (err) {
    next(err);
  }
});`,
      project: EXPRESS_4,
    },
    {
      name: 'a .catch chained on the call supplies the fallback',
      code: `import express from 'express';
import Redis from 'ioredis';
const app = express();
const redis = new Redis();
app.get('/flags', async (req, res) => {
  const flags = await redis.get('flags').catch(() => null);
  res.json(flags ? JSON.parse(flags) : {});
});`,
    },
    {
      name: 'a two-argument then handles the rejection',
      code: `import express from 'express';
const app = express();
app.get('/rates', async (req, res) => {
  const rates = await fetch('https://rates.example.com', { signal: AbortSignal.timeout(2000) }).then((r) => r.json(), () => ({}));
  res.json(rates);
});`,
    },
    {
      name: 'Promise.allSettled never rejects',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/dashboard', async (req, res) => {
  const [users, orders] = await Promise.allSettled([prisma.user.count(), prisma.order.count()]);
  res.json({ users, orders });
});`,
    },
    {
      name: 'express-async-handler catches the rejection and passes it on',
      code: `import express from 'express';
import asyncHandler from 'express-async-handler';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/orders', asyncHandler(async (req, res) => {
  res.json(await prisma.order.findMany());
}));`,
    },
    {
      name: 'an unknown wrapper around the handler may catch: stay quiet',
      code: `import express from 'express';
import { withAuth } from './auth';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/orders', withAuth(async (req, res) => {
  res.json(await prisma.order.findMany());
}));`,
    },
    {
      name: 'a plain helper function is not a boundary: its caller decides',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export async function findUser(id: string) {
  const { rows } = await pool.query('select * from users where id = $1', [id]);
  return rows[0];
}`,
    },
    {
      name: 'awaits that stay in-process',
      code: `import express from 'express';
const app = express();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
app.get('/slow', async (req, res) => {
  await sleep(100);
  const pending = Promise.resolve(42);
  res.json({ value: await pending });
});`,
    },
    {
      name: 'an object with a get method is not an app',
      code: `const routes = new Map<string, (req: unknown) => Promise<void>>();
routes.set('/users', async () => { await fetch('https://api.example.com/users', { signal: AbortSignal.timeout(1000) }); });`,
    },
    {
      name: 'Express 5 handler whose catch logs and rethrows: the error handler answers',
      code: `import express from 'express';
import pino from 'pino';
import { PrismaClient } from '@prisma/client';
const logger = pino();
const app = express();
const prisma = new PrismaClient();
app.get('/orders', async (req, res) => {
  try {
    res.json(await prisma.order.findMany());
  } catch (err) {
    logger.error({ err }, 'listing orders failed');
    throw err;
  }
});`,
      project: EXPRESS_5,
    },
    {
      name: 'NestJS method whose catch translates the error into an HTTP exception',
      code: `import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import axios from 'axios';
@Controller('weather')
export class WeatherController {
  @Get()
  async current() {
    try {
      const { data } = await axios.get('https://weather.example.com/now', { timeout: 2000 });
      return data;
    } catch {
      throw new ServiceUnavailableException();
    }
  }
}`,
    },
    {
      name: 'floating work inside a forEach callback belongs to floating-promise, not here',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.post('/touch', async (req, res) => {
  req.body.ids.forEach(async (id: string) => { await prisma.user.update({ where: { id }, data: {} }); });
  res.sendStatus(202);
});`,
    },
    {
      name: 'map callback with its own try/catch handles each item',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/profiles', async (req, res) => {
  const profiles = await Promise.all(req.query.ids.map(async (id) => {
    try {
      return await prisma.profile.findUnique({ where: { id } });
    } catch {
      return null;
    }
  }));
  res.json(profiles);
});`,
    },
    {
      name: 'listener on an emitter that captures rejections, with a logging catch that rethrows',
      code: `import { EventEmitter } from 'node:events';
import { Pool } from 'pg';
const pool = new Pool();
const bus = new EventEmitter({ captureRejections: true });
bus.on('order.paid', async (id) => {
  try {
    await pool.query('update orders set paid = true where id = $1', [id]);
  } catch (err) {
    console.error(err);
    throw err;
  }
});`,
    },
    {
      name: 'a named handler wrapped by express-async-handler where it is registered',
      code: `const express = require('express');
const asyncHandler = require('express-async-handler');
const { Pool } = require('pg');
const pool = new Pool();
const router = express.Router();
async function listInvoices(req, res) {
  const { rows } = await pool.query('select * from invoices');
  res.json(rows);
}
router.get('/invoices', asyncHandler(listInvoices));
module.exports = router;`,
      fileName: 'invoices.js',
    },
    {
      name: 'Express 4 handler whose catch handles some errors and rethrows the rest through next',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.post('/users', async (req, res, next) => {
  try {
    res.status(201).json(await prisma.user.create({ data: req.body }));
  } catch (err) {
    if (err.code === 'P2002') return res.status(409).json({ error: 'exists' });
    next(err);
  }
});`,
      project: EXPRESS_4,
    },
    {
      name: 'top-level await of a local promise',
      code: `const ready = new Promise((resolve) => setTimeout(resolve, 10));
await ready;
export {};`,
      fileName: 'boot.mts',
    },
    {
      name: 'a listener on an emitter we know nothing about',
      code: `import { Pool } from 'pg';
const pool = new Pool();
export function watch(socket: { on(event: string, fn: (x: unknown) => void): void }) {
  socket.on('message', async (msg) => { await pool.query('insert into inbox values ($1)', [msg]); });
}`,
    },
  ],
  invalid: [
    {
      name: 'Express 4: an awaited query with no try/catch; the fix answers 503 and keeps `rows` in scope',
      code: `import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
app.get('/users/:id', async (req, res) => {
  const { rows } = await pool.query('select * from users where id = $1', [req.params.id]);
  res.json(rows[0]);
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 6, column: 26 }],
      output: `import express from 'express';
import { Pool } from 'pg';
import pino from 'pino';
const logger = pino();
const app = express();
const pool = new Pool();
app.get('/users/:id', async (req, res) => {
  try {
    const { rows } = await pool.query('select * from users where id = $1', [req.params.id]);
    res.json(rows[0]);
  } catch (err) {
    logger.error({ err }, 'GET /users/:id failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
});`,
    },
    {
      name: 'Express 5: lower urgency wording, same fix, the file\'s own logger',
      code: `import express from 'express';
import { logger } from './lib/logger';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.post('/orders', async (req, res) => {
  await prisma.order.create({ data: req.body });
  res.sendStatus(201);
});`,
      project: EXPRESS_5,
      errors: [{ messageId: 'express5', line: 7 }],
      output: `import express from 'express';
import { logger } from './lib/logger';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.post('/orders', async (req, res) => {
  try {
    await prisma.order.create({ data: req.body });
  } catch (err) {
    logger.error({ err }, 'POST /orders failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
  res.sendStatus(201);
});`,
    },
    {
      name: 'unknown Express version is treated as Express 4',
      code: `const express = require('express');
const axios = require('axios');
const router = express.Router();
router.get('/weather', async function (request, response) {
  const { data } = await axios.get('https://weather.example.com/now', { timeout: 2000 });
  response.json(data);
});
module.exports = router;`,
      fileName: 'routes/weather.js',
      errors: [{ messageId: 'express4', line: 5 }],
      output: `const express = require('express');
const axios = require('axios');
const pino = require('pino');
const logger = pino();
const router = express.Router();
router.get('/weather', async function (request, response) {
  try {
    const { data } = await axios.get('https://weather.example.com/now', { timeout: 2000 });
    response.json(data);
  } catch (err) {
    logger.error({ err }, 'GET /weather failed');
    response.status(503).json({ error: 'Service unavailable' });
    return;
  }
});
module.exports = router;`,
    },
    {
      name: 'two awaits in one handler share one fix',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/me', async (req, res) => {
  const user = await prisma.user.findUnique({ where: { id: req.userId } });
  const orders = await prisma.order.findMany({ where: { userId: user.id } });
  res.json({ user, orders });
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 6 }, { messageId: 'express4', line: 7 }],
      output: `import express from 'express';
import { PrismaClient } from '@prisma/client';
import pino from 'pino';
const logger = pino();
const app = express();
const prisma = new PrismaClient();
app.get('/me', async (req, res) => {
  try {
    const user = await prisma.user.findUnique({ where: { id: req.userId } });
    const orders = await prisma.order.findMany({ where: { userId: user.id } });
    res.json({ user, orders });
  } catch (err) {
    logger.error({ err }, 'GET /me failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
});`,
    },
    {
      name: 'adjacent awaits in one block share one try/catch; a nested one joins the outer range',
      code: `import express from 'express';
import Redis from 'ioredis';
const app = express();
const redis = new Redis();
app.post('/sessions/:id/refresh', async (req, res) => {
  await redis.expire(\`session:\${req.params.id}\`, 3600);
  if (req.body.remember) {
    await redis.sadd('remembered', req.params.id);
  }
  await redis.publish('sessions', req.params.id);
  res.sendStatus(204);
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 6 }, { messageId: 'express4', line: 8 }, { messageId: 'express4', line: 10 }],
      output: `import express from 'express';
import Redis from 'ioredis';
import pino from 'pino';
const logger = pino();
const app = express();
const redis = new Redis();
app.post('/sessions/:id/refresh', async (req, res) => {
  try {
    await redis.expire(\`session:\${req.params.id}\`, 3600);
    if (req.body.remember) {
      await redis.sadd('remembered', req.params.id);
    }
    await redis.publish('sessions', req.params.id);
  } catch (err) {
    logger.error({ err }, 'POST /sessions/:id/refresh failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
  res.sendStatus(204);
});`,
    },
    {
      name: 'a name declared between two awaits and used after them stays in scope',
      code: `import express from 'express';
import Redis from 'ioredis';
const app = express();
const redis = new Redis();
app.get('/counter', async (req, res) => {
  await redis.incr('hits');
  const key = \`seen:\${req.ip}\`;
  await redis.set(key, '1', 'EX', 60);
  res.json({ key });
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 6 }, { messageId: 'express4', line: 8 }],
      output: `import express from 'express';
import Redis from 'ioredis';
import pino from 'pino';
const logger = pino();
const app = express();
const redis = new Redis();
app.get('/counter', async (req, res) => {
  try {
    await redis.incr('hits');
    const key = \`seen:\${req.ip}\`;
    await redis.set(key, '1', 'EX', 60);
    res.json({ key });
  } catch (err) {
    logger.error({ err }, 'GET /counter failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
});`,
    },
    {
      name: 'Express 4 patched by express-async-errors forwards the rejection like Express 5',
      code: `import 'express-async-errors';
import express from 'express';
import got from 'got';
const app = express();
app.get('/status', async (req, res) => {
  res.json(await got('https://status.example.com', { timeout: { request: 2000 } }).json());
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express5', line: 6 }],
    },
    {
      name: 'express-promise-router forwards rejections like Express 5',
      code: `import Router from 'express-promise-router';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
router.get('/tags', async (req, res) => {
  res.json(await prisma.tag.findMany());
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express5', line: 6 }],
    },
    {
      name: 'Fastify route({ handler }) with a method-shorthand handler',
      code: `import Fastify from 'fastify';
import Redis from 'ioredis';
const fastify = Fastify({ logger: true });
const redis = new Redis();
fastify.route({
  method: 'GET',
  url: '/cache/:key',
  async handler(request, reply) {
    const value = await redis.get(request.params.key);
    return { value };
  },
});`,
      errors: [{ messageId: 'route', line: 9 }],
      output: `import Fastify from 'fastify';
import Redis from 'ioredis';
import pino from 'pino';
const logger = pino();
const fastify = Fastify({ logger: true });
const redis = new Redis();
fastify.route({
  method: 'GET',
  url: '/cache/:key',
  async handler(request, reply) {
    try {
      const value = await redis.get(request.params.key);
      return { value };
    } catch (err) {
      logger.error({ err }, 'GET /cache/:key failed');
      return reply.code(503).send({ error: 'Service unavailable' });
    }
  },
});`,
    },
    {
      name: 'a handler without a response parameter in view gets no fix',
      code: `import Router from '@koa/router';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
const router = new Router();
router.get('/health', async ({ response }) => {
  await prisma.user.count();
  response.status = 204;
});`,
      errors: [{ messageId: 'route', line: 6 }],
      output: null,
    },
    {
      name: 'Express 4: a catch that logs and rethrows still lets the rejection escape (no fix: the catch is the user\'s)',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.delete('/orders/:id', async (req, res) => {
  try {
    await prisma.order.delete({ where: { id: req.params.id } });
    res.sendStatus(204);
  } catch (err) {
    console.error('delete failed', err);
    throw err;
  }
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'rethrown', line: 7 }],
      output: null,
    },
    {
      name: 'Express 5: a bare rethrow handles nothing',
      code: `import express from 'express';
import Stripe from 'stripe';
const app = express();
const stripe = new Stripe(process.env.STRIPE_KEY!);
app.post('/refunds', async (req, res) => {
  try {
    res.json(await stripe.refunds.create({ charge: req.body.charge }, { idempotencyKey: req.body.key }));
  } catch (e) {
    throw e;
  }
});`,
      project: EXPRESS_5,
      errors: [{ messageId: 'rethrown', line: 7 }],
      output: null,
    },
    {
      name: 'try/finally without catch is not handling',
      code: `import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
app.put('/stock', async (req, res) => {
  const client = await pool.connect();
  try {
    await client.query('update stock set qty = qty - 1 where sku = $1', [req.body.sku]);
    res.sendStatus(204);
  } finally {
    client.release();
  }
});`,
      project: EXPRESS_5,
      errors: [{ messageId: 'express5', line: 6 }, { messageId: 'express5', line: 8 }],
    },
    {
      name: 'same-file helper that awaits an external call, awaited in a handler registered by name',
      code: `import express from 'express';
import axios from 'axios';
const app = express();
async function loadProfile(id: string) {
  const { data } = await axios.get(\`https://profiles.internal/\${id}\`, { timeout: 1500 });
  return data;
}
async function showProfile(req, res) {
  const profile = await loadProfile(req.params.id);
  res.json(profile);
}
app.get('/profiles/:id', showProfile);`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 9 }],
    },
    {
      name: 'Promise.all over inline map callbacks: flagged at the call inside the callback',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/carts', async (req, res) => {
  const carts = await Promise.all(req.body.ids.map(async (id) => prisma.cart.findUnique({ where: { id } })));
  res.json(carts);
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 6, column: 66 }],
      output: `import express from 'express';
import { PrismaClient } from '@prisma/client';
import pino from 'pino';
const logger = pino();
const app = express();
const prisma = new PrismaClient();
app.get('/carts', async (req, res) => {
  try {
    const carts = await Promise.all(req.body.ids.map(async (id) => prisma.cart.findUnique({ where: { id } })));
    res.json(carts);
  } catch (err) {
    logger.error({ err }, 'GET /carts failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
});`,
    },
    {
      name: 'Promise.all of direct calls: each call is reported',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/stats', async (req, res) => {
  const [users, orders] = await Promise.all([prisma.user.count(), prisma.order.count().catch(() => 0)]);
  res.json({ users, orders });
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 6, column: 46 }],
    },
    {
      name: 'Koa middleware: the fix sets ctx.status',
      code: `import Koa from 'koa';
import Redis from 'ioredis';
const app = new Koa();
const redis = new Redis();
app.use(async (ctx, next) => {
  ctx.state.session = await redis.get(\`session:\${ctx.cookies.get('sid')}\`);
  await next();
});`,
      errors: [{ messageId: 'route', line: 6 }],
      output: `import Koa from 'koa';
import Redis from 'ioredis';
import pino from 'pino';
const logger = pino();
const app = new Koa();
const redis = new Redis();
app.use(async (ctx, next) => {
  try {
    ctx.state.session = await redis.get(\`session:\${ctx.cookies.get('sid')}\`);
  } catch (err) {
    logger.error({ err }, 'redis.get failed');
    ctx.status = 503;
    ctx.body = { error: 'Service unavailable' };
    return;
  }
  await next();
});`,
    },
    {
      name: 'Fastify route with options and a typed plugin: the fix answers through reply',
      code: `import type { FastifyInstance } from 'fastify';
import { MongoClient } from 'mongodb';
const client = new MongoClient(process.env.MONGO_URL!);
export default async function routes(fastify: FastifyInstance) {
  fastify.get('/products', { schema: {} }, async (request, reply) => {
    const products = await client.db('shop').collection('products').find().toArray();
    return products;
  });
}`,
      errors: [{ messageId: 'route', line: 6 }],
      output: `import type { FastifyInstance } from 'fastify';
import { MongoClient } from 'mongodb';
import pino from 'pino';
const logger = pino();
const client = new MongoClient(process.env.MONGO_URL!);
export default async function routes(fastify: FastifyInstance) {
  fastify.get('/products', { schema: {} }, async (request, reply) => {
    try {
      const products = await client.db('shop').collection('products').find().toArray();
      return products;
    } catch (err) {
      logger.error({ err }, 'GET /products failed');
      return reply.code(503).send({ error: 'Service unavailable' });
    }
  });
}`,
    },
    {
      name: 'Hono handler: the fix returns c.json(..., 503)',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/quote', async (c) => {
  const res = await fetch('https://quotes.example.com/today', { signal: AbortSignal.timeout(2000) });
  return c.json(await res.json());
});
export default app;`,
      errors: [{ messageId: 'route', line: 4 }],
      output: `import { Hono } from 'hono';
import pino from 'pino';
const logger = pino();
const app = new Hono();
app.get('/quote', async (c) => {
  try {
    const res = await fetch('https://quotes.example.com/today', { signal: AbortSignal.timeout(2000) });
    return c.json(await res.json());
  } catch (err) {
    logger.error({ err }, 'GET /quote failed');
    return c.json({ error: 'Service unavailable' }, 503);
  }
});
export default app;`,
    },
    {
      name: 'Next.js route handler: the fix uses NextResponse when it is imported',
      code: `import { NextResponse } from 'next/server';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function GET() {
  const posts = await prisma.post.findMany({ take: 20 });
  return NextResponse.json(posts);
}`,
      fileName: 'src/app/api/posts/route.ts',
      errors: [{ messageId: 'route', line: 5 }],
      output: `import { NextResponse } from 'next/server';
import { PrismaClient } from '@prisma/client';
import pino from 'pino';
const logger = pino();
const prisma = new PrismaClient();
export async function GET() {
  try {
    const posts = await prisma.post.findMany({ take: 20 });
    return NextResponse.json(posts);
  } catch (err) {
    logger.error({ err }, 'prisma.post.findMany failed');
    return NextResponse.json({ error: 'Service unavailable' }, { status: 503 });
  }
}`,
    },
    {
      name: 'Next.js pages API route: the fix answers through res',
      code: `import type { NextApiRequest, NextApiResponse } from 'next';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await stripe.checkout.sessions.retrieve(req.query.id as string);
  res.status(200).json(session);
}`,
      fileName: 'pages/api/checkout/[id].ts',
      errors: [{ messageId: 'route', line: 5 }],
      output: `import type { NextApiRequest, NextApiResponse } from 'next';
import Stripe from 'stripe';
import pino from 'pino';
const logger = pino();
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  try {
    const session = await stripe.checkout.sessions.retrieve(req.query.id as string);
    res.status(200).json(session);
  } catch (err) {
    logger.error({ err }, 'stripe.checkout.sessions.retrieve failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
}`,
    },
    {
      name: 'NestJS controller method: the fix logs through the class logger and throws ServiceUnavailableException',
      code: `import { Controller, Get, Logger, Param } from '@nestjs/common';
import axios from 'axios';
@Controller('rates')
export class RatesController {
  private readonly logger = new Logger(RatesController.name);

  @Get(':currency')
  async rate(@Param('currency') currency: string) {
    const { data } = await axios.get(\`https://fx.example.com/\${currency}\`, { timeout: 2000 });
    return data;
  }
}`,
      errors: [{ messageId: 'route', line: 9 }],
      output: `import { Controller, Get, Logger, Param, ServiceUnavailableException } from '@nestjs/common';
import axios from 'axios';
@Controller('rates')
export class RatesController {
  private readonly logger = new Logger(RatesController.name);

  @Get(':currency')
  async rate(@Param('currency') currency: string) {
    try {
      const { data } = await axios.get(\`https://fx.example.com/\${currency}\`, { timeout: 2000 });
      return data;
    } catch (err) {
      this.logger.error('axios.get failed', err instanceof Error ? err.stack : String(err));
      throw new ServiceUnavailableException();
    }
  }
}`,
    },
    {
      name: 'BullMQ worker: the fix logs and rethrows so the queue retries',
      code: `import { Worker } from 'bullmq';
import nodemailer from 'nodemailer';
const transport = nodemailer.createTransport({ host: 'smtp.example.com' });
export const worker = new Worker('emails', async (job) => {
  await transport.sendMail(job.data);
});`,
      errors: [{ messageId: 'consumer', line: 5 }],
      output: `import { Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import pino from 'pino';
const logger = pino();
const transport = nodemailer.createTransport({ host: 'smtp.example.com' });
export const worker = new Worker('emails', async (job) => {
  try {
    await transport.sendMail(job.data);
  } catch (err) {
    logger.error({ err }, 'transport.sendMail failed');
    throw err;
  }
});`,
    },
    {
      name: 'amqplib consume callback: reported, no fix (ack/nack is the user\'s call)',
      code: `import amqp from 'amqplib';
import { Pool } from 'pg';
const pool = new Pool();
export async function start() {
  const connection = await amqp.connect('amqp://localhost');
  const channel = await connection.createChannel();
  channel.consume('orders', async (msg) => {
    await pool.query('insert into orders(payload) values ($1)', [msg.content.toString()]);
    channel.ack(msg);
  });
}`,
      errors: [{ messageId: 'consumer', line: 8 }],
      output: null,
    },
    {
      name: 'kafkajs eachMessage written as a method',
      code: `import { Kafka } from 'kafkajs';
import Redis from 'ioredis';
const redis = new Redis();
const kafka = new Kafka({ clientId: 'counter', brokers: ['kafka:9092'] });
const consumer = kafka.consumer({ groupId: 'counter' });
export async function start() {
  await consumer.connect();
  await consumer.run({
    async eachMessage({ message }) {
      await redis.incr(\`views:\${message.key}\`);
    },
  });
}`,
      errors: [{ messageId: 'consumer', line: 10 }],
    },
    {
      name: 'setInterval job: the fix logs and skips this run',
      code: `import { Pool } from 'pg';
const pool = new Pool();
setInterval(async () => {
  await pool.query('delete from sessions where expires_at < now()');
}, 60_000);`,
      errors: [{ messageId: 'job', line: 4 }],
      output: `import { Pool } from 'pg';
import pino from 'pino';
const logger = pino();
const pool = new Pool();
setInterval(async () => {
  try {
    await pool.query('delete from sessions where expires_at < now()');
  } catch (err) {
    logger.error({ err }, 'pool.query failed');
    return;
  }
}, 60_000);`,
    },
    {
      name: 'node-cron job and a process listener',
      code: `import cron from 'node-cron';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
cron.schedule('0 3 * * *', async () => {
  await prisma.auditLog.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 864e5 * 90) } } });
});
process.on('SIGTERM', async () => {
  await prisma.$disconnect();
  process.exit(0);
});`,
      errors: [{ messageId: 'job', line: 5 }, { messageId: 'listener', line: 8 }],
    },
    {
      name: 'EventEmitter listener: the fix logs and returns',
      code: `import { EventEmitter } from 'events';
import axios from 'axios';
export const bus = new EventEmitter();
bus.on('user.created', async (user) => {
  await axios.post('https://crm.example.com/contacts', user, { timeout: 5000 });
});`,
      errors: [{ messageId: 'listener', line: 5 }],
      output: `import { EventEmitter } from 'events';
import axios from 'axios';
import pino from 'pino';
const logger = pino();
export const bus = new EventEmitter();
bus.on('user.created', async (user) => {
  try {
    await axios.post('https://crm.example.com/contacts', user, { timeout: 5000 });
  } catch (err) {
    logger.error({ err }, 'axios.post failed');
    return;
  }
});`,
    },
    {
      name: 'Lambda handler (CommonJS)',
      code: `const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  const item = await client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: event.id } } }));
  return { statusCode: 200, body: JSON.stringify(item) };
};`,
      fileName: 'index.js',
      errors: [{ messageId: 'lambda', line: 4 }],
      output: `const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const pino = require('pino');
const logger = pino();
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  try {
    const item = await client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: event.id } } }));
    return { statusCode: 200, body: JSON.stringify(item) };
  } catch (err) {
    logger.error({ err }, 'client.send failed');
    throw err;
  }
};`,
    },
    {
      name: 'top-level await in a module',
      code: `import { Client } from 'pg';
export const db = new Client({ connectionString: process.env.DATABASE_URL });
await db.connect();
export default db;`,
      fileName: 'db.mts',
      errors: [{ messageId: 'module', line: 3 }],
      output: `import { Client } from 'pg';
import pino from 'pino';
const logger = pino();
export const db = new Client({ connectionString: process.env.DATABASE_URL });
try {
  await db.connect();
} catch (err) {
  logger.error({ err }, 'db.connect failed');
  throw err;
}
export default db;`,
    },
    {
      name: 'top-level await whose result the rest of the module uses: reported, no fix; the route in the same file gets its own',
      code: `import express from 'express';
import { MongoClient } from 'mongodb';
const client = await MongoClient.connect(process.env.MONGO_URL!);
const app = express();
app.get('/items', async (req, res) => {
  res.json(await client.db('shop').collection('items').find().toArray());
});
app.listen(3000);`,
      fileName: 'server.mts',
      project: EXPRESS_5,
      errors: [{ messageId: 'module', line: 3 }, { messageId: 'express5', line: 6 }],
      output: `import express from 'express';
import { MongoClient } from 'mongodb';
import pino from 'pino';
const logger = pino();
const client = await MongoClient.connect(process.env.MONGO_URL!);
const app = express();
app.get('/items', async (req, res) => {
  try {
    res.json(await client.db('shop').collection('items').find().toArray());
  } catch (err) {
    logger.error({ err }, 'GET /items failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
});
app.listen(3000);`,
    },
    {
      name: 'the catch variable avoids a name the handler already uses; a multi-line template literal keeps its text',
      code: `import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
app.post('/report', async (req, res) => {
  const err = req.body.errorCode;
  await pool.query(\`insert into reports(code)
values ($1)\`, [err]);
  res.sendStatus(201);
});`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 7 }],
      output: `import express from 'express';
import { Pool } from 'pg';
import pino from 'pino';
const logger = pino();
const app = express();
const pool = new Pool();
app.post('/report', async (req, res) => {
  const err = req.body.errorCode;
  try {
    await pool.query(\`insert into reports(code)
values ($1)\`, [err]);
  } catch (error) {
    logger.error({ err: error }, 'POST /report failed');
    res.status(503).json({ error: 'Service unavailable' });
    return;
  }
  res.sendStatus(201);
});`,
    },
    {
      name: 'an expression-bodied handler has no statement to wrap: reported without a fix',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/count', async (req, res) => res.json(await prisma.user.count()));`,
      project: EXPRESS_4,
      errors: [{ messageId: 'express4', line: 5 }],
      output: null,
    },
  ],
});
