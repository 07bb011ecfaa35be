import { errorCauseLost } from '../../server/src/rules/error-cause-lost';
import { runRuleTests } from '../helpers/ruleTester';

const nest10 = { dependencies: { '@nestjs/common': '^10.3.0', '@nestjs/core': '^10.3.0' } };
const nest8 = { dependencies: { '@nestjs/common': '^8.4.7' } };

runRuleTests(errorCauseLost, {
  valid: [
    {
      name: 'a browser API client translating a failed fetch (reads window): nothing to trace on a server',
      code: `export class HttpClient {
  async post(path: string, body: unknown) {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { method: 'POST', body: JSON.stringify(body) });
    } catch (_err) {
      if (window.navigator.onLine) throw new NetworkError('A network error occurred, try again?');
      throw new OfflineError('You appear to be offline');
    }
    return response.json();
  }
  constructor(private baseUrl: string) {}
}`,
      fileName: 'app/utils/HttpClient.ts',
    },
    {
      name: 'test support code that fails fast when a fixture is missing',
      code: `const fs = require('fs');
let schema;
try {
  schema = JSON.parse(fs.readFileSync(__dirname + '/../files/openapi.json', 'utf8'));
} catch (e) {
  throw new Error('Run the schema bootstrap script first.');
}
module.exports = { schema };`,
      fileName: 'test/api/schema-helpers.js',
    },
    {
      name: 'the caught error passed as cause',
      code: `export async function loadConfig(path: string) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(\`cannot read config at \${path}\`, { cause: err });
  }
}`,
    },
    {
      name: 'the caught error passed as a constructor argument',
      code: `import { AppError } from './errors';
export async function charge(id: string) {
  try {
    return await payments.charge(id);
  } catch (e) {
    throw new AppError(e.message, e);
  }
}`,
    },
    {
      name: 'shorthand property carries the error',
      code: `export async function sync() {
  try { await upstream.sync(); } catch (error) { throw new SyncError({ error, stage: 'upstream' }); }
}`,
    },
    {
      name: 'rethrowing the caught error itself',
      code: `export async function save(user: User) {
  try { await repo.save(user); } catch (err) { metrics.increment('save.failed'); throw err; }
}`,
    },
    {
      name: 'throw inside a nested callback is another flow',
      code: `export function watch(path: string) {
  try {
    fs.watch(path, () => {});
  } catch (err) {
    setTimeout(() => { throw new Error('watch failed'); }, 0);
    throw err;
  }
}`,
    },
    {
      name: 'throw inside an inner try block goes to the inner catch',
      code: `export async function fetchWithFallback() {
  try {
    return await primary();
  } catch (err) {
    try {
      const value = await secondary();
      if (!value) throw new Error('secondary returned nothing');
      return value;
    } catch (inner) {
      throw new AggregateError([err, inner], 'both sources failed');
    }
  }
}`,
    },
    {
      name: 'throw outside any catch',
      code: `export function assertPositive(n: number) {
  if (n <= 0) throw new RangeError('n must be positive');
  return n;
}`,
    },
    {
      name: 'wrapped error built with the cause, then rethrown',
      code: `export async function publish(event: Event) {
  try {
    await bus.publish(event);
  } catch (err) {
    const wrapped = new PublishError('publish failed', { cause: err });
    throw wrapped;
  }
}`,
    },
    {
      name: 'wrapped error whose cause is set afterwards',
      code: `export async function publish(event: Event) {
  try {
    await bus.publish(event);
  } catch (err) {
    const wrapped = new Error('publish failed');
    (wrapped as Error & { cause?: unknown }).cause = err;
    throw wrapped;
  }
}`,
    },
    {
      name: 'error translated under a condition that inspects it',
      code: `import { ConflictException } from '@nestjs/common';
export class UsersService {
  async create(dto: CreateUserDto) {
    try {
      return await this.repo.insert(dto);
    } catch (err) {
      if (err.code === '23505') throw new ConflictException('email already registered');
      throw err;
    }
  }
}`,
      project: nest10,
    },
    {
      name: 'error translated in a switch on its code',
      code: `export async function read(path: string) {
  try {
    return await fs.promises.readFile(path);
  } catch (err) {
    switch ((err as NodeJS.ErrnoException).code) {
      case 'ENOENT': throw new NotFoundError(path);
      default: throw err;
    }
  }
}`,
    },
    {
      name: 'error translated under a condition on a value derived from it',
      code: `export async function createCode(code: string) {
  try {
    return await stripe.promotionCodes.create({ code });
  } catch (error) {
    const errorMessage = error.raw?.message || error.message;
    const isDuplicate = errorMessage?.includes('already exists');
    if (isDuplicate) {
      throw new DiscountError('DISCOUNT_ALREADY_EXISTS', \`The code \${code} is already in use.\`);
    }
    throw error;
  }
}`,
    },
    {
      name: 'the caught error is logged before a sanitized error is thrown',
      code: `import { logger } from './logger';
export async function handler(req: Request) {
  try {
    return await billing.invoice(req.body);
  } catch (err) {
    logger.error({ err }, 'invoice failed');
    throw new HttpError(502, 'billing unavailable');
  }
}`,
    },
    {
      name: 'a cause the author chose',
      code: `export async function run(job: Job) {
  try { await job.run(); } catch (err) { throw new JobError('job failed', { cause: job.lastError }); }
}`,
    },
    {
      name: 'in-memory parsing translated into a validation error',
      code: `export function toBoolean(value: string) {
  try {
    return value ? !!JSON.parse(value) : false;
  } catch (err) {
    throw new Error(\`"\${value}" is not a boolean\`);
  }
}
export const validateRegex = (value: string): void => {
  try {
    new RegExp(value);
  } catch (e) {
    throw new BadDataError(\`not a valid regex: \${e.message}\`);
  }
};`,
    },
    {
      name: 'an alias of the error passed as cause',
      code: `export async function pull() {
  try { await git.pull(); } catch (err) { const cause = err; throw new Error('pull failed', { cause }); }
}`,
    },
    {
      name: 'browser code is not reviewed',
      code: `'use client';
export async function submit(form: FormData) {
  try { await fetch('/api', { method: 'POST', body: form }); } catch { throw new Error('submit failed'); }
}`,
    },
  ],
  invalid: [
    {
      name: 'new Error without the cause',
      code: `export async function loadUser(id: string) {
  try {
    return await db.user.findUniqueOrThrow({ where: { id } });
  } catch (err) {
    throw new Error(\`user \${id} could not be loaded\`);
  }
}`,
      errors: [{ messageId: 'causeLost', line: 5, column: 11 }],
      output: `export async function loadUser(id: string) {
  try {
    return await db.user.findUniqueOrThrow({ where: { id } });
  } catch (err) {
    throw new Error(\`user \${id} could not be loaded\`, { cause: err });
  }
}`,
    },
    {
      name: 'interpolating the message keeps the text but loses the stack',
      code: `export async function loadSettings(key: string) {
  try {
    return await kv.get(key);
  } catch (e) {
    throw new TypeError(\`settings unavailable: \${e}\`);
  }
}`,
      errors: [{ messageId: 'messageOnly', line: 5 }],
      output: `export async function loadSettings(key: string) {
  try {
    return await kv.get(key);
  } catch (e) {
    throw new TypeError(\`settings unavailable: \${e}\`, { cause: e });
  }
}`,
    },
    {
      name: 'a message derived from the error is only a piece of it',
      code: `export function readKey(path: string) {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    const message = errToString(error);
    throw new Error(\`cannot read key file: \${message}\`);
  }
}`,
      errors: [{ messageId: 'messageOnly', line: 6 }],
      output: `export function readKey(path: string) {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    const message = errToString(error);
    throw new Error(\`cannot read key file: \${message}\`, { cause: error });
  }
}`,
    },
    {
      name: 'err.message only',
      code: `async function send(mail) {
  try {
    await transport.sendMail(mail);
  } catch (error) {
    throw new Error('mail failed: ' + error.message);
  }
}`,
      fileName: 'mailer.js',
      errors: [{ messageId: 'messageOnly', line: 5 }],
      output: `async function send(mail) {
  try {
    await transport.sendMail(mail);
  } catch (error) {
    throw new Error('mail failed: ' + error.message, { cause: error });
  }
}`,
    },
    {
      name: 'a piece of the error kept through an assignment',
      code: `export async function fetchWithRetry(url: string) {
  let lastError: Error | undefined;
  try {
    return await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    lastError = error instanceof Error ? error : new Error(String(error));
    const detail = \`last error: \${lastError.message}\`;
    throw new Error(detail);
  }
}`,
      errors: [{ messageId: 'messageOnly', line: 8 }],
      output: `export async function fetchWithRetry(url: string) {
  let lastError: Error | undefined;
  try {
    return await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    lastError = error instanceof Error ? error : new Error(String(error));
    const detail = \`last error: \${lastError.message}\`;
    throw new Error(detail, { cause: error });
  }
}`,
    },
    {
      name: 'catch without a binding gets one, avoiding names in use',
      code: `export async function refresh(err: number) {
  try {
    await tokens.refresh();
  } catch {
    throw new Error('token refresh failed, code ' + err);
  }
}`,
      errors: [{ messageId: 'causeLost', line: 5 }],
      output: `export async function refresh(err: number) {
  try {
    await tokens.refresh();
  } catch (error) {
    throw new Error('token refresh failed, code ' + err, { cause: error });
  }
}`,
    },
    {
      name: 'options object merged, no-argument error filled with undefined',
      code: `export async function a() {
  try { await one(); } catch (err) { throw new Error('one failed', { someOption: true } as ErrorOptions); }
}
export async function b() {
  try { await two(); } catch (err) { throw new Error(); }
}`,
      errors: [{ messageId: 'causeLost', line: 2 }, { messageId: 'causeLost', line: 5 }],
      output: `export async function a() {
  try { await one(); } catch (err) { throw new Error('one failed', { someOption: true, cause: err } as ErrorOptions); }
}
export async function b() {
  try { await two(); } catch (err) { throw new Error(undefined, { cause: err }); }
}`,
    },
    {
      name: 'AggregateError takes options third',
      code: `export async function all(tasks: Promise<unknown>[]) {
  try {
    return await Promise.all(tasks);
  } catch (err) {
    throw new AggregateError(tasks, 'some tasks failed');
  }
}`,
      errors: [{ messageId: 'causeLost', line: 5 }],
      output: `export async function all(tasks: Promise<unknown>[]) {
  try {
    return await Promise.all(tasks);
  } catch (err) {
    throw new AggregateError(tasks, 'some tasks failed', { cause: err });
  }
}`,
    },
    {
      name: 'same-file class without a constructor inherits Error(message, options)',
      code: `class UpstreamError extends Error {}
export async function quote(symbol: string) {
  try {
    return await prices.get(symbol);
  } catch (err) {
    throw new UpstreamError('price service failed');
  }
}`,
      errors: [{ messageId: 'causeLost', line: 6 }],
      output: `class UpstreamError extends Error {}
export async function quote(symbol: string) {
  try {
    return await prices.get(symbol);
  } catch (err) {
    throw new UpstreamError('price service failed', { cause: err });
  }
}`,
    },
    {
      name: 'same-file class that forwards its options parameter to super',
      code: `export class DomainError extends Error {
  constructor(message: string, readonly code: string, options?: ErrorOptions) {
    super(message, options);
  }
}
export async function reserve(id: string) {
  try {
    await stock.reserve(id);
  } catch (err) {
    throw new DomainError('reservation failed', 'STOCK');
  }
}`,
      errors: [{ messageId: 'causeLost', line: 10 }],
      output: `export class DomainError extends Error {
  constructor(message: string, readonly code: string, options?: ErrorOptions) {
    super(message, options);
  }
}
export async function reserve(id: string) {
  try {
    await stock.reserve(id);
  } catch (err) {
    throw new DomainError('reservation failed', 'STOCK', { cause: err });
  }
}`,
    },
    {
      name: 'same-file class with a cause parameter',
      code: `export class GatewayError extends Error {
  constructor(message: string, public readonly cause?: unknown) {
    super(message);
  }
}
export async function pay(id: string) {
  try {
    await gateway.pay(id);
  } catch (err) {
    throw new GatewayError('payment gateway failed');
  }
}`,
      errors: [{ messageId: 'causeLost', line: 10 }],
      output: `export class GatewayError extends Error {
  constructor(message: string, public readonly cause?: unknown) {
    super(message);
  }
}
export async function pay(id: string) {
  try {
    await gateway.pay(id);
  } catch (err) {
    throw new GatewayError('payment gateway failed', err);
  }
}`,
    },
    {
      name: 'same-file class whose constructor takes no options: reported, no fix',
      code: `export class NotFound extends Error {
  constructor(resource: string) {
    super(\`\${resource} not found\`);
  }
}
export async function find(id: string) {
  try {
    return await repo.findOrFail(id);
  } catch (err) {
    throw new NotFound('order');
  }
}`,
      errors: [{ messageId: 'causeLost', line: 10 }],
      output: null,
    },
    {
      name: 'imported class with an unseen constructor: reported, no fix',
      code: `import { ServiceError } from './errors';
export async function get(id: string) {
  try {
    return await api.get(id);
  } catch (err) {
    throw new ServiceError('lookup failed');
  }
}`,
      errors: [{ messageId: 'causeLost', line: 6 }],
      output: null,
    },
    {
      name: 'NestJS 10 exceptions: options merged, description string converted, HttpException third argument',
      code: `import { BadGatewayException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
export class AuthService {
  async verify(token: string) {
    try {
      return await this.jwt.verifyAsync(token);
    } catch {
      throw new UnauthorizedException('invalid token', 'token verification failed');
    }
  }
  async profile(id: string) {
    try {
      return await this.http.get(id);
    } catch (e) {
      throw new HttpException('profile unavailable', HttpStatus.BAD_GATEWAY);
    }
  }
  async avatar(id: string) {
    try {
      return await this.storage.get(id);
    } catch (e) {
      throw new BadGatewayException();
    }
  }
}`,
      project: nest10,
      errors: [{ messageId: 'causeLost', line: 7 }, { messageId: 'causeLost', line: 14 }, { messageId: 'causeLost', line: 21 }],
      output: `import { BadGatewayException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
export class AuthService {
  async verify(token: string) {
    try {
      return await this.jwt.verifyAsync(token);
    } catch (err) {
      throw new UnauthorizedException('invalid token', { cause: err, description: 'token verification failed' });
    }
  }
  async profile(id: string) {
    try {
      return await this.http.get(id);
    } catch (e) {
      throw new HttpException('profile unavailable', HttpStatus.BAD_GATEWAY, { cause: e });
    }
  }
  async avatar(id: string) {
    try {
      return await this.storage.get(id);
    } catch (e) {
      throw new BadGatewayException(undefined, { cause: e });
    }
  }
}`,
    },
    {
      name: 'NestJS 8 has no options argument: reported, no fix',
      code: `import { NotFoundException } from '@nestjs/common';
export class ArticlesService {
  async findOne(slug: string) {
    try {
      return await this.repo.findOneOrFail({ slug });
    } catch (err) {
      throw new NotFoundException('article not found');
    }
  }
}`,
      project: nest8,
      errors: [{ messageId: 'causeLost', line: 7 }],
      output: null,
    },
    {
      name: 'wrapped var built without the cause, then thrown',
      code: `export async function publish(event: Event) {
  try {
    await bus.publish(event);
  } catch (err) {
    const wrapped = new Error('publish failed');
    throw wrapped;
  }
}`,
      errors: [{ messageId: 'causeLost', line: 5 }],
      output: `export async function publish(event: Event) {
  try {
    await bus.publish(event);
  } catch (err) {
    const wrapped = new Error('publish failed', { cause: err });
    throw wrapped;
  }
}`,
    },
    {
      name: 'an unrelated condition does not make it a translation; multi-line arguments',
      code: `export async function upload(file: Buffer, strict: boolean) {
  try {
    await bucket.put(file);
  } catch (err) {
    if (strict) {
      throw new Error(
        'upload failed',
      );
    }
    return undefined;
  }
}`,
      errors: [{ messageId: 'causeLost', line: 6 }],
      output: `export async function upload(file: Buffer, strict: boolean) {
  try {
    await bucket.put(file);
  } catch (err) {
    if (strict) {
      throw new Error(
        'upload failed', { cause: err },
      );
    }
    return undefined;
  }
}`,
    },
    {
      name: 'a shadowing declaration inside the catch: reported, no fix',
      code: `export async function retryAll(jobs: Job[]) {
  try {
    await runAll(jobs);
  } catch (err) {
    for (const err of failures(jobs)) requeue(err);
    throw new Error('jobs failed');
  }
}`,
      errors: [{ messageId: 'causeLost', line: 6 }],
      output: null,
    },
  ],
});
