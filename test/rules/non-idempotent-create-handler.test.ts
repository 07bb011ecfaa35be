import { nonIdempotentCreateHandler } from '../../server/src/rules/non-idempotent-create-handler';
import { runRuleTests } from '../helpers/ruleTester';

const PRISMA = `import express from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
const app = express();
`;

const STORE_TS = `// Idempotency-Key values this process has accepted, with their expiry. In memory: per instance and lost on restart;
// with more than one instance, use a shared store instead (e.g. Redis \`SET key 1 NX EX 86400\`).
const idempotencyKeys = new Map<string, number>();
function claimIdempotencyKey(key: string): boolean {
  const now = Date.now();
  for (const [seen, expires] of idempotencyKeys) if (expires <= now) idempotencyKeys.delete(seen);
  if (idempotencyKeys.has(key)) return false;
  idempotencyKeys.set(key, now + 24 * 60 * 60 * 1000);
  return true;
}`;

const STORE_JS = `// Idempotency-Key values this process has accepted, with their expiry. In memory: per instance and lost on restart;
// with more than one instance, use a shared store instead (e.g. Redis \`SET key 1 NX EX 86400\`).
const idempotencyKeys = new Map();
function claimIdempotencyKey(key) {
  const now = Date.now();
  for (const [seen, expires] of idempotencyKeys) if (expires <= now) idempotencyKeys.delete(seen);
  if (idempotencyKeys.has(key)) return false;
  idempotencyKeys.set(key, now + 24 * 60 * 60 * 1000);
  return true;
}`;

