import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { sensitiveDataInLog } from '../../server/src/rules/sensitive-data-in-log';
import { secretKindOf } from '../../server/src/engine/secretNames';
import { runRuleTests } from '../helpers/ruleTester';

describe('secret names', () => {
  const secrets = ['password', 'newPassword', 'passwd', 'accessToken', 'refresh_token', 'api_key', 'x-api-key', 'apiKey',
    'APIKey', 'STRIPE_SECRET_KEY', 'clientSecret', 'authorization', 'cookie', 'cardNumber', 'cvv', 'ssn', 'passwordHash',
    'passwordResetToken', 'jwtSecret', 'privateKey', 'secretAccessKey', 'pass', 'smtpPass', 'set-cookie', 'authorizationHeader', 'credentials',
    'jwtKey', 'cookieKey', 'secretKey'];
  const notSecrets = ['tokenCount', 'tokenType', 'tokenExpiresAt', 'secretariat', 'passwordPolicy', 'passwordResetExpires',
    'hasPassword', 'isTokenValid', 'maxTokens', 'nextPageToken', 'cacheKey', 'phoneNumber', 'secretName', 'cookieOptions',
    'apiKeyId', 'tokenizer', 'passage', 'userId', 'bypass', 'tokenUrl', 'deviceToken', 'constructor', 'toString',
    'credentialKey', 'TOKEN_KEY', 'passwordKey'];
  for (const name of secrets) it(`${name} is a secret`, () => assert.ok(secretKindOf(name), name));
  for (const name of notSecrets) it(`${name} is not a secret`, () => assert.equal(secretKindOf(name), undefined));
});

