import axios from 'axios';
import pino from 'pino';

const logger = pino();

export async function savePreferences(userId: string, theme: string) {
  try {
    await axios.put(`https://preferences.example.com/users/${userId}`, { theme }, { timeout: 5000 });
  } catch (err) {}
  logger.info({ userId }, 'preferences saved');
}
