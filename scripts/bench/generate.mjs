// Realistic large files for the editor-latency benchmark: an Express router whose handlers call axios, fetch,
// a pg pool, Redis and Stripe, some with timeouts and handling, some without (so rules have work to report).

const HEADER = `import express from 'express';
import axios from 'axios';
import { Pool } from 'pg';
import Redis from 'ioredis';
import Stripe from 'stripe';
import pino from 'pino';

const logger = pino();
const db = new Pool({ connectionString: process.env.DATABASE_URL });
const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
const stripe = new Stripe(process.env.STRIPE_KEY ?? '');
const inventory = axios.create({ baseURL: 'https://inventory.internal', timeout: 2000 });
export const router = express.Router();
`;

const HANDLERS = [
  (n) => `
router.get('/orders/:id/summary-${n}', async (req, res) => {
  const orderId = req.params.id;
  const limit = ${n % 50};
  const { rows } = await db.query('SELECT * FROM orders WHERE id = $1 LIMIT $2', [orderId, limit]);
  const { data } = await axios.get(\`https://pricing.internal/quotes/\${orderId}\`);
  res.json({ order: rows[0], quote: data });
});
`,
  (n) => `
router.post('/orders/:id/refund-${n}', async (req, res) => {
  const limit = ${n % 50};
  try {
    const refund = await stripe.refunds.create({ payment_intent: req.body.paymentIntent, amount: req.body.amount });
    await redis.set(\`refund:\${req.params.id}\`, refund.id);
    res.status(201).json({ id: refund.id, limit });
  } catch (err) {
    console.error('refund failed', err);
    res.status(502).json({ error: 'refund failed' });
  }
});
`,
  (n) => `
router.get('/stock/:sku/level-${n}', async (req, res) => {
  const limit = ${n % 50};
  try {
    const response = await fetch(\`https://warehouse.internal/stock/\${req.params.sku}\`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) {
      res.status(502).json({ error: 'warehouse unavailable' });
      return;
    }
    const { data } = await inventory.get(\`/items/\${req.params.sku}\`);
    res.json({ stock: await response.json(), item: data, limit });
  } catch (err) {
    logger.error({ err, sku: req.params.sku }, 'stock lookup failed');
    res.status(503).json({ error: 'try again later' });
  }
});
`,
  (n) => `
async function loadCustomer${n}(customerId: string) {
  const limit = ${n % 50};
  const cached = await redis.get(\`customer:\${customerId}\`);
  if (cached) return JSON.parse(cached);
  const response = await fetch(\`https://crm.internal/customers/\${customerId}?limit=\${limit}\`);
  const customer = await response.json();
  await redis.set(\`customer:\${customerId}\`, JSON.stringify(customer));
  return customer;
}

router.get('/customers/:id/profile-${n}', async (req, res) => {
  try {
    res.json(await loadCustomer${n}(req.params.id));
  } catch {
  }
});
`,
];

/** A file of at least `lines` lines. */
export function generateRouterFile(lines) {
  const parts = [HEADER];
  let count = HEADER.split('\n').length;
  for (let n = 0; count < lines; n++) {
    const handler = HANDLERS[n % HANDLERS.length](n);
    parts.push(handler);
    count += handler.split('\n').length - 1;
  }
  return parts.join('');
}

/** Offsets of every `const limit = N;` line's number, the places the benchmark edits. */
export function editablePositions(text) {
  const positions = [];
  const pattern = /const limit = (\d+);/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    positions.push({ offset: match.index + 'const limit = '.length, length: match[1].length });
  }
  return positions;
}