runRuleTests(nonIdempotentCreateHandler, {
  valid: [
    {
      name: 'the handler reads an Idempotency-Key header',
      code: `${PRISMA}
app.post('/orders', async (req, res) => {
  const key = req.get('Idempotency-Key');
  if (!key) return void res.status(400).json({ error: 'Idempotency-Key required' });
  const order = await prisma.order.create({ data: { ...req.body, requestKey: key } });
  res.status(201).json(order);
});`,
    },
    {
      name: 'an existence check before the create',
      code: `${PRISMA}
app.post('/users', async (req, res) => {
  const existing = await prisma.user.findUnique({ where: { email: req.body.email } });
  if (existing) return void res.status(200).json(existing);
  res.status(201).json(await prisma.user.create({ data: req.body }));
});`,
    },
    {
      name: 'a read through a model imported from a project file still counts as a check',
      code: `${PRISMA}import { Users } from './repositories';
app.post('/users', async (req, res) => {
  if (await Users.findByEmail(req.body.email)) return void res.sendStatus(409);
  res.status(201).json(await prisma.user.create({ data: req.body }));
});`,
    },
    {
      name: 'reads awaited together before the create (Promise.all) count as a check',
      code: `${PRISMA}
app.post('/memberships', async (req, res) => {
  const [team, user] = await Promise.all([
    prisma.team.findUnique({ where: { id: req.body.teamId }, include: { members: true } }),
    prisma.user.findUnique({ where: { id: req.body.userId } }),
  ]);
  if (!team || !user || team.members.some((m) => m.userId === user.id)) return void res.sendStatus(409);
  res.status(201).json(await prisma.membership.create({ data: { teamId: team.id, userId: user.id } }));
});`,
    },
    {
      name: 'an upsert',
      code: `${PRISMA}
app.post('/subscriptions', async (req, res) => {
  const sub = await prisma.subscription.upsert({ where: { userId: req.body.userId }, create: req.body, update: {} });
  res.json(sub);
});`,
    },
    {
      name: 'a unique-constraint error (P2002) answered as a duplicate',
      code: `${PRISMA}
app.post('/teams', async (req, res) => {
  try {
    res.status(201).json(await prisma.team.create({ data: req.body }));
  } catch (err: any) {
    if (err.code === 'P2002') return void res.status(409).json({ error: 'team exists' });
    throw err;
  }
});`,
    },
    {
      name: 'pg INSERT … ON CONFLICT DO NOTHING',
      code: `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool();
const app = express();
app.post('/likes', async (req, res) => {
  await pool.query('INSERT INTO likes (user_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [req.body.userId, req.body.postId]);
  res.sendStatus(204);
});`,
    },
    {
      name: 'pg SELECT before the INSERT',
      code: `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool();
const app = express();
app.post('/invites', async (req, res) => {
  const { rowCount } = await pool.query('SELECT 1 FROM invites WHERE email = $1', [req.body.email]);
  if (!rowCount) await pool.query('INSERT INTO invites (email) VALUES ($1)', [req.body.email]);
  res.sendStatus(204);
});`,
    },
    {
      name: 'a plain UPDATE through query is not a create',
      code: `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool();
const app = express();
app.post('/orders/:id/cancel', async (req, res) => {
  await pool.query('UPDATE orders SET status = $1 WHERE id = $2', ['cancelled', req.params.id]);
  res.sendStatus(204);
});`,
    },
    {
      name: 'a PUT handler that creates (PUT is idempotent by contract: not this rule)',
      code: `${PRISMA}
app.put('/orders/:id', async (req, res) => {
  res.json(await prisma.order.create({ data: { id: req.params.id, ...req.body } }));
});`,
    },
    {
      name: 'POST /login creates a session: duplicates are harmless',
      code: `${PRISMA}
app.post('/auth/login', async (req, res) => {
  const session = await prisma.session.create({ data: { userId: req.body.userId } });
  res.json({ token: session.id });
});`,
    },
    {
      name: 'an audit-log record: each request is its own entry',
      code: `${PRISMA}
app.post('/documents/:id/export', async (req, res) => {
  await prisma.auditLog.create({ data: { action: 'export', documentId: req.params.id } });
  res.sendStatus(202);
});`,
    },
    {
      name: 'a Stripe create that already carries an idempotency key',
      code: `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
const app = express();
app.post('/charges', async (req, res) => {
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'eur' }, { idempotencyKey: req.body.orderId });
  res.json(intent);
});`,
    },
    {
      name: 'an idempotency middleware on the route',
      code: `${PRISMA}import { idempotency } from './middleware/idempotency';
app.post('/orders', idempotency(), async (req, res) => {
  res.status(201).json(await prisma.order.create({ data: req.body }));
});`,
    },
    {
      name: 'a handler wrapped by a project helper that may dedupe (Next.js withWorkspace)',
      code: `import { PrismaClient } from '@prisma/client';
import { withWorkspace } from '@/lib/auth';
const prisma = new PrismaClient();
export const POST = withWorkspace(async ({ req }: { req: Request }) => Response.json(await prisma.dashboard.create({ data: await req.json() })));`,
      fileName: 'app/api/dashboards/route.ts',
    },
    {
      name: 'a model from a project file is not known to leave the process (declare it in failpath.externalModules)',
      code: `import express from 'express';
import { Order } from './models';
const app = express();
app.post('/orders', async (req, res) => {
  res.status(201).json(await Order.create(req.body));
});`,
    },
    {
      name: 'Sequelize findOrCreate',
      code: `import express from 'express';
import { Sequelize } from 'sequelize';
const sequelize = new Sequelize(process.env.DATABASE_URL!);
const Tag = sequelize.define('tag', {});
const app = express();
app.post('/tags', async (req, res) => {
  const [tag] = await Tag.findOrCreate({ where: { name: req.body.name } });
  res.json(tag);
});`,
    },
  ],
  invalid: [
    {
      name: 'Express + Prisma: guard inserted at the top of each handler, store once per file',
      code: `import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = express();

app.post('/orders', async (req, res) => {
  const order = await prisma.order.create({ data: req.body });
  res.status(201).json(order);
});

app.post('/customers', async (req, res) => {
  const customer = await prisma.customer.create({ data: req.body });
  res.status(201).json(customer);
});`,
      errors: [{ messageId: 'record', line: 8, column: 23 }, { messageId: 'record', line: 13, column: 26 }],
      output: `import express from 'express';
import { PrismaClient } from '@prisma/client';

${STORE_TS}

const prisma = new PrismaClient();
const app = express();

app.post('/orders', async (req, res) => {
  const idempotencyKey = req.get('Idempotency-Key');
  if (idempotencyKey && !claimIdempotencyKey('POST /orders:' + idempotencyKey)) {
    res.status(409).json({ error: 'A request with this Idempotency-Key was already received' });
    return;
  }
  const order = await prisma.order.create({ data: req.body });
  res.status(201).json(order);
});

app.post('/customers', async (req, res) => {
  const idempotencyKey = req.get('Idempotency-Key');
  if (idempotencyKey && !claimIdempotencyKey('POST /customers:' + idempotencyKey)) {
    res.status(409).json({ error: 'A request with this Idempotency-Key was already received' });
    return;
  }
  const customer = await prisma.customer.create({ data: req.body });
  res.status(201).json(customer);
});`,
    },
    {
      name: 'Koa router + pg INSERT in CommonJS, named handler function',
      code: `const Router = require('@koa/router');
const { Pool } = require('pg');

const pool = new Pool();
const router = new Router();

async function addComment(ctx) {
  const { rows } = await pool.query('insert into comments (post_id, body) values ($1, $2) returning *', [ctx.params.id, ctx.request.body.body]);
  ctx.status = 201;
  ctx.body = rows[0];
}

router.post('/posts/:id/comments', addComment);
module.exports = router;`,
      fileName: 'comments.js',
      errors: [{ messageId: 'record', line: 8 }],
      output: `const Router = require('@koa/router');
const { Pool } = require('pg');

${STORE_JS}

const pool = new Pool();
const router = new Router();

async function addComment(ctx) {
  const idempotencyKey = ctx.get('Idempotency-Key');
  if (idempotencyKey && !claimIdempotencyKey('POST /posts/:id/comments:' + idempotencyKey)) {
    ctx.status = 409;
    ctx.body = { error: 'A request with this Idempotency-Key was already received' };
    return;
  }
  const { rows } = await pool.query('insert into comments (post_id, body) values ($1, $2) returning *', [ctx.params.id, ctx.request.body.body]);
  ctx.status = 201;
  ctx.body = rows[0];
}

router.post('/posts/:id/comments', addComment);
module.exports = router;`,
    },
    {
      name: 'Fastify + MongoDB insertOne, double quotes kept',
      code: `import Fastify from "fastify";
import { MongoClient } from "mongodb";

const client = new MongoClient(process.env.MONGO_URL!);
const signups = client.db("app").collection("signups");
const app = Fastify();

app.post("/signups", async (request, reply) => {
  const result = await signups.insertOne(request.body as object);
  return reply.code(201).send({ id: result.insertedId });
});`,
      errors: [{ messageId: 'record', line: 9 }],
      output: `import Fastify from "fastify";
import { MongoClient } from "mongodb";

${STORE_TS}

const client = new MongoClient(process.env.MONGO_URL!);
const signups = client.db("app").collection("signups");
const app = Fastify();

app.post("/signups", async (request, reply) => {
  const idempotencyKey = request.headers["idempotency-key"];
  if (typeof idempotencyKey === "string" && !claimIdempotencyKey("POST /signups:" + idempotencyKey)) {
    return reply.code(409).send({ error: "A request with this Idempotency-Key was already received" });
  }
  const result = await signups.insertOne(request.body as object);
  return reply.code(201).send({ id: result.insertedId });
});`,
    },
    {
      name: 'Express + Stripe charge with no key, behind asyncHandler (a wrapper that only forwards rejections)',
      code: `import express from 'express';
import asyncHandler from 'express-async-handler';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();

app.post('/checkout', asyncHandler(async (req, res) => {
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'usd', customer: req.body.customerId });
  res.json({ clientSecret: intent.client_secret });
}));`,
      errors: [{ messageId: 'payment', line: 9 }],
      output: `import express from 'express';
import asyncHandler from 'express-async-handler';
import Stripe from 'stripe';

${STORE_TS}

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();

app.post('/checkout', asyncHandler(async (req, res) => {
  const idempotencyKey = req.get('Idempotency-Key');
  if (idempotencyKey && !claimIdempotencyKey('POST /checkout:' + idempotencyKey)) {
    res.status(409).json({ error: 'A request with this Idempotency-Key was already received' });
    return;
  }
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'usd', customer: req.body.customerId });
  res.json({ clientSecret: intent.client_secret });
}));`,
    },
    {
      name: 'Next.js POST route handler: reported, no fix (no request/response pair to guard)',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function POST(request: Request) {
  const body = await request.json();
  const post = await prisma.post.create({ data: body });
  return Response.json(post, { status: 201 });
}`,
      fileName: 'app/api/posts/route.ts',
      errors: [{ messageId: 'record', line: 5 }],
      output: null,
    },
    {
      name: 'a read after the create is not an existence check',
      code: `${PRISMA}
app.post('/projects', async (req, res) => {
  const project = await prisma.project.create({ data: req.body });
  const owner = await prisma.user.findUnique({ where: { id: project.ownerId } });
  res.status(201).json({ project, owner });
});`,
      errors: [{ messageId: 'record', line: 7 }],
    },
    {
      name: 'Express handler with destructured parameters: reported, no fix',
      code: `${PRISMA}
app.post('/notes', async ({ body }, res) => {
  res.status(201).json(await prisma.note.create({ data: body }));
});`,
      errors: [{ messageId: 'record', line: 7 }],
      output: null,
    },
  ],
});
