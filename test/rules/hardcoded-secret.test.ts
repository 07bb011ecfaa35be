import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { hardcodedSecret, looksRandom, shannonEntropy } from '../../server/src/rules/hardcoded-secret';
import { analyze } from '../../server/src/engine';
import { runRuleTests } from '../helpers/ruleTester';

// Fake credentials, assembled at run time so that no complete key-shaped string sits in this repository.
const STRIPE_LIVE = ['sk', 'live', 'Zq8vN3kR7tY2wX5bM1cH9dJ4'].join('_');
const STRIPE_TEST = ['sk', 'test', 'Zq8vN3kR7tY2wX5bM1cH9dJ4'].join('_');
const STRIPE_PUBLISHABLE = ['pk', 'live', 'Zq8vN3kR7tY2wX5bM1cH9dJ4'].join('_');
const AWS_KEY_ID = 'AKIA' + 'Q3ZJ7TYX4M2KD8WP';
const AWS_DOCS_KEY_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const GITHUB = 'ghp' + '_' + 'R7k2Xq9Lm4Tz8Vb1Nc6Hw3Jd5Fs0Gp2Ya7Ke';
const SLACK = 'xoxb' + '-' + '2741958301-8Fq2Lr7Tz9Wk3Hn';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7' + 'q9Zk2Lr8Tn4Wx1Hv6Jd3Fs0Gp5Ya7Ke';
const JWT_HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
const SERVICE_ROLE_JWT = `${JWT_HEADER}.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UifQ.${'Qm9Xk2Lr8Tn4Wx1Hv6Jd3Fs0Gp5Ya7KeZc'}`;
const ANON_JWT = `${JWT_HEADER}.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.${'Qm9Xk2Lr8Tn4Wx1Hv6Jd3Fs0Gp5Ya7KeZc'}`;
const RANDOM_SECRET = 'f3Kq9ZtR2vX8mB5nL1wC7yH4';

const HELPER_TS = `function missingEnv(name: string): never {
  throw new Error(\`Missing required environment variable \${name}\`);
}
`;
const HELPER_JS = `function missingEnv(name) {
  throw new Error(\`Missing required environment variable \${name}\`);
}
`;

describe('entropy', () => {
  it('measures bits per character', () => {
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
  });
  it('tells random strings from words, env names and sequences', () => {
    for (const text of [RANDOM_SECRET, '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']) assert.ok(looksRandom(text), text);
    for (const text of ['my-super-secret-password', 'keyboard cat', 'STRIPE_SECRET_KEY', '0123456789abcdef0123', 'your-api-key-here',
      'changeme', 'https://api.example.com/v1', 'xxxxxxxxxxxxxxxxxxxxxxxx', '<token>', 'abc123']) {
      assert.ok(!looksRandom(text), text);
    }
  });
});

describe('messages never contain the secret', () => {
  it('shows only the kind and a fixed prefix', () => {
    const result = analyze('billing.ts', `export const key = '${STRIPE_LIVE}';\nexport const apiSecret = '${RANDOM_SECRET}';`, { rules: [hardcodedSecret] });
    assert.equal(result.findings.length, 2);
    for (const finding of result.findings) {
      assert.ok(!finding.message.includes('Zq8vN3kR7tY2wX5bM1cH9dJ4') && !finding.message.includes(RANDOM_SECRET), finding.message);
    }
  });
});

