import { retryWithoutBackoff } from '../../server/src/rules/retry-without-backoff';
import { runRuleTests } from '../helpers/ruleTester';

const TS_HELPER = `/** Calls \`fn\` up to \`attempts\` times; between attempts waits a random 0..min(maxMs, baseMs * 2^n) ms (full jitter). Rethrows the last error. */
async function retryWithBackoff<T>(fn: () => PromiseLike<T>, { attempts, baseMs, maxMs }: { attempts: number; baseMs: number; maxMs: number }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts) throw error;
      const backoffMs = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * backoffMs));
    }
  }
}
`;

runRuleTests(retryWithoutBackoff, {
  valid: [
    {
      name: 'capped exponential backoff with full jitter',
      code: `import axios from 'axios';
export async function getRates() {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await axios.get('https://rates.example.com/latest', { timeout: 3000 });
    } catch (err) {
      if (attempt === 4) throw err;
      const backoff = Math.min(10_000, 200 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * backoff));
    }
  }
}`,
    },
    {
      name: 'a fixed delay with jitter is acceptable (the catalog flags fixed delays without jitter)',
      code: `import { setTimeout as sleep } from 'node:timers/promises';
export async function ping(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2000) });
    } catch {
      await sleep(500 + Math.random() * 500);
    }
  }
  throw new Error('unreachable');
}`,
    },
    {
      name: 'a delay computed by a same-file backoff function with jitter',
      code: `import { Pool } from 'pg';
const pool = new Pool();
function backoffDelay(attempt: number) {
  return Math.random() * Math.min(5000, 100 * 2 ** attempt);
}
export async function connectWithRetry() {
  let attempt = 0;
  while (attempt < 6) {
    try {
      return await pool.connect();
    } catch (error) {
      attempt++;
      await new Promise((r) => setTimeout(r, backoffDelay(attempt)));
    }
  }
  throw new Error('database unavailable');
}`,
    },
    {
      name: 'a delay from a helper the rule cannot see into (imported) is given the benefit of the doubt',
      code: `import { computeRetryDelay } from './retry-policy';
export async function send(body: string) {
  for (let i = 0; i < 4; i++) {
    try {
      return await fetch('https://hooks.example.com/in', { method: 'POST', body });
    } catch {
      await new Promise((r) => setTimeout(r, computeRetryDelay(i)));
    }
  }
}`,
    },
    {
      name: 'pagination: each round asks for the next cursor, it is not a retry',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
export async function allCustomers() {
  const customers: Stripe.Customer[] = [];
  let startingAfter: string | undefined;
  while (true) {
    try {
      const page = await stripe.customers.list({ limit: 100, starting_after: startingAfter });
      customers.push(...page.data);
      if (!page.has_more) return customers;
      startingAfter = page.data[page.data.length - 1].id;
    } catch (err) {
      console.warn('page failed', err);
    }
  }
}`,
    },
    {
      name: 'polling until a state, without catch, is not a retry',
      code: `export async function waitForExport(id: string) {
  for (;;) {
    const res = await fetch(\`https://reports.example.com/exports/\${id}\`, { signal: AbortSignal.timeout(5000) });
    const body = await res.json();
    if (body.status === 'done') return body.url;
    await new Promise((r) => setTimeout(r, 2000));
  }
}`,
    },
    {
      name: 'a loop over a collection that keeps going after a failure',
      code: `import axios from 'axios';
export async function notifyAll(urls: string[]) {
  for (let i = 0; i < urls.length; i++) {
    try {
      await axios.post(urls[i], { event: 'deploy' }, { timeout: 2000 });
    } catch (err) {
      console.error({ err }, 'webhook failed');
    }
  }
}`,
    },
    {
      name: 'trying mirrors one after another (the counter indexes a list)',
      code: `const MIRRORS = ['https://a.example.com', 'https://b.example.com'];
export async function download(path: string) {
  for (let i = 0; i < 2; i++) {
    try {
      return await fetch(MIRRORS[i] + path, { signal: AbortSignal.timeout(5000) });
    } catch {}
  }
  throw new Error('all mirrors failed');
}`,
    },
    {
      name: 'retries done by a library (p-retry) are not re-judged',
      code: `import pRetry from 'p-retry';
export const load = (id: string) => pRetry(() => fetch('https://api.example.com/items/' + id, { signal: AbortSignal.timeout(3000) }), { retries: 5 });`,
    },
    {
      name: 'a generic helper that retries a function it was given (the rule cannot see what it calls)',
      code: `export async function retry<T>(fn: () => Promise<T>, times = 3): Promise<T> {
  for (let i = 0; i < times; i++) {
    try {
      return await fn();
    } catch {}
  }
  throw new Error('retries exhausted');
}`,
    },
    {
      name: 'the catch gives up at once (rethrows): no retry',
      code: `export async function load(url: string) {
  while (true) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(1000) });
    } catch (err) {
      throw new Error('upstream down', { cause: err });
    }
  }
}`,
    },
    {
      name: 'retrying a local computation, not an external call',
      code: `export function parseWithRetry(read: () => string) {
  for (let i = 0; i < 3; i++) {
    try {
      return JSON.parse(read());
    } catch {}
  }
  return null;
}`,
    },
    {
      name: 'a deadline bounds the retries, and the delay grows with jitter',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function acquire(key: string) {
  const deadline = Date.now() + 10_000;
  let delay = 50;
  while (Date.now() < deadline) {
    try {
      return await redis.set(key, '1', 'PX', 30_000, 'NX');
    } catch {
      await new Promise((r) => setTimeout(r, delay * Math.random()));
      delay = Math.min(delay * 2, 2000);
    }
  }
  return null;
}`,
    },
    {
      name: 'a recursive call that asks for a different variant (cache-busting fallback) is not a blind retry',
      code: `export const downloadReport = async (url: string, cache?: RequestCache): Promise<Blob | undefined> => {
  try {
    const res = await fetch(url, { cache, signal: AbortSignal.timeout(10_000) });
    return await res.blob();
  } catch {
    if (cache !== 'reload') return await downloadReport(url, 'reload');
    return undefined;
  }
};`,
    },
    {
      name: 'browser code is not reviewed',
      code: `'use client';
export async function save(form: FormData) {
  for (let i = 0; i < 3; i++) {
    try {
      return await fetch('/api/save', { method: 'POST', body: form });
    } catch {}
  }
}`,
      fileName: 'SaveButton.tsx',
    },
  ],
  invalid: [
    {
      name: 'counted loop with no delay: rewritten to the inserted helper',
      code: `import axios from 'axios';

export async function fetchInvoice(id: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await axios.get(\`https://billing.example.com/invoices/\${id}\`, { timeout: 5000 });
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 4, column: 3 }],
      output: `import axios from 'axios';

export async function fetchInvoice(id: string) {
  return await retryWithBackoff(() => axios.get(\`https://billing.example.com/invoices/\${id}\`, { timeout: 5000 }), { attempts: 3, baseMs: 200, maxMs: 10000 });
}

${TS_HELPER}`,
    },
    {
      name: 'fixed delay without jitter; the fixed delay becomes the base, the final throw and its error holder go',
      code: `const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function getProfile(userId: string) {
  let lastError: unknown;
  for (let i = 1; i <= 5; i++) {
    try {
      return await fetch(\`https://profiles.internal/users/\${userId}\`, { signal: AbortSignal.timeout(2000) });
    } catch (error) {
      lastError = error;
      await sleep(1000);
    }
  }
  throw lastError;
}
`,
      errors: [{ messageId: 'fixedDelay', line: 5 }],
      output: `const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function getProfile(userId: string) {
  return await retryWithBackoff(() => fetch(\`https://profiles.internal/users/\${userId}\`, { signal: AbortSignal.timeout(2000) }), { attempts: 5, baseMs: 1000, maxMs: 10000 });
}

${TS_HELPER}`,
    },
    {
      name: 'while (true) reconnect loop: no cap; JavaScript file gets an untyped helper and a default of 3 attempts',
      code: `const amqp = require('amqplib');

async function connect(url) {
  while (true) {
    try {
      return await amqp.connect(url);
    } catch (err) {
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

module.exports = { connect };
`,
      fileName: 'broker.js',
      errors: [{ messageId: 'noCap', line: 4 }],
      output: `const amqp = require('amqplib');

async function connect(url) {
  return await retryWithBackoff(() => amqp.connect(url), { attempts: 3, baseMs: 5000, maxMs: 40000 });
}

module.exports = { connect };

/** Calls \`fn\` up to \`attempts\` times; between attempts waits a random 0..min(maxMs, baseMs * 2^n) ms (full jitter). Rethrows the last error. */
async function retryWithBackoff(fn, { attempts, baseMs, maxMs }) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts) throw error;
      const backoffMs = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * backoffMs));
    }
  }
}
`,
    },
    {
      name: 'exponential backoff without jitter; two loops in one file share one inserted helper',
      code: `import { Pool } from 'pg';
const pool = new Pool();

export async function findUser(id: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await pool.query('select * from users where id = $1', [id]);
    } catch (err) {
      if (attempt === 3) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

export async function findOrg(id: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await pool.query('select * from orgs where id = $1', [id]);
    } catch (err) {
      if (attempt === 3) throw err;
      await new Promise((r) => setTimeout(r, Math.pow(2, attempt) * 100));
    }
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 5 }, { messageId: 'noJitter', line: 16 }],
      output: `import { Pool } from 'pg';
const pool = new Pool();

export async function findUser(id: string) {
  return await retryWithBackoff(() => pool.query('select * from users where id = $1', [id]), { attempts: 4, baseMs: 200, maxMs: 10000 });
}

export async function findOrg(id: string) {
  return await retryWithBackoff(() => pool.query('select * from orgs where id = $1', [id]), { attempts: 4, baseMs: 200, maxMs: 10000 });
}

${TS_HELPER}`,
    },
    {
      name: 'a delay variable that is assigned but never used: the wait stays fixed (fix not offered: the catch does more)',
      code: `import fetch from 'node-fetch';
export const fetchWithRetries = async (url: string, retries = 3, delay = 300) => {
  let retryCount = 0;
  let retryDelay = delay;
  while (retryCount < retries) {
    try {
      return await fetch(url);
    } catch (error) {
      retryCount = retryCount + 1;
      await new Promise((res) => setTimeout(res, delay));
      retryDelay = retryDelay * 2;
    }
  }
  throw new Error('Fetch reached max number of retries without succeeding');
};`,
      errors: [{ messageId: 'fixedDelay', line: 5 }],
      output: null,
    },
    {
      name: 'do/while with a decrementing counter and no delay',
      code: `import Redis from 'ioredis';
const redis = new Redis();
export async function publish(channel: string, message: string) {
  let retries = 3;
  do {
    try {
      await redis.publish(channel, message);
      return;
    } catch (err) {
      console.warn({ err }, 'publish failed, retrying');
    }
  } while (retries-- > 0);
}`,
      errors: [{ messageId: 'noDelay', line: 5, column: 3 }],
      output: null,
    },
    {
      name: 'success flag loop with no cap through a same-file function that calls the database',
      code: `import { Pool } from 'pg';
const pool = new Pool();
async function checkDatabase() {
  const client = await pool.connect();
  client.release();
}
export async function start() {
  let connected = false;
  while (!connected) {
    try {
      await checkDatabase();
      connected = true;
    } catch (err) {
      console.error(err);
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}`,
      errors: [{ messageId: 'noCap', line: 9 }],
      output: null,
    },
    {
      name: 'recursive retry with a counter and no delay',
      code: `import axios from 'axios';
export async function fetchToken(retries = 3): Promise<string> {
  try {
    const { data } = await axios.post('https://auth.example.com/token', {}, { timeout: 3000 });
    return data.token;
  } catch (err) {
    if (retries <= 0) throw err;
    return fetchToken(retries - 1);
  }
}`,
      errors: [{ messageId: 'noDelay', line: 8, column: 12 }],
      output: null,
    },
    {
      name: 'recursive retry with no cap at all',
      code: `import { createClient } from 'redis';
const client = createClient();
export async function connectRedis(): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    await new Promise((r) => setTimeout(r, 1000));
    return connectRedis();
  }
}`,
      errors: [{ messageId: 'noCap', line: 8 }],
      output: null,
    },
    {
      name: 'catch that logs: reported without a fix (rewriting would drop the log)',
      code: `import axios from 'axios';
export async function getQuote(symbol: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await axios.get('https://quotes.example.com/' + symbol, { timeout: 2000 });
    } catch (err) {
      console.warn('quote attempt failed', err);
    }
  }
  throw new Error('quote service unavailable');
}`,
      errors: [{ messageId: 'noDelay', line: 3 }],
      output: null,
    },
    {
      name: 'no fix when exhaustion falls back to a value (the helper would throw instead)',
      code: `import axios from 'axios';
export async function getFlags() {
  for (let i = 0; i < 3; i++) {
    try {
      return await axios.get('https://flags.example.com/all', { timeout: 2000 });
    } catch {}
  }
  return { data: {} };
}`,
      errors: [{ messageId: 'noDelay', line: 3 }],
      output: null,
    },
    {
      name: 'a retry helper named in settings is imported and called',
      code: `import axios from 'axios';

export async function fetchOrder(id: string) {
  for (let attempt = 0; attempt <= 2; attempt++) {
    try {
      return await axios.get('https://orders.example.com/' + id, { timeout: 4000 });
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}`,
      settings: { retryHelper: { module: '@acme/resilience', name: 'withRetry' } },
      errors: [{ messageId: 'noDelay', line: 4 }],
      output: `import axios from 'axios';
import { withRetry } from '@acme/resilience';

export async function fetchOrder(id: string) {
  return await withRetry(() => axios.get('https://orders.example.com/' + id, { timeout: 4000 }), { attempts: 3, baseMs: 200, maxMs: 10000 });
}`,
    },
    {
      name: 'an attempt that awaits twice becomes an async callback, re-indented',
      code: `export async function getJson(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await (
        await fetch(url, { signal: AbortSignal.timeout(3000) })
      ).json();
    } catch (err) {
      if (i === 2) throw err;
    }
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 2 }],
      output: `export async function getJson(url: string) {
  return await retryWithBackoff(async () => (
    await fetch(url, { signal: AbortSignal.timeout(3000) })
  ).json(), { attempts: 3, baseMs: 200, maxMs: 10000 });
}

${TS_HELPER}`,
    },
    {
      name: 'suppressed with a reason',
      code: `export async function warmup(url: string) {
  // failpath-ignore-next-line retry-without-backoff -- local sidecar, starts within a second
  for (let i = 0; i < 10; i++) {
    try { return await fetch(url, { signal: AbortSignal.timeout(100) }); } catch {}
  }
  for (let i = 0; i < 10; i++) {
    try { return await fetch(url, { signal: AbortSignal.timeout(100) }); } catch {}
  }
}`,
      errors: [{ messageId: 'noDelay', line: 6 }],
    },
  ],
});
