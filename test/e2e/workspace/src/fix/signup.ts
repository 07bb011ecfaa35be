import pino from 'pino';

const logger = pino();

export function register(email: string, password: string) {
  logger.info({ email, password }, 'registering user');
}
