import { missingRateLimit } from '../../server/src/rules/missing-rate-limit';
import { runRuleTests } from '../helpers/ruleTester';
import type { ProjectInfo } from '../../server/src/engine/project';

const NO_LIMITER: ProjectInfo = { dependencies: { express: '^4.19.2', pg: '^8.11.0', cors: '^2.8.5' } };
const WITH_LIMITER: ProjectInfo = { dependencies: { express: '^4.19.2', 'express-rate-limit': '^7.2.0' } };

runRuleTests(missingRateLimit, {
  valid: [
    {
      name: 'express-rate-limit installed globally',
      code: `import express from 'express';
import { rateLimit } from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
app.get('/users', (req, res) => res.json([]));
app.listen(3000);`,
    },
    {
      name: 'a limiter on one route only (login) still counts',
      code: `const express = require('express');
const rateLimit = require('express-rate-limit');
const app = express();
const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 5 });
app.post('/login', loginLimiter, (req, res) => res.sendStatus(204));
app.get('/me', (req, res) => res.json({}));
app.listen(3000);`,
      fileName: 'server.js',
    },
    {
      name: 'a limiter on a router created in the file',
      code: `import express, { Router } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
const limiter = new RateLimiterMemory({ points: 10, duration: 1 });
const app = express();
const api = Router();
api.use((req, res, next) => limiter.consume(req.ip ?? '').then(() => next()).catch(() => res.sendStatus(429)));
api.get('/orders', (req, res) => res.json([]));
app.use('/api', api);
app.listen(3000);`,
    },
    {
      name: 'the project\'s own limiter middleware, imported by path',
      code: `import express from 'express';
import { apiLimiter } from './middlewares/rateLimiter';
const app = express();
app.use('/v1', apiLimiter);
app.get('/v1/users', (req, res) => res.json([]));
app.listen(3000);`,
    },
    {
      name: 'a middleware named like a limiter from a module we do not know',
      code: `import express from 'express';
import { security } from '@acme/http';
const app = express();
app.use(security.throttle({ perMinute: 60 }));
app.get('/users', (req, res) => res.json([]));
app.listen(3000);`,
    },
    {
      name: 'a user-declared limiter module (failpath.rateLimiters)',
      code: `import express from 'express';
import guard from '@acme/guard';
const app = express();
app.use(guard());
app.get('/users', (req, res) => res.json([]));
app.listen(3000);`,
      settings: { rateLimiters: ['@acme/guard'] },
    },
    {
      name: '@fastify/rate-limit registered',
      code: `import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
const app = Fastify();
await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });
app.get('/items', async () => []);`,
      fileName: 'server.mts',
    },
    {
      name: 'koa-ratelimit installed',
      code: `import Koa from 'koa';
import Router from '@koa/router';
import ratelimit from 'koa-ratelimit';
const app = new Koa();
const router = new Router();
app.use(ratelimit({ driver: 'memory', db: new Map(), duration: 60000, max: 100 }));
router.get('/items', (ctx) => { ctx.body = []; });
app.use(router.routes());
app.listen(3000);`,
    },
    {
      name: 'hono-rate-limiter installed',
      code: `import { Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
const app = new Hono();
app.use(rateLimiter({ windowMs: 60_000, limit: 100, keyGenerator: (c) => c.req.header('x-client-id') ?? '' }));
app.get('/items', (c) => c.json([]));
export default app;`,
    },
    {
      name: 'an app that serves only health probes',
      code: `import express from 'express';
const metrics = express();
metrics.get('/healthz', (req, res) => res.send('ok'));
metrics.get('/metrics', (req, res) => res.send('# metrics'));
metrics.listen(9100);`,
    },
    {
      name: 'an app with only middleware and no route',
      code: `import express from 'express';
const app = express();
app.use(express.static('public'));
app.listen(8080);`,
    },
    {
      name: 'app handed to another module that may install middleware, package.json unknown',
      code: `import express from 'express';
import { registerRoutes } from './routes';
const app = express();
registerRoutes(app);
app.get('/', (req, res) => res.send('ok'));
app.listen(3000);`,
    },
    {
      name: 'routers from other files, and a limiter library declared in package.json',
      code: `import express from 'express';
import users from './routes/users';
const app = express();
app.use('/users', users);
app.get('/', (req, res) => res.send('ok'));
app.listen(3000);`,
      project: WITH_LIMITER,
    },
    {
      name: 'an exported sub-app that another file mounts (the parent may limit it)',
      code: `import Koa from 'koa';
import Router from 'koa-router';
const app = new Koa();
const router = new Router();
router.get('/redirect', (ctx) => { ctx.redirect('/home'); });
app.use(router.routes());
export default app;`,
    },
    {
      name: 'a static site server whose only routes are wildcard fallbacks',
      code: `import express from 'express';
import path from 'path';
const app = express();
app.use(express.static('dist'));
app.get('*', (req, res) => res.sendFile(path.join(__dirname, 'dist/index.html')));
app.listen(8080);`,
    },
    {
      name: 'a route module given the app as a parameter (it does not create the app)',
      code: `import type { Express } from 'express';
export function routes(app: Express) {
  app.get('/users', (req, res) => res.json([]));
}`,
    },
    {
      name: 'NestJS bootstrap whose root module lives in another file',
      code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();`,
      project: { dependencies: { '@nestjs/core': '^10.0.0', '@nestjs/common': '^10.0.0' } },
    },
    {
      name: 'NestJS with ThrottlerModule in the root module',
      code: `import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
@Controller('cats')
class CatsController { @Get() list() { return []; } }
@Module({ imports: [ThrottlerModule.forRoot([{ ttl: 60000, limit: 10 }])], controllers: [CatsController] })
class AppModule {}
NestFactory.create(AppModule).then((app) => app.listen(3000));`,
    },
    {
      name: 'a Map with a get method is not an app',
      code: `const routes = new Map();
routes.get('/users');
export default routes;`,
    },
  ],
  invalid: [
    {
      name: 'Express app with routes and no limiter (ESM): import and app.use after creation',
      code: `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();
app.use(express.json());

app.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  res.json(rows[0]);
});

app.listen(3000);`,
      errors: [{ messageId: 'express', line: 5, column: 13 }],
      output: `import express from 'express';
import { Pool } from 'pg';
import { rateLimit } from 'express-rate-limit';

const pool = new Pool();
const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-7', legacyHeaders: false }));
app.use(express.json());

app.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  res.json(rows[0]);
});

