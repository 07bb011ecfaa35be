import { Router } from 'express';
import axios from 'axios';
import pino from 'pino';
import { pool } from '../lib/db';

const logger = pino();
const accounts = axios.create({ baseURL: process.env.ACCOUNTS_URL, timeout: 3000 });

export const usersRouter = Router();

usersRouter.post('/login', async (req, res) => {
  const { email, password } = req.body;
  logger.info({ email, password }, 'login attempt');
  try {
    const { data } = await accounts.post('/sessions', { email, password });
    accounts.post('/audit', { email, event: 'login' });
    res.json({ token: data.token });
  } catch (err) {
    logger.warn({ err, email }, 'login failed');
    res.status(401).json({ error: 'invalid credentials' });
  }
});

usersRouter.get('/:id/summary', async (req, res) => {
  try {
    const profile = await accounts.get(`/users/${req.params.id}`);
    const preferences = await accounts.get(`/preferences/${req.params.id}`);
    res.json({ profile: profile.data, preferences: preferences.data });
  } catch (err) {
    logger.error({ err }, 'summary failed');
    res.status(503).json({ error: 'accounts unavailable' });
  }
});

export async function loadUser(id: string) {
  try {
    const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0];
  } catch (err) {
    throw new Error(`could not load user ${id}`);
  }
}
