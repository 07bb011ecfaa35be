import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as ts from 'typescript';
import { analyze, type Rule, type RuleContext } from '../../server/src/engine';
import { isFunctionLike } from '../../server/src/engine/external';
import { appInstances, boundaryOf, isRouteRegistration, type Boundary, type RouteRegistration } from '../../server/src/engine/frameworks';
import type { ProjectInfo } from '../../server/src/engine/project';

interface Probe {
  boundaries: Boundary[];
  registrations: RouteRegistration[];
  apps: string[];
}

/** Runs the engine's traversal with a probe rule that asks the framework helpers about every function and call. */
function probe(code: string, fileName = 'server.ts', project?: ProjectInfo): Probe {
  const result: Probe = { boundaries: [], registrations: [], apps: [] };
  let context: RuleContext | undefined;
  const rule: Rule = {
    meta: { id: 'probe', category: 'fallbacks', defaultSeverity: 'info', description: 'probe', messages: {}, hasFix: false },
    create(ruleContext) {
      context = ruleContext;
      const onFunction = (node: ts.Node): void => {
        if (!isFunctionLike(node)) return;
        const boundary = boundaryOf(node, ruleContext);
        if (boundary) result.boundaries.push(boundary);
      };
      return {
        kinds: {
          [ts.SyntaxKind.ArrowFunction]: onFunction,
          [ts.SyntaxKind.FunctionExpression]: onFunction,
          [ts.SyntaxKind.FunctionDeclaration]: onFunction,
          [ts.SyntaxKind.MethodDeclaration]: onFunction,
          [ts.SyntaxKind.CallExpression]: (node) => {
            const registration = isRouteRegistration(node as ts.CallExpression, ruleContext);
            if (registration) result.registrations.push(registration);
          },
        },
        onEnd: () => {
          if (context) result.apps = appInstances(context).map((app) => `${app.name}:${app.framework}:${app.role}`);
        },
      };
    },
  };
  const analysis = analyze(fileName, code, { rules: [rule], project, includeGenerated: true });
  assert.deepEqual(analysis.ruleErrors, []);
  return result;
}

function labels(code: string, fileName?: string, project?: ProjectInfo): string[] {
  return probe(code, fileName, project).boundaries.map((boundary) => `${boundary.kind}|${boundary.framework}|${boundary.label}`);
}

describe('frameworks: HTTP apps and route registrations', () => {
  it('recognises Express apps and routers from bindings, with methods and paths', () => {
    const result = probe(`import express, { Router } from 'express';
const app = express();
const api = express.Router();
const admin = Router();
const server = app.listen(3000);
app.use(express.json());
app.get('/users/:id', async (req, res) => { res.json({}); });
api.post('/orders', auth, createOrder);
admin.route('/reports').get(listReports).delete(clearReports);
app.get('env');
function auth() {}
function createOrder() {}
function listReports() {}
function clearReports() {}`);
    assert.deepEqual(result.apps.sort(), ['admin:express:router', 'api:express:router', 'app:express:app']);
    assert.deepEqual(result.registrations.map((r) => `${r.method} ${r.path ?? '-'} ${r.handlers.length}`), [
      'USE - 1', 'GET /users/:id 1', 'POST /orders 2', 'DELETE /reports 1', 'GET /reports 1',
    ]);
  });

  it('does not take a Map, a cache or an unknown object for an app', () => {
    const result = probe(`const cache = new Map<string, () => void>();
cache.get('x');
const app = createApp();
app.get('/users', (req, res) => res.send('ok'));
declare function createApp(): any;
import { get } from './http';
get('/users', async () => {});`);
    assert.deepEqual(result.registrations, []);
    assert.deepEqual(result.boundaries, []);
    assert.deepEqual(result.apps, []);
  });

  it('recognises Koa, @koa/router, Fastify and Hono', () => {
    const result = probe(`import Koa from 'koa';
import Router from '@koa/router';
import Fastify from 'fastify';
import { Hono } from 'hono';
const app = new Koa();
const router = new Router();
const fastify = Fastify({ logger: true });
const hono = new Hono();
app.use(async (ctx, next) => { await next(); });
router.get('/items', async (ctx) => { ctx.body = []; }).post('/items', async (ctx) => { ctx.status = 201; });
fastify.get('/health', async (request, reply) => ({ ok: true }));
fastify.route({ method: 'POST', url: '/jobs', handler: async (request, reply) => reply.send({}) });
hono.get('/ping', (c) => c.text('pong'));
new Hono().post('/inline', (c) => c.json({}));`);
    assert.deepEqual(result.registrations.map((r) => `${r.framework} ${r.method} ${r.path ?? '-'}`), [
      'koa USE -', 'koa-router POST /items', 'koa-router GET /items', 'fastify GET /health', 'fastify POST /jobs', 'hono GET /ping', 'hono POST /inline',
    ]);
  });

  it('recognises typed app parameters and Fastify plugins, but not untyped parameters', () => {
    const result = probe(`import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { Router } from 'express';
const app = Fastify();
export async function routes(fastify: FastifyInstance) {
  fastify.get('/a', async () => 'a');
}
export function mount(router: Router) {
  router.post('/b', (req, res) => res.end());
}
app.register(async (instance) => {
  instance.put('/c', async () => 'c');
});
export function untyped(app) {
  app.delete('/d', (req, res) => res.end());
}`);
    assert.deepEqual(result.registrations.map((r) => `${r.framework} ${r.method} ${r.path}`), ['fastify GET /a', 'express POST /b', 'fastify PUT /c']);
  });
});

