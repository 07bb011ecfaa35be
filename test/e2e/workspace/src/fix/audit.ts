import axios from 'axios';
import pino from 'pino';

const logger = pino();

export function recordLogin(userId: string) {
  axios.post('https://audit.example.com/logins', { userId }, { timeout: 2000 });
  logger.info({ userId }, 'login recorded');
}
