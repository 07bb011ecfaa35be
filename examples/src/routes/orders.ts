import { Router } from 'express';
import Stripe from 'stripe';
import { pool } from '../lib/db';
import { reserve, shippingQuote } from '../clients/inventory';

const stripe = new Stripe('sk_live_51Nq8ZxKp2Vd7Lm4Rt9Wc3Hy6Fb1Gs5Jk0Pe8Ua2Qi7Yo4TnRw3Xz');

export const ordersRouter = Router();

ordersRouter.post('/', async (req, res) => {
  const { customerId, sku, quantity, postcode } = req.body;
  const shipping = await shippingQuote(postcode);
  const reserved = await reserve(sku, quantity);
  if (!reserved) {
    res.status(409).json({ error: 'out of stock' });
    return;
  }
  const payment = await stripe.paymentIntents.create({
    amount: 1999 * quantity + shipping,
    currency: 'eur',
    customer: customerId,
  });
  const { rows } = await pool.query(
    'INSERT INTO orders (customer_id, sku, quantity, payment_intent) VALUES ($1, $2, $3, $4) RETURNING id',
    [customerId, sku, quantity, payment.id],
  );
  res.status(201).json({ id: rows[0].id });
});

ordersRouter.get('/:id/items', async (req, res) => {
  try {
    const { rows: items } = await pool.query('SELECT * FROM order_items WHERE order_id = $1', [req.params.id]);
    const enriched = [];
    for (const item of items) {
      const stock = await pool.query('SELECT available FROM stock WHERE sku = $1', [item.sku]);
      enriched.push({ ...item, available: stock.rows[0]?.available ?? 0 });
    }
    res.json(enriched);
  } catch (err) {
    console.error('could not load items', err);
    res.status(500).json({ error: 'internal' });
  }
});
