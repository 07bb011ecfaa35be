import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { PrismaClient } from '@prisma/client';
import pino from 'pino';

const logger = pino();
const prisma = new PrismaClient();
export const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));

app.post('/orders', async (req, res) => {
  try {
    const order = await prisma.order.create({ data: req.body });
    res.status(201).json(order);
  } catch (err) {
    logger.error({ err }, 'POST /orders failed');
    res.status(503).json({ error: 'Service unavailable' });
  }
});
