import { missingGracefulShutdown } from '../../server/src/rules/missing-graceful-shutdown';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(missingGracefulShutdown, {
  valid: [
    {
      name: 'SIGTERM handler that closes the server',
      code: `import express from 'express';
const app = express();
app.get('/', (req, res) => res.send('ok'));
const server = app.listen(3000);
process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
    },
    {
      name: 'signals handled in a loop over names',
      code: `const http = require('http');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(8080);
['SIGINT', 'SIGTERM'].forEach((signal) => process.once(signal, () => server.close()));`,
      fileName: 'server.js',
    },
    {
      name: '@godaddy/terminus',
      code: `import http from 'node:http';
import express from 'express';
import { createTerminus } from '@godaddy/terminus';
const app = express();
const server = http.createServer(app);
createTerminus(server, { timeout: 10000, onSignal: async () => {} });
server.listen(3000);`,
    },
    {
      name: 'http-terminator',
      code: `import { createHttpTerminator } from 'http-terminator';
import Koa from 'koa';
const app = new Koa();
const server = app.listen(3000);
export const terminator = createHttpTerminator({ server });`,
    },
    {
      name: 'Fastify with close-with-grace',
      code: `import Fastify from 'fastify';
import closeWithGrace from 'close-with-grace';
const app = Fastify();
closeWithGrace({ delay: 10000 }, async () => { await app.close(); });
await app.listen({ port: 3000 });`,
      fileName: 'server.mts',
    },
    {
      name: 'NestJS with enableShutdownHooks',
      code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(3000);
}
bootstrap();`,
    },
    {
      name: 'a project shutdown helper imported and used',
      code: `import express from 'express';
import { registerGracefulShutdown } from './lifecycle';
const app = express();
const server = app.listen(3000);
registerGracefulShutdown(server);`,
    },
    {
      name: 'listen on something that is not an HTTP server (a pg client LISTEN helper, an emitter)',
      code: `import { EventEmitter } from 'events';
import { Client } from 'pg';
const bus = new EventEmitter();
const notifications = { listen: (channel: string) => bus.emit('listen', channel) };
notifications.listen('orders');
const client = new Client();
export async function subscribe() { await client.query('LISTEN orders'); }`,
    },
    {
      name: 'listen inside an exported function this file never calls (the caller owns the process)',
      code: `import express from 'express';
export function startServer(port: number) {
  const app = express();
  app.get('/', (req, res) => res.send('ok'));
  return app.listen(port);
}`,
    },
    {
      name: 'the started server is exported (a test or an entry point imports it)',
      code: `const express = require('express');
const app = express();
app.get('/', (req, res) => res.send('ok'));
module.exports = app.listen(3000);`,
      fileName: 'app.js',
    },
    {
      name: 'listen in a class method (started by whoever instantiates it)',
      code: `import express from 'express';
export class HttpServer {
  private app = express();
  start(port: number) { return this.app.listen(port); }
}`,
    },
    {
      name: 'test files are not production code',
      code: `import express from 'express';
const app = express();
const server = app.listen(0);`,
      fileName: 'server.test.ts',
    },
  ],
  invalid: [
    {
      name: 'Express app.listen not kept: named, handler closes the pg pool and redis client',
      code: `import express from 'express';
import { Pool } from 'pg';
import { createClient } from 'redis';

const pool = new Pool();
const redis = createClient();
const app = express();
app.get('/orders', async (req, res) => res.json((await pool.query('SELECT 1')).rows));

app.listen(3000, () => console.log('listening'));`,
      errors: [{ messageId: 'node', line: 10, column: 1 }],
      output: `import express from 'express';
import { Pool } from 'pg';
import { createClient } from 'redis';

const pool = new Pool();
const redis = createClient();
const app = express();
app.get('/orders', async (req, res) => res.json((await pool.query('SELECT 1')).rows));

const server = app.listen(3000, () => console.log('listening'));
let shuttingDown = false;
const shutdown = () => {
  if (shuttingDown) return;
  shuttingDown = true;
  // Hard deadline in case a connection never drains; unref() so this timer alone keeps nothing alive.
  setTimeout(() => process.exit(1), 10_000).unref();
  // Stops accepting connections; the callback runs once in-flight requests have finished.
  server.close(() => {
    void Promise.allSettled([pool.end(), redis.quit()]).then(() => process.exit(0));
  });
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);`,
    },
    {
      name: 'http.createServer(app) kept in a variable, in a bootstrap function that is called; prisma closed',
      code: `const http = require('http');
const express = require('express');
const { PrismaClient } = require('@prisma/client');

const prisma = new PrismaClient();

function main() {
  const app = express();
  const httpServer = http.createServer(app);
  httpServer.listen(process.env.PORT || 3000);
}

main();`,
      fileName: 'index.js',
      errors: [{ messageId: 'node', line: 10 }],
      output: `const http = require('http');
const express = require('express');
const { PrismaClient } = require('@prisma/client');

const prisma = new PrismaClient();

function main() {
  const app = express();
  const httpServer = http.createServer(app);
  httpServer.listen(process.env.PORT || 3000);
  let shuttingDown = false;
  const shutdown = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Hard deadline in case a connection never drains; unref() so this timer alone keeps nothing alive.
    setTimeout(() => process.exit(1), 10_000).unref();
    // Stops accepting connections; the callback runs once in-flight requests have finished.
    httpServer.close(() => {
      void Promise.allSettled([prisma.$disconnect()]).then(() => process.exit(0));
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main();`,
    },
    {
      name: 'Koa listen result kept in a variable; mongoose disconnected',
      code: `import Koa from 'koa';
import mongoose from 'mongoose';

const app = new Koa();
const listener = app.listen(4000);`,
      errors: [{ messageId: 'node', line: 5 }],
      output: `import Koa from 'koa';
import mongoose from 'mongoose';

const app = new Koa();
const listener = app.listen(4000);
let shuttingDown = false;
const shutdown = () => {
  if (shuttingDown) return;
  shuttingDown = true;
  // Hard deadline in case a connection never drains; unref() so this timer alone keeps nothing alive.
  setTimeout(() => process.exit(1), 10_000).unref();
  // Stops accepting connections; the callback runs once in-flight requests have finished.
  listener.close(() => {
    void Promise.allSettled([mongoose.disconnect()]).then(() => process.exit(0));
  });
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);`,
    },
    {
      name: 'bare listen when `server` and `shutdown` are taken: free names chosen',
      code: `import express from 'express';
const server = { name: 'api' };
function shutdown() { return server.name; }
const app = express();
app.listen(3000);`,
      errors: [{ messageId: 'node', line: 5 }],
      output: `import express from 'express';
const server = { name: 'api' };
function shutdown() { return server.name; }
const app = express();
const httpServer = app.listen(3000);
let shuttingDown = false;
const shutdownServer = () => {
  if (shuttingDown) return;
  shuttingDown = true;
  // Hard deadline in case a connection never drains; unref() so this timer alone keeps nothing alive.
  setTimeout(() => process.exit(1), 10_000).unref();
  // Stops accepting connections; the callback runs once in-flight requests have finished.
  httpServer.close(() => process.exit(0));
};
process.once('SIGTERM', shutdownServer);
process.once('SIGINT', shutdownServer);`,
    },
    {
      name: 'Fastify in an async start function: app.close()',
      code: `import Fastify from 'fastify';

const start = async () => {
  const app = Fastify({ logger: true });
  app.get('/', async () => ({ ok: true }));
  await app.listen({ port: 3000, host: '0.0.0.0' });
};
start();`,
      errors: [{ messageId: 'fastify', line: 6 }],
      output: `import Fastify from 'fastify';

const start = async () => {
  const app = Fastify({ logger: true });
  app.get('/', async () => ({ ok: true }));
  await app.listen({ port: 3000, host: '0.0.0.0' });
  let shuttingDown = false;
  const shutdown = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Hard deadline in case a connection never drains; unref() so this timer alone keeps nothing alive.
    setTimeout(() => process.exit(1), 10_000).unref();
    // Stops accepting connections, waits for in-flight requests, runs onClose hooks.
    void app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};
start();`,
    },
    {
      name: 'NestJS main.ts: enableShutdownHooks before listen',
      code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
bootstrap();`,
      errors: [{ messageId: 'nestjs', line: 7 }],
      output: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  await app.listen(3000);
}
bootstrap();`,
    },
    {
      name: 'listen inside a callback expression: reported, no fix (no statement to anchor the handler)',
      code: `import express from 'express';
import mongoose from 'mongoose';
const app = express();
mongoose.connect(process.env.MONGO_URL!).then(() => app.listen(3000));`,
      errors: [{ messageId: 'node', line: 4 }],
      output: null,
    },
    {
      name: 'reported once per file, at the first listen',
      code: `import express from 'express';
const app = express();
const admin = express();
const server = app.listen(3000);
const adminServer = admin.listen(3001);`,
      errors: [{ messageId: 'node', line: 4 }],
    },
  ],
});