runRuleTests(hardcodedSecret, {
  valid: [
    {
      name: 'the author documents that the random-looking constant under a secret name is not a secret',
      code: `// This is not actually a secret key, it is a constant we XOR short-link keys with to keep their case
const XOR_SECRET_KEY = '${RANDOM_SECRET}';
const OBFUSCATION_TOKEN = 'Hq7Zk2Lr8Tn4Wx1Hv6Jd3Fs'; // not a secret: only scrambles ids in URLs
export function scramble(key: string) { return xor(xor(key, XOR_SECRET_KEY), OBFUSCATION_TOKEN); }`,
    },
    {
      name: 'secrets read from the environment',
      code: `import Stripe from 'stripe';
export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY as string);
export const jwtSecret = process.env.JWT_SECRET;`,
    },
    {
      name: 'Stripe test and publishable keys are not production credentials',
      code: `export const testKey = '${STRIPE_TEST}';
export const publishableKey = '${STRIPE_PUBLISHABLE}';`,
    },
    {
      name: 'placeholders, env var names and low-entropy values under secret names',
      code: `export const config = {
  apiKey: 'your-api-key-here',
  secret: 'changeme',
  token: '<token>',
  password: 'xxxxxxxxxxxxxxxxxxxx',
  stripeKeyVar: 'STRIPE_SECRET_KEY',
  sessionSecret: 'keyboard cat',
  awsKey: '${AWS_DOCS_KEY_ID}',
  githubToken: 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
};`,
    },
    {
      name: 'a local default for an env var that is not a real key format',
      code: `export const jwtSecret = process.env.JWT_SECRET || 'f3Kq9ZtR2vX8mB5nL1wC7yH4dev';
export const cookieSecret = process.env.COOKIE_SECRET ?? 'local-development-only';`,
    },
    {
      name: 'random strings under names that are not secrets',
      code: `export const requestId = '${RANDOM_SECRET}';
export const tokenType = '${RANDOM_SECRET}';
export const integrity = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';`,
    },
    {
      name: 'a PEM header used to format a key read elsewhere',
      code: `export function toPem(body: string) {
  return '-----BEGIN PRIVATE KEY-----\\n' + body + '\\n-----END PRIVATE KEY-----';
}`,
    },
    {
      name: 'OpenAPI example values and cookie names',
      code: `export const inviteSchema = {
  type: 'object',
  properties: { secret: { type: 'string' } },
  example: { secret: 'a3c84b25409ea8ca1782ef17f94a42fc', url: 'https://unleash.example/invite' },
};
export const GitHubOAuthNonceCookie = 'githubOAuthNonce';
export const sessionCookie = 'f3Kq9ZtR2vX8mB5nL1wC7yH4';`,
    },
    {
      name: 'local development setups',
      code: `export const devConfig = { authentication: { initApiTokens: [{ secret: '*:*.964a287e1b728cb5f4f3e0120df92cb5' }] } };`,
      fileName: 'src/server-dev.ts',
    },
    {
      name: 'a public anon JWT (role: anon)',
      code: `export const supabaseAnonKey = '${ANON_JWT}';`,
    },
    {
      name: 'a random-looking value under examples/ is sample data',
      code: `export const webhookSecret = 'f3Kq9ZtR2vX8mB5nL1wC7yH4aP6sD0gJ';`,
      fileName: 'examples/billing.ts',
    },
    {
      name: 'module specifiers and type positions are not values',
      code: `import type { Secret } from './f3Kq9ZtR2vX8mB5nL1wC7yH4';
type Token = 'f3Kq9ZtR2vX8mB5nL1wC7yH4';
export const a: Token = process.env.A as Token;`,
    },
  ],
  invalid: [
    {
      name: 'a comment saying "not a secret" does not excuse a known key format',
      code: `// not a real secret, only used in staging
export const stripeKey = '${STRIPE_LIVE}';`,
      errors: [{ messageId: 'knownFormat', line: 2 }],
      output: `${HELPER_TS}
// not a real secret, only used in staging
export const stripeKey = process.env.STRIPE_KEY ?? missingEnv('STRIPE_KEY');`,
    },
    {
      name: 'the helper follows a file written without semicolons',
      code: `import crypto from 'crypto'
export const sign = (data: string) => crypto.createHmac('sha256', '${RANDOM_SECRET}').update(data).digest('hex')
export const hmacSecret = '${RANDOM_SECRET}'`,
      errors: [{ messageId: 'highEntropy', line: 2 }, { messageId: 'highEntropy', line: 3 }],
      output: `import crypto from 'crypto'

function missingEnv(name: string): never {
  throw new Error(\`Missing required environment variable \${name}\`)
}
export const sign = (data: string) => crypto.createHmac('sha256', process.env.HMAC_KEY ?? missingEnv('HMAC_KEY')).update(data).digest('hex')
export const hmacSecret = process.env.HMAC_SECRET ?? missingEnv('HMAC_SECRET')`,
    },
    {
      name: 'a comment about something else leaves a random value under a secret name reported',
      code: `// shared with the mobile app
export const signingSecret = '${RANDOM_SECRET}';`,
      errors: [{ messageId: 'highEntropy', line: 2 }],
      output: `${HELPER_TS}
// shared with the mobile app
export const signingSecret = process.env.SIGNING_SECRET ?? missingEnv('SIGNING_SECRET');`,
    },
    {
      name: 'a live key format is a leak even under examples/',
      code: `export const stripeKey = '${STRIPE_LIVE}';`,
      fileName: 'examples/billing.ts',
      errors: [{ messageId: 'knownFormat', line: 1, column: 26 }],
    },
    {
      name: 'a Stripe live key in a generic variable: STRIPE_SECRET_KEY and the helper after the imports',
      code: `import Stripe from 'stripe';

const key = '${STRIPE_LIVE}';
export const stripe = new Stripe(key);`,
      errors: [{ messageId: 'knownFormat', line: 3, column: 13 }],
      output: `import Stripe from 'stripe';

${HELPER_TS}
const key = process.env.STRIPE_SECRET_KEY ?? missingEnv('STRIPE_SECRET_KEY');
export const stripe = new Stripe(key);`,
    },
    {
      name: 'several secrets in one file share one helper (CommonJS, JavaScript)',
      code: `const { S3Client } = require("@aws-sdk/client-s3");
const s3 = new S3Client({ credentials: { accessKeyId: "${AWS_KEY_ID}", secretAccessKey: "${RANDOM_SECRET}" } });
module.exports = { s3, githubToken: "${GITHUB}" };`,
      fileName: 'storage.js',
      errors: [{ messageId: 'knownFormat', line: 2 }, { messageId: 'highEntropy', line: 2 }, { messageId: 'knownFormat', line: 3 }],
      output: `const { S3Client } = require("@aws-sdk/client-s3");

${HELPER_JS}const s3 = new S3Client({ credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? missingEnv("AWS_ACCESS_KEY_ID"), secretAccessKey: process.env.SECRET_ACCESS_KEY ?? missingEnv("SECRET_ACCESS_KEY") } });
module.exports = { s3, githubToken: process.env.GITHUB_TOKEN ?? missingEnv("GITHUB_TOKEN") };`,
    },
    {
      name: 'a known key as an env default keeps the env name',
      code: `export const stripeKey = process.env.STRIPE_KEY || '${STRIPE_LIVE}';`,
      errors: [{ messageId: 'knownFormat', line: 1 }],
      output: `${HELPER_TS}
export const stripeKey = process.env.STRIPE_KEY || missingEnv('STRIPE_KEY');`,
    },
    {
      name: 'nested config: jwt.secret becomes JWT_SECRET; a class field; an assignment',
      code: `export const config = {
  jwt: { secret: '${RANDOM_SECRET}', expiresIn: '1h' },
};
export class Mailer {
  private readonly smtpPassword = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
}
config.jwt.secret = '${RANDOM_SECRET}';`,
      errors: [{ messageId: 'highEntropy', line: 2 }, { messageId: 'highEntropy', line: 5 }, { messageId: 'highEntropy', line: 7 }],
      output: `${HELPER_TS}
export const config = {
  jwt: { secret: process.env.JWT_SECRET ?? missingEnv('JWT_SECRET'), expiresIn: '1h' },
};
export class Mailer {
  private readonly smtpPassword = process.env.SMTP_PASSWORD ?? missingEnv('SMTP_PASSWORD');
}
config.jwt.secret = process.env.JWT_SECRET ?? missingEnv('JWT_SECRET');`,
    },
    {
      name: 'a key inside a longer string, a Slack token in a template: reported, no fix',
      code: `export const auth = 'Bearer ${STRIPE_LIVE}';
export const hook = \`${SLACK}/\${process.env.CHANNEL}\`;`,
      errors: [{ messageId: 'knownFormat', line: 1 }, { messageId: 'knownFormat', line: 2 }],
      output: null,
    },
    {
      name: 'a private key block',
      code: `import jwt from 'jsonwebtoken';
const signingKey = '-----BEGIN RSA PRIVATE KEY-----\\n${PEM_BODY}\\n-----END RSA PRIVATE KEY-----';
export const sign = (claims: object) => jwt.sign(claims, signingKey, { algorithm: 'RS256' });`,
      errors: [{ messageId: 'knownFormat', line: 2 }],
      output: `import jwt from 'jsonwebtoken';

${HELPER_TS}const signingKey = process.env.SIGNING_KEY ?? missingEnv('SIGNING_KEY');
export const sign = (claims: object) => jwt.sign(claims, signingKey, { algorithm: 'RS256' });`,
    },
    {
      name: 'a service-role JWT',
      code: `'use strict';
const supabaseServiceKey = '${SERVICE_ROLE_JWT}';
module.exports = supabaseServiceKey;`,
      fileName: 'supabase.js',
      errors: [{ messageId: 'knownFormat', line: 2 }],
      output: `'use strict';

${HELPER_JS}const supabaseServiceKey = process.env.SUPABASE_SERVICE_KEY ?? missingEnv('SUPABASE_SERVICE_KEY');
module.exports = supabaseServiceKey;`,
    },
    {
      name: 'key arguments of crypto and jsonwebtoken',
      code: `import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
export const hmac = (data: string) => crypto.createHmac('sha256', '${RANDOM_SECRET}').update(data).digest('hex');
export const token = (id: string) => jwt.sign({ id }, '${RANDOM_SECRET}', { expiresIn: '1h' });`,
      errors: [{ messageId: 'highEntropy', line: 3 }, { messageId: 'highEntropy', line: 4 }],
      output: `import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';

${HELPER_TS}export const hmac = (data: string) => crypto.createHmac('sha256', process.env.HMAC_KEY ?? missingEnv('HMAC_KEY')).update(data).digest('hex');
export const token = (id: string) => jwt.sign({ id }, process.env.JWT_SECRET ?? missingEnv('JWT_SECRET'), { expiresIn: '1h' });`,
    },
    {
      name: 'the helper name taken by something else: reported, no fix',
      code: `import { missingEnv } from './env';
export const apiKey = '${RANDOM_SECRET}';
export const check = missingEnv;`,
      errors: [{ messageId: 'highEntropy', line: 2 }],
      output: null,
    },
  ],
});
