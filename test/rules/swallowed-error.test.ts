import { swallowedError } from '../../server/src/rules/swallowed-error';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(swallowedError, {
  valid: [
    {
      name: 'an error response whose body may not be JSON',
      code: `export async function describeFailure(response: Response): Promise<string> {
  return response
    .json()
    .then((body: { message?: string }) => body.message ?? 'Unknown error')
    .catch(() => 'Unknown error');
}`,
    },
    {
      name: 'a command-line tool: its user sees the outcome at the terminal',
      fileName: 'packages/tool/src/commands/dev.ts',
      code: `import { Command } from 'commander';
import { openTunnel, reuseTunnel } from './tunnel';
export const dev = new Command('dev').action(async (options: { url?: string }) => {
  try {
    await reuseTunnel(options.url);
  } catch {
    await openTunnel();
  }
});`,
    },
    {
      name: 'URL parsing with helpers on the parsed value, falling back to the input',
      code: `const TRACKING = ['utm_source', 'utm_medium'];
export function stripTracking(link: string) {
  try {
    const parsed = new URL(link);
    TRACKING.forEach((name) => parsed.searchParams.delete(name));
    return parsed.toString();
  } catch {
    return link;
  }
}`,
    },
    {
      name: 'JSON.parse checked with Object.keys: invalid input answers false',
      code: `export function hasSettings(raw: string) {
  try {
    const value = JSON.parse(raw);
    return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
  } catch {
    return false;
  }
}`,
    },
    {
      name: 'decoding a request body that may not be JSON',
      code: `export async function describeRequest(req: Request) {
  let body: unknown = null;
  try {
    body = await req.clone().json();
  } catch {}
  return { method: req.method, body };
}`,
    },
    {
      name: 'a try block with no call at all (runtimes that throw on a missing global)',
      code: `export function readGlobal(name: string): unknown {
  try {
    return (globalThis as Record<string, unknown>)[name];
  } catch {
    // some edge runtimes throw here
  }
  return undefined;
}`,
    },
    {
      name: 'a yes/no probe: the failure is the answer',
      code: `import { promises as fs } from 'fs';
export async function pathExists(target: string): Promise<boolean> {
  try {
    await fs.access(target);
    return true;
  } catch {
    return false;
  }
}`,
    },
    {
      name: 'test helper under a test directory',
      fileName: 'test/helpers/db.ts',
      code: `import { pool } from '../../src/db';
export async function resetDatabase() {
  try {
    await pool.query('drop table if exists widgets');
  } catch {}
}`,
    },
    {
      name: 'browser code is not reviewed (Failpath reviews server-side failure paths)',
      code: `'use client';
import { useState } from 'react';
export function SaveButton() {
  const [saving, setSaving] = useState(false);
  async function save() {
    try {
      await fetch('/api/save', { method: 'POST' });
    } catch {
      setSaving(false);
    }
  }
  return null;
}`,
      fileName: 'SaveButton.tsx',
    },
    {
      name: 'the error is logged with the structured logger',
      code: `import { logger } from './lib/logger';
export async function syncInventory(sku: string) {
  try {
    await warehouse.sync(sku);
  } catch (err) {
    logger.warn({ err, sku }, 'inventory sync failed');
  }
}`,
    },
    {
      name: 'a log line without the error still records the failure',
      code: `export async function warmCache() {
  try {
    await cache.warm();
  } catch {
    log.warn('cache warm-up failed, serving cold');
  }
}`,
    },
    {
      name: 'rethrown as it is',
      code: `export async function load(id: string) {
  try {
    return await db.find(id);
  } catch (err) {
    await db.rollback();
    throw err;
  }
}`,
    },
    {
      name: 'a new error thrown (error-cause-lost judges the cause)',
      code: `export async function charge(amount: number) {
  try {
    return await gateway.charge(amount);
  } catch {
    throw new PaymentError('charge failed');
  }
}`,
    },
    {
      name: 'Express: handed to next(err)',
      code: `router.get('/orders/:id', async (req, res, next) => {
  try {
    res.json(await orders.get(req.params.id));
  } catch (err) {
    next(err);
  }
});`,
    },
    {
      name: 'the error is sent in the response',
      code: `app.post('/upload', async (req, res) => {
  try {
    await storage.put(req.body);
    res.sendStatus(201);
  } catch (err) {
    res.status(500).send(err.message);
  }
});`,
    },
    {
      name: 'the error is returned as a value',
      code: `export async function tryRefund(id: string) {
  try {
    return { ok: true, refund: await payments.refund(id) };
  } catch (error) {
    return { ok: false, error };
  }
}`,
    },
    {
      name: 'the error is recorded on the tracing span',
      code: `export async function handle(job: Job) {
  try {
    await process(job);
  } catch (e) {
    span.recordException(e as Error);
  }
}`,
    },
    {
      name: 'a metric is recorded without the error',
      code: `export async function publish(event: DomainEvent) {
  try {
    await bus.publish(event);
  } catch {
    metrics.increment('events.publish.failed');
  }
}`,
    },
    {
      name: 'a failure counter is bumped',
      code: `export async function importAll(rows: Row[]) {
  let failed = 0;
  for (const row of rows) {
    try {
      await importRow(row);
    } catch {
      failed++;
    }
  }
  return failed;
}`,
    },
    {
      name: 'promise executor: rejected',
      code: `export function readConfig(path: string) {
  return new Promise((resolve, reject) => {
    try {
      resolve(loadSync(path));
    } catch (err) {
      reject(err);
    }
  });
}`,
    },
    {
      name: 'the error is inspected to decide',
      code: `export async function readOptional(path: string) {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}`,
    },
    {
      name: 'JSON.parse fallback: a malformed string is not an incident',
      code: `export function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}`,
    },
    {
      name: 'URL validation with new URL',
      code: `export function isValidUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}`,
    },
    {
      name: 'optional dependency probed with require',
      code: `let sharp;
try {
  sharp = require('sharp');
} catch {
  sharp = undefined;
}
module.exports = { sharp };`,
      fileName: 'image.js',
    },
    {
      name: 'zod schema parse answered with a 400',
      code: `import { z } from 'zod';
const Body = z.object({ email: z.string().email() });
app.post('/signup', async (req, res) => {
  let body;
  try {
    body = Body.parse(req.body);
  } catch {
    return res.status(400).json({ error: 'invalid body' });
  }
  await users.create(body);
  res.sendStatus(201);
});`,
    },
    {
      name: 'a bounded retry that throws when attempts run out',
      code: `export async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await fn();
    } catch {
      await sleep(2 ** attempt * 100);
    }
  }
  throw new Error('gave up after 3 attempts');
}`,
    },
    {
      name: '.catch that logs the rejection',
      code: `export function notify(userId: string) {
  mailer.sendWelcome(userId).catch((err) => logger.error({ err, userId }, 'welcome email failed'));
}`,
    },
    {
      name: '.catch handed to a named handler (cannot see it)',
      code: `export function start() {
  server.listen().catch(handleFatal);
  queue.drain().catch(next);
}`,
    },
    {
      name: '.catch(() => {}) only silences a promise awaited later',
      code: `export async function handler(req: Request) {
  const profile = loadProfile(req.userId);
  profile.catch(() => {});
  const settings = await loadSettings(req.userId);
  return { settings, profile: await profile };
}`,
    },
    {
      name: '.then with a rejection handler that uses the error',
      code: `export function start() {
  return connect().then(() => ready(), (err) => shutdown(err));
}`,
    },
    {
      name: 'a catch that handles the error inside a nested callback',
      code: `export function schedule() {
  try {
    cron.start();
  } catch (err) {
    setImmediate(() => alertOps(err));
  }
}`,
    },
    {
      name: 'suppressed with a reason on the line before the catch',
      code: `export async function cleanup(tmpPath: string) {
  try {
    await fs.unlink(tmpPath);
    // failpath-ignore-next-line swallowed-error -- temp file; the OS cleans the directory on reboot
  } catch {}
}`,
    },
  ],
  invalid: [
    {
      name: 'the class already logs through this.logger: the fix uses it, message first like the class does',
      code: `export class InviteService {
  constructor(private readonly store: InviteStore, private readonly logger: AppLogger) {}
  async accept(token: string) {
    try {
      await this.store.consume(token);
    } catch (_error) {}
    this.logger.info('invite accepted', { token });
  }
}`,
      errors: [{ messageId: 'emptyCatch', line: 6 }],
      output: `export class InviteService {
  constructor(private readonly store: InviteStore, private readonly logger: AppLogger) {}
  async accept(token: string) {
    try {
      await this.store.consume(token);
    } catch (_error) {
      this.logger.error('store.consume failed', { err: _error });
    }
    this.logger.info('invite accepted', { token });
  }
}`,
    },
    {
      name: 'a license header does not set the indentation; the block\'s own statements do',
      code: `/*
 * Copyright (c) Example Corp.
 */
import { logger } from './lib/logger'
export async function topUp (wallets: WalletStore, userId: string, amount: number, res: Reply) {
  try {
    await wallets.increment(userId, amount)
    res.send({ ok: true })
  } catch {
    res.status(409).send({ ok: false })
  }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 9 }],
      output: `/*
 * Copyright (c) Example Corp.
 */
import { logger } from './lib/logger'
export async function topUp (wallets: WalletStore, userId: string, amount: number, res: Reply) {
  try {
    await wallets.increment(userId, amount)
    res.send({ ok: true })
  } catch (err) {
    logger.error({ err }, 'wallets.increment failed')
    res.status(409).send({ ok: false })
  }
}`,
    },
    {
      name: 'two operations before return true are not a probe: a database outage reads as "no"',
      code: `import { logger } from './lib/logger';
export async function redeemInvite(store: InviteStore, token: string): Promise<boolean> {
  try {
    await store.assertUnused(token);
    await store.markUsed(token);
    return true;
  } catch {
    return false;
  }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 7 }],
      output: `import { logger } from './lib/logger';
export async function redeemInvite(store: InviteStore, token: string): Promise<boolean> {
  try {
    await store.assertUnused(token);
    await store.markUsed(token);
    return true;
  } catch (err) {
    logger.error({ err }, 'store.assertUnused failed');
    return false;
  }
}`,
    },
    {
      name: 'parsing next to an awaited write is not local parsing',
      code: `import { logger } from './lib/logger';
import { Pool } from 'pg';
const pool = new Pool();
export async function saveSettings(userId: string, raw: string) {
  try {
    const settings = JSON.parse(raw);
    await pool.query('update users set settings = $1 where id = $2', [settings, userId]);
  } catch {
    return false;
  }
  return true;
}`,
      errors: [{ messageId: 'droppedInCatch', line: 8 }],
      output: `import { logger } from './lib/logger';
import { Pool } from 'pg';
const pool = new Pool();
export async function saveSettings(userId: string, raw: string) {
  try {
    const settings = JSON.parse(raw);
    await pool.query('update users set settings = $1 where id = $2', [settings, userId]);
  } catch (err) {
    logger.error({ err }, 'pool.query failed');
    return false;
  }
  return true;
}`,
    },
    {
      name: 'empty catch block in a service (no logger in the file: sets up the configured pino once)',
      code: `import { db } from './db';

export async function touchSession(id: string) {
  try {
    await db.sessions.update(id, { seenAt: new Date() });
  } catch {}
}`,
      errors: [{ messageId: 'emptyCatch', line: 6, column: 5 }],
      output: `import { db } from './db';
import pino from 'pino';
const logger = pino();

export async function touchSession(id: string) {
  try {
    await db.sessions.update(id, { seenAt: new Date() });
  } catch (err) {
    logger.error({ err }, 'db.sessions.update failed');
  }
}`,
    },
    {
      name: 'comments only: the explanation does not reach production logs',
      code: `import { logger } from './lib/logger';
export async function removeUpload(key: string) {
  try {
    await s3.deleteObject({ Bucket: 'uploads', Key: key });
  } catch (e) {
    // ignore: the object may already be gone
  }
}`,
      errors: [{ messageId: 'emptyCatch', line: 5 }],
      output: `import { logger } from './lib/logger';
export async function removeUpload(key: string) {
  try {
    await s3.deleteObject({ Bucket: 'uploads', Key: key });
  } catch (e) {
    logger.error({ err: e }, 's3.deleteObject failed');
    // ignore: the object may already be gone
  }
}`,
    },
    {
      name: 'returns a fallback without logging (log goes before the return)',
      code: `import { logger } from './lib/logger';
export async function getExchangeRate(currency: string) {
  try {
    const res = await ratesClient.get(currency);
    return res.rate;
  } catch (error) {
    return 1;
  }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 6 }],
      output: `import { logger } from './lib/logger';
export async function getExchangeRate(currency: string) {
  try {
    const res = await ratesClient.get(currency);
    return res.rate;
  } catch (error) {
    logger.error({ err: error }, 'ratesClient.get failed');
    return 1;
  }
}`,
    },
    {
      name: 'continue in a batch loop',
      code: `import { logger } from './lib/logger';
export async function sendReminders(users: User[]) {
  for (const user of users) {
    try {
      await mailer.send(user.email, 'reminder');
    } catch {
      continue;
    }
  }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 6 }],
      output: `import { logger } from './lib/logger';
export async function sendReminders(users: User[]) {
  for (const user of users) {
    try {
      await mailer.send(user.email, 'reminder');
    } catch (err) {
      logger.error({ err }, 'mailer.send failed');
      continue;
    }
  }
}`,
    },
    {
      name: 'a 500 answered without a log: nobody can tell why',
      code: `import express from 'express';
import pino from 'pino';
const logger = pino();
const app = express();
app.get('/report', async (req, res) => {
  try {
    res.json(await buildReport(req.query));
  } catch {
    res.status(500).json({ error: 'internal error' });
  }
});`,
      errors: [{ messageId: 'droppedInCatch', line: 8 }],
      output: `import express from 'express';
import pino from 'pino';
const logger = pino();
const app = express();
app.get('/report', async (req, res) => {
  try {
    res.json(await buildReport(req.query));
  } catch (err) {
    logger.error({ err }, 'buildReport failed');
    res.status(500).json({ error: 'internal error' });
  }
});`,
    },
    {
      name: 'catch binding name chosen so it does not clash with one in use',
      code: `import { logger } from './lib/logger';
export async function retryLater(err: Error, job: Job) {
  try {
    await queue.add(job);
  } catch {
    job.failed = true;
  }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 5 }],
      output: `import { logger } from './lib/logger';
export async function retryLater(err: Error, job: Job) {
  try {
    await queue.add(job);
  } catch (error) {
    logger.error({ err: error }, 'queue.add failed');
    job.failed = true;
  }
}`,
    },
    {
      name: 'winston logger already in the file',
      code: `const winston = require('winston');
const log = winston.createLogger({ transports: [new winston.transports.Console()] });
async function flush(buffer) {
  try {
    await analytics.track(buffer);
  } catch (err) {
    buffer.length = 0;
  }
}
module.exports = { flush };`,
      fileName: 'analytics.js',
      errors: [{ messageId: 'droppedInCatch', line: 6 }],
      output: `const winston = require('winston');
const log = winston.createLogger({ transports: [new winston.transports.Console()] });
async function flush(buffer) {
  try {
    await analytics.track(buffer);
  } catch (err) {
    log.error('analytics.track failed', { err });
    buffer.length = 0;
  }
}
module.exports = { flush };`,
    },
    {
      name: 'NestJS service with its Logger',
      code: `import { Injectable, Logger } from '@nestjs/common';
@Injectable()
export class BillingService {
  private readonly logger = new Logger(BillingService.name);
  async sync(accountId: string) {
    try {
      await this.gateway.syncAccount(accountId);
    } catch (err) {
      return false;
    }
    return true;
  }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 8 }],
      output: `import { Injectable, Logger } from '@nestjs/common';
@Injectable()
export class BillingService {
  private readonly logger = new Logger(BillingService.name);
  async sync(accountId: string) {
    try {
      await this.gateway.syncAccount(accountId);
    } catch (err) {
      this.logger.error('gateway.syncAccount failed', err instanceof Error ? err.stack : String(err));
      return false;
    }
    return true;
  }
}`,
    },
    {
      name: 'file without semicolons',
      code: `const { logger } = require('./logger')
async function ping () {
  try {
    await redis.ping()
  } catch (e) {
    return false
  }
  return true
}
module.exports = { ping }`,
      fileName: 'health.js',
      errors: [{ messageId: 'droppedInCatch', line: 5 }],
      output: `const { logger } = require('./logger')
async function ping () {
  try {
    await redis.ping()
  } catch (e) {
    logger.error({ err: e }, 'redis.ping failed')
    return false
  }
  return true
}
module.exports = { ping }`,
    },
    {
      name: 'JSON.parse of a file read is I/O, not local parsing',
      code: `import { readFileSync } from 'fs';
import { logger } from './lib/logger';
export function loadConfig(path: string) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch { return {}; }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 6 }],
      output: `import { readFileSync } from 'fs';
import { logger } from './lib/logger';
export function loadConfig(path: string) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) { logger.error({ err }, 'loadConfig failed'); return {}; }
}`,
    },
    {
      name: 'a loop that retries without throwing at the end drops the last error',
      code: `import { logger } from './lib/logger';
