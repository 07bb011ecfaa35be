import { Worker } from 'bullmq';
import axios from 'axios';
import { pool } from '../lib/db';

export const worker = new Worker('fulfilment', async (job) => {
  const order = await pool.query('SELECT * FROM orders WHERE id = $1', [job.data.orderId]);
  await axios.post('https://warehouse.example.com/shipments', { order: order.rows[0] }, { timeout: 5000 });
  try {
    await axios.post('https://mail.example.com/send', { to: job.data.email, template: 'shipped' }, { timeout: 5000 });
  } catch (error) {
    console.log(error);
  }
}, { connection: { host: 'localhost', port: 6379 } });
