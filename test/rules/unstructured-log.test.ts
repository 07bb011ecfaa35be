import { unstructuredLog } from '../../server/src/rules/unstructured-log';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(unstructuredLog, {
  valid: [
    {
      name: 'a task runner file',
      fileName: 'Gruntfile.js',
      code: `module.exports = function (grunt) {
  grunt.registerTask('bundle', function () {
    const done = this.async();
    build().then(done).catch((err) => {
      console.error(err);
      done(false);
    });
  });
};`,
    },
    {
      name: 'a Jasmine helper under spec/',
      fileName: 'spec/support/server.js',
      code: `exports.reconfigure = async (server, options) => {
  try {
    await server.restart(options);
  } catch (err) {
    console.error('could not restart the test server', err);
    throw err;
  }
};`,
    },
    {
      name: 'code importing a browser-only build',
      fileName: 'src/utils/analytics.ts',
      code: `import mixpanel from 'mixpanel-browser';
export function identify(userId: string) {
  try {
    mixpanel.identify(userId);
  } catch (err) {
    console.error('analytics identify failed', err);
  }
}`,
    },
    {
      name: 'console deliberately let through the project\'s no-console lint rule on this line',
      code: `export async function refreshCache(cache: Cache) {
  try {
    await cache.refresh();
  } catch (err) {
    // eslint-disable-next-line no-console
    console.error('cache refresh failed', err);
  }
}`,
    },
    {
      name: 'console let through for the whole file',
      code: `/* eslint-disable no-console */
export function reportStartupFailure(err: Error) {
  console.error('could not start', err);
}`,
    },
    {
      name: 'a command-line tool built on commander: the console is its interface',
      fileName: 'packages/tool/src/commands/sync.ts',
      code: `import { Command } from 'commander';
export const sync = new Command('sync').action(async () => {
  try {
    await pushChanges();
  } catch (err) {
    console.error('Sync failed:', err);
    process.exitCode = 1;
  }
});`,
    },
    {
      name: 'a database migration run by an operator',
      fileName: 'src/migrations/20240110-add-index.ts',
      code: `export async function up(db: Db) {
  try {
    await db.schema.createIndex('orders_user_id', ['user_id']);
  } catch (err) {
    console.warn('index already present', err);
  }
}`,
    },
    {
      name: 'a seed file',
      fileName: 'prisma/seed.ts',
      code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
async function main() {
  await prisma.tag.createMany({ data: [{ name: 'news' }] });
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});`,
    },
    {
      name: 'a test helper outside a *.test file',
      fileName: 'test/helpers/socket.js',
      code: `exports.connect = (client) => new Promise((resolve, reject) => {
  client.on('error', (err) => {
    console.log('socket error', err.stack);
    reject(err);
  });
  client.on('connect', () => resolve(client));
});`,
    },
    {
      name: 'a browser AMD module served from public/',
      fileName: 'public/src/modules/drafts.js',
      code: `define('drafts', ['api'], function (api) {
  return {
    save: function (draft) {
      api.put('/drafts', draft).catch(function (err) {
        console.error(err);
      });
    },
  };
});`,
    },
    {
      name: 'code that reads browser globals with no typeof guard',
      fileName: 'src/editor/clipboard.ts',
      code: `export async function copyLink(url: string) {
  try {
    await navigator.clipboard.writeText(url);
  } catch (err) {
    console.warn('clipboard unavailable', err);
    window.prompt('Copy this link', url);
  }
}`,
    },
    {
      name: 'startup message',
      code: `import express from 'express';
const app = express();
const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log('listening on', port));`,
    },
    {
      name: 'console.log of ordinary values outside any error path',
      code: `export function summarize(orders: Order[]) {
  const total = orders.reduce((sum, order) => sum + order.amount, 0);
  console.info('processed orders', orders.length, total);
  return total;
}`,
    },
    {
      name: 'structured logger in the catch',
      code: `import pino from 'pino';
const logger = pino();
export async function sync() {
  try {
    await crm.sync();
  } catch (err) {
    logger.error({ err }, 'crm sync failed');
  }
}`,
    },
    {
      name: 'the success branch of a Node-style callback',
      code: `import fs from 'fs';
export function load(path: string) {
  fs.readFile(path, 'utf8', (err, data) => {
    if (err) return;
    console.log('loaded', data.length);
  });
}`,
    },
    {
      name: 'an array callback whose item happens to be called error',
      code: `export function printIssues(result: { errors: { path: string }[] }) {
  result.errors.forEach((error) => console.log(error.path));
}`,
    },
    {
      name: 'already one structured JSON line',
      code: `export async function handle(job: Job) {
  try {
    await job.run();
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'job failed', err: String(err) }));
  }
}`,
    },
    {
      name: 'a "use client" component',
      code: `'use client';