describe('frameworks: boundaries', () => {
  it('labels Express handlers with the version from package.json', () => {
    const code = `import express from 'express';
const app = express();
app.get('/users', async (req, res) => { res.json([]); });`;
    const unknown = probe(code).boundaries[0];
    assert.equal(unknown.label, 'Express 4 (or unknown version) route handler for GET /users');
    assert.equal(unknown.rejection, 'unhandled');
    assert.deepEqual(unknown.params, { request: 'req', response: 'res' });
    const five = probe(code, 'server.ts', { dependencies: { express: '^5.0.1' } }).boundaries[0];
    assert.equal(five.label, 'Express 5 route handler for GET /users');
    assert.equal(five.rejection, 'forwarded');
    const patched = probe(`import 'express-async-errors';\n${code}`, 'server.ts', { dependencies: { express: '^4.19.2' } }).boundaries[0];
    assert.equal(patched.rejection, 'forwarded');
  });

  it('finds handlers registered by name, error middleware roles, and wrappers', () => {
    const result = probe(`import express from 'express';
import asyncHandler from 'express-async-handler';
const app = express();
async function listUsers(req, res) { res.json([]); }
const onError = (err, req, res, next) => { res.status(500).end(); };
app.get('/users', listUsers);
app.post('/users', asyncHandler(async (request, response) => { response.end(); }));
app.put('/users/:id', withAuth(async (req, res) => { res.end(); }));
app.use(onError);
declare function withAuth(fn: unknown): any;`);
    const byLabel = new Map(result.boundaries.map((b) => [b.label, b]));
    assert.ok(byLabel.has('Express 4 (or unknown version) route handler for GET /users'));
    assert.deepEqual(byLabel.get('Express 4 (or unknown version) middleware')?.params, { error: 'err', request: 'req', response: 'res', next: 'next' });
    assert.deepEqual(byLabel.get('Express 4 (or unknown version) route handler for POST /users')?.wrapper, { name: 'asyncHandler', catchesRejections: true });
    assert.deepEqual(byLabel.get('Express 4 (or unknown version) route handler for PUT /users/:id')?.wrapper, { name: 'withAuth', catchesRejections: false });
  });

  it('recognises Next.js route handlers and pages API routes by file, and nothing elsewhere', () => {
    const route = `export async function GET(request: Request) { return Response.json({}); }
export const POST = async (request: Request) => Response.json({});
export function helper() {}`;
    assert.deepEqual(labels(route, 'src/app/api/users/route.ts'), ['route|next|Next.js route handler GET', 'route|next|Next.js route handler POST']);
    assert.deepEqual(labels(route, 'src/app/api/users/page.ts'), []);
    assert.deepEqual(labels(`export default async function handler(req, res) { res.status(200).end(); }`, 'pages/api/users.ts'), ['route|next-pages|Next.js API route']);
    assert.deepEqual(labels(`async function handler(req, res) { res.end(); }\nexport default handler;`, 'pages/api/users/[id].js'), ['route|next-pages|Next.js API route']);
  });

  it('recognises NestJS controller methods and scheduled jobs, not undecorated methods', () => {
    const result = labels(`import { Controller, Get, Post } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
@Controller('users')
export class UsersController {
  @Get(':id') async find() { return {}; }
  @Post() async create() { return {}; }
  async helper() { return 1; }
  @Cron('0 * * * *') async sweep() {}
}
class NotAController {
  @Get() async find() { return {}; }
}`);
    assert.deepEqual(result, [
      'route|nestjs|NestJS controller method GET :id',
      'route|nestjs|NestJS controller method POST',
      'job|nestjs-schedule|NestJS scheduled job',
    ]);
  });

  it('recognises queue consumers and scheduled jobs from their modules', () => {
    const result = labels(`import { Worker } from 'bullmq';
import { Kafka } from 'kafkajs';
import amqp from 'amqplib';
import { Consumer } from 'sqs-consumer';
import cron from 'node-cron';
new Worker('emails', async (job) => { await send(job.data); });
const kafka = new Kafka({ brokers: ['k:9092'] });
const consumer = kafka.consumer({ groupId: 'g' });
await consumer.run({ eachMessage: async ({ message }) => { await handle(message); } });
const connection = await amqp.connect('amqp://localhost');
const channel = await connection.createChannel();
channel.consume('tasks', async (msg) => { await handle(msg); });
Consumer.create({ queueUrl: 'q', handleMessage: async (message) => { await handle(message); } });
cron.schedule('*/5 * * * *', async () => { await sweep(); });
setInterval(async () => { await sweep(); }, 60_000);
declare function send(x: unknown): Promise<void>;
declare function handle(x: unknown): Promise<void>;
declare function sweep(): Promise<void>;`);
    assert.deepEqual(result, [
      'consumer|bullmq|BullMQ worker processor',
      'consumer|kafkajs|kafkajs consumer handler',
      'consumer|amqplib|amqplib consume callback',
      'consumer|sqs-consumer|SQS consumer handler',
      'job|node-cron|node-cron job',
      'job|timers|setInterval callback',
    ]);
  });

  it('recognises listeners on EventEmitter instances and process, not on unknown emitters', () => {
    const result = labels(`import { EventEmitter } from 'node:events';
const bus = new EventEmitter();
bus.on('order.created', async (order) => { await notify(order); });
process.once('SIGTERM', async () => { await close(); });
const emitter = getEmitter();
emitter.on('data', async () => { await close(); });
const map = new Map();
map.get('x', async () => {});
declare function notify(x: unknown): Promise<void>;
declare function close(): Promise<void>;
declare function getEmitter(): any;`);
    assert.deepEqual(result, ["listener|events|EventEmitter listener for 'order.created'", "listener|process|`process` listener for 'SIGTERM'"]);
  });

  it('recognises Lambda handlers only with evidence beyond the name', () => {
    assert.deepEqual(labels(`export const handler = async (event) => ({ statusCode: 200 });`, 'index.mjs'), ['lambda|aws-lambda|Lambda handler']);
    assert.deepEqual(labels(`exports.handler = async function (event, context) { return {}; };`, 'index.js'), ['lambda|aws-lambda|Lambda handler']);
    assert.deepEqual(labels(`import type { SQSEvent } from 'aws-lambda';\nexport async function handler(batch: SQSEvent) {}`), ['lambda|aws-lambda|Lambda handler']);
    assert.deepEqual(labels(`export async function handler(input: string) { return input; }`), []);
  });

  it('does not treat a local setInterval or a shadowed process as the global', () => {
    assert.deepEqual(labels(`function setInterval(fn: () => void, ms: number) { fn(); }
setInterval(async () => {}, 10);
export function f(process: { on(e: string, fn: () => void): void }) { process.on('x', async () => {}); }`), []);
  });
});