export async function tryConnect() {
  for (let i = 0; i < 3; i++) {
    try {
      return await db.connect();
    } catch {
      await sleep(100);
    }
  }
  return null;
}`,
      errors: [{ messageId: 'droppedInCatch', line: 6 }],
      output: `import { logger } from './lib/logger';
export async function tryConnect() {
  for (let i = 0; i < 3; i++) {
    try {
      return await db.connect();
    } catch (err) {
      logger.error({ err }, 'db.connect failed');
      await sleep(100);
    }
  }
  return null;
}`,
    },
    {
      name: '.catch(() => {}) on a fire-and-forget call',
      code: `import { logger } from './lib/logger';
export function trackSignup(userId: string) {
  analytics.capture({ event: 'signup', userId }).catch(() => {});
}`,
      errors: [{ messageId: 'emptyPromiseCatch', line: 3, column: 50 }],
      output: `import { logger } from './lib/logger';
export function trackSignup(userId: string) {
  analytics.capture({ event: 'signup', userId }).catch((err) => { logger.error({ err }, 'analytics.capture failed'); });
}`,
    },
    {
      name: '.catch with an expression body returning a fallback',
      code: `import { logger } from './lib/logger';
export const getFlags = (userId: string) => flagsClient.evaluate(userId).catch(() => DEFAULT_FLAGS);`,
      errors: [{ messageId: 'droppedInPromiseCatch', line: 2 }],
      output: `import { logger } from './lib/logger';
