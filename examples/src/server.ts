import express from 'express';
import { ordersRouter } from './routes/orders';
import { usersRouter } from './routes/users';
import { pool } from './lib/db';

const app = express();
app.use(express.json());
app.use('/orders', ordersRouter);
app.use('/users', usersRouter);

app.get('/health', async (_req, res) => {
  const result = await pool.query('SELECT 1');
  res.json({ ok: result.rowCount === 1 });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => {
  console.log(`orders service listening on ${port}`);
});