export function useProfile() {
  return fetch('/api/me').then((r) => r.json()).catch((err) => console.error(err));
}`,
      fileName: 'app/profile/useProfile.ts',
    },
    {
      name: 'a React component with no server-side import',
      code: `import React from 'react';
export function Avatar({ url }: { url: string }) {
  const onError = () => {
    try { preload(url); } catch (err) { console.warn('avatar preload failed', err); }
  };
  return <img src={url} onError={onError} />;
}`,
      fileName: 'components/Avatar.tsx',
    },
    {
      name: 'a test file',
      code: `it('rejects', async () => {
  try { await api.get('/x'); } catch (err) { console.log(err); }
});`,
      fileName: 'src/__tests__/api.test.ts',
    },
    {
      name: 'a command-line script (its console is its interface)',
      code: `#!/usr/bin/env node
async function main() {
  try {
    await migrate();
  } catch (err) {
    console.error('migration failed', err);
    process.exit(1);
  }
}
main();`,
      fileName: 'tools/migrate.js',
    },
    {
      name: 'a file under scripts/',
      code: `seed().catch((err) => { console.error(err); process.exit(1); });`,
      fileName: 'scripts/seed.ts',
    },
    {
      name: 'an identifier named err that is not bound to an error',
      code: `export function report(err: string) {
  console.log('status', err);
}`,
    },
    {
      name: 'a SIGTERM listener is not an error listener',
      code: `process.on('SIGTERM', () => console.log('shutting down'));`,
    },
    {
      name: 'suppressed with a reason',
      code: `export async function step() {
  try {
    await run();
  } catch (err) {
    // failpath-ignore-next-line unstructured-log -- printed to the operator's terminal during a manual migration
    console.error('migration step failed', err);
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'a typeof window guard marks code that also runs on the server',
      code: `import pino from 'pino';
const logger = pino();
export function currentOrigin(fallback: string) {
  if (typeof window !== 'undefined') return window.location.origin;
  try {
    return new URL(process.env.APP_URL ?? fallback).origin;
  } catch (err) {
    console.error('bad APP_URL', err);
    return fallback;
  }
}`,
      errors: [{ messageId: 'inErrorHandler', line: 8 }],
      output: `import pino from 'pino';
const logger = pino();
export function currentOrigin(fallback: string) {
  if (typeof window !== 'undefined') return window.location.origin;
  try {
    return new URL(process.env.APP_URL ?? fallback).origin;
  } catch (err) {
    logger.error({ err }, 'bad APP_URL');
    return fallback;
  }
}`,
    },
    {
      name: 'a server variable named document is not the browser global',
      code: `import pino from 'pino';
const logger = pino();
export async function publish(document: { id: string; save(): Promise<void> }) {
  try {
    await document.save();
  } catch (err) {
    console.error('publish failed', document.id, err);
  }
}`,
      errors: [{ messageId: 'inErrorHandler', line: 7 }],
      output: `import pino from 'pino';
const logger = pino();
export async function publish(document: { id: string; save(): Promise<void> }) {
  try {
    await document.save();
  } catch (err) {
    logger.error({ err, documentId: document.id }, 'publish failed');
  }
}`,
    },
    {
      name: 'the brief\'s example: message from the literal, orderId kept as context (pino set up once)',
      code: `import { Router } from 'express';
const router = Router();
router.post('/orders/:orderId/pay', async (req, res) => {
  const { orderId } = req.params;
  try {
    await payments.charge(orderId);
    res.sendStatus(204);
  } catch (err) {
    console.error('Payment failed:', orderId, err);
    res.status(502).json({ error: 'payment failed' });
  }
});`,
      errors: [{ messageId: 'inErrorHandler', line: 9, column: 5 }],
      output: `import { Router } from 'express';
import pino from 'pino';
const logger = pino();
const router = Router();
router.post('/orders/:orderId/pay', async (req, res) => {
  const { orderId } = req.params;
  try {
    await payments.charge(orderId);
    res.sendStatus(204);
  } catch (err) {
    logger.error({ err, orderId }, 'Payment failed');
    res.status(502).json({ error: 'payment failed' });
  }
});`,
    },
    {
      name: 'the logger already imported in the file; err.message folded into err',
      code: `import { logger } from '../lib/logger';
export async function syncUser(user: User) {
  try {
    await crm.upsert(user);
  } catch (e) {
    console.warn(\`CRM sync failed for \${user.id}: \${e.message}\`);
  }
}`,
      errors: [{ messageId: 'inErrorHandler', line: 6 }],
      output: `import { logger } from '../lib/logger';
export async function syncUser(user: User) {
  try {
    await crm.upsert(user);
  } catch (e) {
    logger.warn({ err: e, userId: user.id }, 'CRM sync failed for');
  }
}`,
    },
    {
      name: 'winston logger: message first, fields second',
      code: `const winston = require('winston');
const logger = winston.createLogger({ transports: [new winston.transports.Console()] });
function send(mail) {
  return transport.sendMail(mail).catch((error) => console.log('Mail error ' + error));
}
module.exports = { send };`,
      fileName: 'mailer.js',
      errors: [{ messageId: 'inErrorHandler', line: 4 }],
      output: `const winston = require('winston');
const logger = winston.createLogger({ transports: [new winston.transports.Console()] });
function send(mail) {
  return transport.sendMail(mail).catch((error) => logger.error('Mail error', { err: error }));
}
module.exports = { send };`,
    },
    {
      name: 'console.log in a catch without a binding: binding added, level error',
      code: `import { logger } from './logger';
export async function warm() {
  try {
    await cache.load();
  } catch {
    console.log('cache warm-up failed, continuing cold');
  }
}`,
      errors: [{ messageId: 'inErrorHandler', line: 6 }],
      output: `import { logger } from './logger';
export async function warm() {
  try {
    await cache.load();
  } catch (err) {
    logger.error({ err }, 'cache warm-up failed, continuing cold');
  }
}`,
    },
    {
      name: 'Express error middleware',
      code: `import express from 'express';
import { logger } from './logger';
const app = express();
app.use((err, req, res, next) => {
  console.error(err.stack);
  res.status(500).send('Something broke!');
});`,
      errors: [{ messageId: 'errorArgument', line: 5 }],
      output: `import express from 'express';
import { logger } from './logger';
const app = express();
app.use((err, req, res, next) => {
  logger.error({ err }, 'Unexpected error');
  res.status(500).send('Something broke!');
});`,
    },
    {
      name: 'Node-style callback error branch, with a property kept as context',
      code: `import fs from 'fs';
import { logger } from './logger';
export function loadTemplate(tpl: { path: string }) {
  fs.readFile(tpl.path, 'utf8', (err, data) => {
    if (err) {
      console.error('could not read template', tpl.path);
      return;
    }
    render(data);
  });
}`,
      errors: [{ messageId: 'inErrorHandler', line: 6 }],
      output: `import fs from 'fs';
import { logger } from './logger';
export function loadTemplate(tpl: { path: string }) {
  fs.readFile(tpl.path, 'utf8', (err, data) => {
    if (err) {
      logger.error({ err, path: tpl.path }, 'could not read template');
      return;
    }
    render(data);
  });
}`,
    },
    {
      name: 'stream error listener without a parameter',
      code: `import { logger } from './logger';
export function pipeUpload(upload: NodeJS.ReadableStream, sink: NodeJS.WritableStream) {
  upload.on('error', () => console.error('upload stream broke'));
  upload.pipe(sink);
}`,
      errors: [{ messageId: 'inErrorHandler', line: 3 }],
      output: `import { logger } from './logger';
export function pipeUpload(upload: NodeJS.ReadableStream, sink: NodeJS.WritableStream) {
  upload.on('error', (err) => logger.error({ err }, 'upload stream broke'));
  upload.pipe(sink);
}`,
    },
    {
      name: 'given a new Error outside any handler',
      code: `import { logger } from './logger';
export function checkConfig(config: Config) {
  if (!config.apiKey) {
    console.warn(new Error('API key missing; running in demo mode'));
  }
}`,
      errors: [{ messageId: 'errorArgument', line: 4 }],
      output: `import { logger } from './logger';
export function checkConfig(config: Config) {
  if (!config.apiKey) {
    logger.warn({ err: new Error('API key missing; running in demo mode') }, 'checkConfig failed');
  }
}`,
    },
    {
      name: 'an identifier bound to an Error',
      code: `import { logger } from './logger';
export function guard(limit: number, used: number) {
  const error = new RangeError('quota exceeded');
  if (used > limit) console.error(error, { limit, used });
}`,
      errors: [{ messageId: 'errorArgument', line: 4 }],
      output: `import { logger } from './logger';
export function guard(limit: number, used: number) {
  const error = new RangeError('quota exceeded');
  if (used > limit) logger.error({ err: error, limit, used }, 'guard failed');
}`,
    },
    {
      name: '.catch(console.error) as the rejection handler',
      code: `import { logger } from './logger';
export function start() {
  queue.process('emails', handleEmail).catch(console.error);
}`,
      errors: [{ messageId: 'consoleAsHandler', line: 3 }],
      output: `import { logger } from './logger';
export function start() {
  queue.process('emails', handleEmail).catch((err) => logger.error({ err }, 'queue.process failed'));
}`,
    },
    {
      name: 'NestJS service: its Logger field',
      code: `import { Injectable, Logger } from '@nestjs/common';
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);
  async build() {
    try {
      return await this.repo.aggregate();
    } catch (err) {
      console.error(err);
      return [];
    }
  }
}`,
      errors: [{ messageId: 'inErrorHandler', line: 9 }],
      output: `import { Injectable, Logger } from '@nestjs/common';
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);
  async build() {
    try {
      return await this.repo.aggregate();
    } catch (err) {
      this.logger.error('repo.aggregate failed', err instanceof Error ? err.stack : String(err));
      return [];
    }
  }
}`,
    },
    {
      name: 'an argument that cannot be carried over: flagged, no fix',
      code: `export async function pull() {
  try {
    await feed.pull();
  } catch (err) {
    console.error('pull failed', err, computeBacklog());
  }
}`,
      errors: [{ messageId: 'inErrorHandler', line: 5 }],
      output: null,
    },
    {
      name: 'a .tsx route handler that talks to the database is server code',
      code: `import React from 'react';
import { PrismaClient } from '@prisma/client';
import { logger } from '@/lib/logger';
const prisma = new PrismaClient();
export default async function Page() {
  try {
    const posts = await prisma.post.findMany();
    return <ul>{posts.length}</ul>;
  } catch (err) {
    console.error(err);
    return null;
  }
}`,
      fileName: 'app/posts/page.tsx',
      errors: [{ messageId: 'inErrorHandler', line: 10 }],
      output: `import React from 'react';
import { PrismaClient } from '@prisma/client';
import { logger } from '@/lib/logger';
const prisma = new PrismaClient();
export default async function Page() {
  try {
    const posts = await prisma.post.findMany();
    return <ul>{posts.length}</ul>;
  } catch (err) {
    logger.error({ err }, 'prisma.post.findMany failed');
    return null;
  }
}`,
    },
    {
      name: 'two console calls in one binding-less catch share the added binding',
      code: `import { logger } from './logger';
export async function retire(id: string) {
  try {
    await accounts.close(id);
  } catch {
    console.warn('close failed for', id);
    console.log('will retry tomorrow');
  }
}`,
      errors: [{ messageId: 'inErrorHandler', line: 6 }, { messageId: 'inErrorHandler', line: 7 }],
      output: `import { logger } from './logger';
export async function retire(id: string) {
  try {
    await accounts.close(id);
  } catch (err) {
    logger.warn({ err, id }, 'close failed for');
    logger.error({ err }, 'will retry tomorrow');
  }
}`,
    },
  ],
});