runRuleTests(sensitiveDataInLog, {
  valid: [
    {
      name: 'a migration logging which credential field (its name) it skipped',
      code: `import { logger } from '../lib/logger';
export function skipEncrypted(integrationId: string, credentialKey: string, value: string) {
  if (value.startsWith('enc.')) logger.info(\`integration \${integrationId}: credential \${credentialKey} already encrypted\`);
}`,
    },
    {
      name: 'a command-line setup tool shows the generated admin password to the operator on its console',
      code: `import { Command } from 'commander';
import { createAdmin } from '../install';
new Command('setup').action(async () => {
  const admin = await createAdmin();
  console.log('An administrator account was created for you:');
  console.log(\`    Username: \${admin.username}\`);
  console.log(\`    Password: \${admin.password}\`);
});`,
      fileName: 'src/cli/setup.ts',
    },
    {
      name: 'test support code printing a csrf token while debugging a test',
      code: `const helpers = require('./helpers');
async function loginAs(name, password) {
  const { jar, csrfToken } = await helpers.loginUser(name, password);
  console.log('csrf', csrfToken);
  return jar;
}
module.exports = { loginAs };`,
      fileName: 'test/support/session.js',
    },
    {
      name: 'ids, facts about secrets and literal text',
      code: `import { logger } from './logger';
export async function login(user: User, password: string) {
  logger.info({ userId: user.id, hasPassword: Boolean(password), passwordLength: password.length }, 'invalid password');
  logger.info({ tokenExpiresAt: user.tokenExpiresAt, tokenType: 'Bearer', passwordResetExpires: user.passwordResetExpires });
  console.warn('password reset requested for', user.email, !!user.resetToken);
}`,
    },
    {
      name: 'a redacted or masked value',
      code: `import { logger } from './logger';
export function audit(apiKey: string, token: string) {
  logger.info({ apiKey: mask(apiKey), token: '[REDACTED]' }, 'key rotated');
  logger.debug(\`token ends with \${token.slice(-4)}\`);
}`,
    },
    {
      name: 'a conditional mask is not the secret',
      code: `import { Logger } from './logger';
export function proxyInfo(proxy: URL) {
  Logger.silly('http', 'using proxy', { username: proxy.username || undefined, password: proxy.password ? '******' : undefined });
}`,
    },
    {
      name: 'development-only logging',
      code: `import { logger } from './logger';
export function sendSignin(token: string, verificationCode: string) {
  if (process.env.NODE_ENV === 'development') {
    console.info('Password reset URL:', \`http://localhost:3000/reset/\${token}\`);
  }
  if (env.isDevelopment && verificationCode) {
    logger.debug(\`Verification code: \${verificationCode}\`);
  }
}`,
    },
    {
      name: 'pino redact covers the logged paths',
      code: `import pino from 'pino';
const logger = pino({ redact: ['password', 'req.headers.authorization', '*.token', 'headers.cookie'] });
const log = logger.child({ module: 'auth' });
export function onLogin(req: Request, password: string, session: { token: string }) {
  log.info({ password, session: { token: session.token }, headers: req.headers }, 'login attempt');
}`,
    },
    {
      name: 'pino options the rule cannot read',
      code: `import pino from 'pino';
import { loggerOptions } from './config';
const logger = pino(loggerOptions);
export function onLogin(password: string) {
  logger.info({ password }, 'login attempt');
}`,
    },
    {
      name: 'not a log call: Math.log, a response body, an unrelated info()',
      code: `export function handler(req: Request, res: Response, token: string) {
  const scale = Math.log(2);
  res.json({ token });
  toast.info(token);
  return scale;
}`,
    },
    {
      name: 'request fields that are not secrets',
      code: `export function trace(req: Request) {
  console.log(req.headers['user-agent'], req.headers.host, req.body.email, req.method);
}`,
    },
    {
      name: 'browser code is not reviewed',
      code: `'use client';
export function debugSession(session: { accessToken: string }) {
  console.log(session.accessToken);
}`,
    },
  ],
  invalid: [
    {
      name: 'a command-line tool writing the password through its logger (a log file, not the terminal)',
      code: `import { Command } from 'commander';
import winston from 'winston';
const logger = winston.createLogger({ transports: [new winston.transports.File({ filename: 'setup.log' })] });
new Command('setup').action(async (opts: { password: string }) => {
  logger.info(\`creating admin with password \${opts.password}\`);
});`,
      fileName: 'src/cli/setup.ts',
      errors: [{ messageId: 'secretValue', line: 5 }],
      output: `import { Command } from 'commander';
import winston from 'winston';
const logger = winston.createLogger({ transports: [new winston.transports.File({ filename: 'setup.log' })] });
new Command('setup').action(async (opts: { password: string }) => {
  logger.info(\`creating admin with password [REDACTED]\`);
});`,
    },
    {
      name: 'a password in a pino-style object and a token in a template string',
      code: `import { logger } from './logger';
export async function register(email: string, password: string, accessToken: string) {
  logger.info({ email, password }, 'registering user');
  logger.debug(\`calling profile API with token=\${accessToken}\`);
}`,
      errors: [{ messageId: 'secretValue', line: 3, column: 24 }, { messageId: 'secretValue', line: 4, column: 50 }],
      output: `import { logger } from './logger';
export async function register(email: string, password: string, accessToken: string) {
  logger.info({ email, password: '[REDACTED]' }, 'registering user');
  logger.debug(\`calling profile API with token=[REDACTED]\`);
}`,
    },
    {
      name: 'console with member reads and concatenation (CommonJS)',
      code: `const express = require('express');
const router = express.Router();
router.post('/login', (req, res) => {
  console.log('login', req.body.username, req.body.password);
  console.error("auth header: " + req.headers.authorization);
  res.sendStatus(204);
});`,
      fileName: 'routes.js',
      errors: [{ messageId: 'secretValue', line: 4 }, { messageId: 'secretValue', line: 5 }],
      output: `const express = require('express');
const router = express.Router();
router.post('/login', (req, res) => {
  console.log('login', req.body.username, '[REDACTED]');
  console.error("auth header: " + '[REDACTED]');
  res.sendStatus(204);
});`,
    },
    {
      name: 'a secret-named key with an innocently named value; env secrets',
      code: `import winston from 'winston';
const logger = winston.createLogger({ transports: [new winston.transports.Console()] });
export function connect(pwd: string) {
  logger.info('connecting', { user: 'app', password: pwd, 'x-api-key': process.env.PARTNER_API_KEY });
}`,
      errors: [{ messageId: 'secretValue', line: 4 }, { messageId: 'secretValue', line: 4 }],
      output: `import winston from 'winston';
const logger = winston.createLogger({ transports: [new winston.transports.Console()] });
export function connect(pwd: string) {
  logger.info('connecting', { user: 'app', password: '[REDACTED]', 'x-api-key': '[REDACTED]' });
}`,
    },
    {
      name: 'whole request headers and body',
      code: `import type { Request, Response } from 'express';
export function webhook(req: Request, res: Response) {
  req.log.info({ headers: req.headers, body: req.body }, 'webhook received');
  console.log(JSON.stringify(req.body));
  res.sendStatus(200);
}`,
      errors: [{ messageId: 'requestObject', line: 3 }, { messageId: 'requestObject', line: 3 }, { messageId: 'requestObject', line: 4 }],
      output: `import type { Request, Response } from 'express';
export function webhook(req: Request, res: Response) {
  req.log.info({ headers: Object.keys(req.headers), body: Object.keys(req.body ?? {}) }, 'webhook received');
  console.log(JSON.stringify(Object.keys(req.body ?? {})));
  res.sendStatus(200);
}`,
    },
    {
      name: 'Koa request body and NestJS logger',
      code: `import { Logger } from '@nestjs/common';
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);
  charge(card: { cardNumber: string; cvv: string }) {
    this.logger.log(\`charging card \${card.cardNumber} cvv \${card.cvv}\`);
  }
}
export async function koaHandler(ctx: Context) {
  Logger.debug(ctx.request.body);
}`,
      errors: [{ messageId: 'secretValue', line: 5 }, { messageId: 'secretValue', line: 5 }, { messageId: 'requestObject', line: 9 }],
      output: `import { Logger } from '@nestjs/common';
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);
  charge(card: { cardNumber: string; cvv: string }) {
    this.logger.log(\`charging card [REDACTED] cvv [REDACTED]\`);
  }
}
export async function koaHandler(ctx: Context) {
  Logger.debug(Object.keys(ctx.request.body ?? {}));
}`,
    },
    {
      name: 'pino redact that does not cover the logged path; message interpolation is never redacted',
      code: `import pino from 'pino';
const logger = pino({ redact: { paths: ['user.password'], censor: '**' } });
export function refresh(session: { refreshToken: string }) {
  logger.info({ refreshToken: session.refreshToken }, 'refreshing');
  logger.info(\`refreshing with \${session.refreshToken}\`);
}`,
      errors: [{ messageId: 'secretValue', line: 4 }, { messageId: 'secretValue', line: 5 }],
      output: `import pino from 'pino';
const logger = pino({ redact: { paths: ['user.password'], censor: '**' } });
export function refresh(session: { refreshToken: string }) {
  logger.info({ refreshToken: '[REDACTED]' }, 'refreshing');
  logger.info(\`refreshing with [REDACTED]\`);
}`,
    },
    {
      name: 'a negated development flag does not guard production',
      code: `import { logger } from './logger';
export function sendSignin(token: string) {
  if (!env.isDevelopment) {
    logger.info(\`sign-in token \${token}\`);
  }
}`,
      errors: [{ messageId: 'secretValue', line: 4 }],
      output: `import { logger } from './logger';
export function sendSignin(token: string) {
  if (!env.isDevelopment) {
    logger.info(\`sign-in token [REDACTED]\`);
  }
}`,
    },
    {
      name: 'spread request body: reported, no fix',
      code: `export function create(req: Request) {
  console.info({ ...req.body, at: Date.now() });
}`,
      errors: [{ messageId: 'requestObject', line: 2 }],
      output: null,
    },
    {
      name: 'a secret imported from a project module',
      code: `import { jwtSecret } from './config';
import { logger } from './logger';
logger.info('jwt secret is %s', jwtSecret);`,
      errors: [{ messageId: 'secretValue', line: 3 }],
      output: `import { jwtSecret } from './config';
import { logger } from './logger';
logger.info('jwt secret is %s', '[REDACTED]');`,
    },
  ],
});