app.listen(3000);`,
    },
    {
      name: 'CommonJS Express app inside a factory function: require and indented app.use',
      code: `const express = require('express');

function createServer() {
  const server = express();
  server.post('/signup', (req, res) => res.status(201).end());
  return server.listen(8080);
}

module.exports = { createServer };`,
      fileName: 'server.js',
      errors: [{ messageId: 'express', line: 4 }],
      output: `const express = require('express');
const { rateLimit } = require('express-rate-limit');

function createServer() {
  const server = express();
  server.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-7', legacyHeaders: false }));
  server.post('/signup', (req, res) => res.status(201).end());
  return server.listen(8080);
}

module.exports = { createServer };`,
    },
    {
      name: 'routers from other files, and package.json declares no limiter at all',
      code: `import express from 'express';
import cors from 'cors';
import routes from './app/routes/routes';

const app = express();
app.use(cors());
app.use('/api', routes);
app.listen(3000);`,
      project: NO_LIMITER,
      errors: [{ messageId: 'express', line: 5 }],
      output: `import express from 'express';
import cors from 'cors';
import routes from './app/routes/routes';
import { rateLimit } from 'express-rate-limit';

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-7', legacyHeaders: false }));
app.use(cors());
app.use('/api', routes);
app.listen(3000);`,
    },
    {
      name: 'a self-contained app is reported even though the project depends on a limiter (not used here)',
      code: `import express from 'express';
const admin = express();
admin.delete('/cache', (req, res) => res.sendStatus(204));
admin.listen(4000);`,
      project: WITH_LIMITER,
      errors: [{ messageId: 'express', line: 2 }],
      output: `import express from 'express';
import { rateLimit } from 'express-rate-limit';
const admin = express();
admin.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-7', legacyHeaders: false }));
admin.delete('/cache', (req, res) => res.sendStatus(204));
admin.listen(4000);`,
    },
    {
      name: 'Fastify app built in an async function: awaited register',
      code: `import Fastify from 'fastify';

export async function build() {
  const app = Fastify({ logger: true });
  app.post('/payments', async (request) => ({ ok: true }));
  await app.listen({ port: 3000 });
  return app;
}`,
      errors: [{ messageId: 'fastify', line: 4 }],
      output: `import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';

export async function build() {
  const app = Fastify({ logger: true });
  await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });
  app.post('/payments', async (request) => ({ ok: true }));
  await app.listen({ port: 3000 });
  return app;
}`,
    },
    {
      name: 'Fastify app at the top level of a CommonJS file: no fix (registration must be awaited)',
      code: `const Fastify = require('fastify');
const fastify = Fastify({ logger: true });
fastify.get('/items', async () => []);
fastify.listen({ port: 3000 });`,
      fileName: 'server.js',
      errors: [{ messageId: 'fastify', line: 2 }],
      output: null,
    },
    {
      name: 'Koa app with koa-router routes: in-memory koa-ratelimit',
      code: `import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa();
const router = new Router();
router.post('/comments', async (ctx) => { ctx.status = 201; });
app.use(router.routes());
app.listen(3000);`,
      errors: [{ messageId: 'koa', line: 4 }],
      output: `import Koa from 'koa';
import Router from '@koa/router';
import ratelimit from 'koa-ratelimit';

const app = new Koa();
app.use(ratelimit({ driver: 'memory', db: new Map(), duration: 60_000, max: 100 }));
const router = new Router();
router.post('/comments', async (ctx) => { ctx.status = 201; });
app.use(router.routes());
app.listen(3000);`,
    },
    {
      name: 'Hono app: reported without a fix (a key needs the platform\'s client identity)',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.post('/api/messages', async (c) => c.json({ ok: true }, 201));
export default { port: 3000, fetch: app.fetch };`,
      errors: [{ messageId: 'hono', line: 2 }],
      output: null,
    },
    {
      name: 'the name rateLimit is already taken in the file: reported, no fix',
      code: `import express from 'express';
const rateLimit = 5;
const app = express();
app.get('/items', (req, res) => res.json({ rateLimit }));
app.listen(3000);`,
      errors: [{ messageId: 'express', line: 3 }],
      output: null,
    },
    {
      name: 'NestJS app whose root module with controllers is in this file',
      code: `import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Controller('cats')
class CatsController {
  @Get()
  list() { return []; }
}

@Module({ controllers: [CatsController] })
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
void bootstrap();`,
      errors: [{ messageId: 'nestjs', line: 14 }],
      output: null,
    },
  ],
});
