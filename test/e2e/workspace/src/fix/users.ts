import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { Pool } from 'pg';

const pool = new Pool();
export const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));

app.get('/users/:id', async (req, res) => {
  const { rows } = await pool.query('select * from users where id = $1', [req.params.id]);
  res.json(rows[0]);
});