export const getFlags = (userId: string) => flagsClient.evaluate(userId).catch((err) => { logger.error({ err }, 'flagsClient.evaluate failed'); return DEFAULT_FLAGS; });`,
    },
    {
      name: '.catch(noop) is still swallowed',
      code: `import { noop } from 'lodash';
import { logger } from './lib/logger';
export function prefetch(id: string) {
  cache.prefetch(id).catch(noop);
}`,
      errors: [{ messageId: 'emptyPromiseCatch', line: 4 }],
      output: `import { noop } from 'lodash';
import { logger } from './lib/logger';
export function prefetch(id: string) {
  cache.prefetch(id).catch((err) => { logger.error({ err }, 'cache.prefetch failed'); });
}`,
    },
    {
      name: '.catch with a multi-line function body that ignores its parameter',
      code: `import { logger } from './lib/logger';
export function refresh(token: string) {
  return auth.refresh(token).catch(function (_e) {
    return null;
  });
}`,
      errors: [{ messageId: 'droppedInPromiseCatch', line: 3 }],
      output: `import { logger } from './lib/logger';
export function refresh(token: string) {
  return auth.refresh(token).catch(function (_e) {
    logger.error({ err: _e }, 'auth.refresh failed');
    return null;
  });
}`,
    },
    {
      name: '.then rejection handler that drops the error',
      code: `import { logger } from './lib/logger';
export function boot() {
  return migrations.run().then(() => true, () => false);
}`,
      errors: [{ messageId: 'droppedInPromiseCatch', line: 3 }],
      output: `import { logger } from './lib/logger';
export function boot() {
  return migrations.run().then(() => true, (err) => { logger.error({ err }, 'migrations.run failed'); return false; });
}`,
    },
    {
      name: 'two findings in one file set the logger up once',
      code: `export async function a() {
  try { await one(); } catch { return 1; }
}
export async function b() {
  try { await two(); } catch { return 2; }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 2 }, { messageId: 'droppedInCatch', line: 5 }],
      output: `import pino from 'pino';
const logger = pino();
export async function a() {
  try { await one(); } catch (err) { logger.error({ err }, 'one failed'); return 1; }
}
export async function b() {
  try { await two(); } catch (err) { logger.error({ err }, 'two failed'); return 2; }
}`,
    },
    {
      name: 'destructured catch binding not used: flagged, no fix',
      code: `export async function f() {
  try { await job.run(); } catch ({ message }) { return; }
}`,
      errors: [{ messageId: 'droppedInCatch', line: 2 }],
      output: null,
    },
  ],
});
