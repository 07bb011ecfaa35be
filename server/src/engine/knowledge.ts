/**
 * What Failpath knows about modules whose calls leave the process. This is data, in one place:
 * rules ask "is this an outbound HTTP call?" and read where its timeout or idempotency key lives here.
 * Users add modules with the `failpath.externalModules` setting.
 */
export type ExternalKind = 'http' | 'db' | 'cache' | 'queue' | 'payment' | 'sdk';

/** How an HTTP client takes a timeout; missing-timeout reads this. */
export type HttpStyle = 'fetch' | 'axios' | 'got' | 'ky' | 'superagent' | 'node-http' | 'undici-request';

export interface ModuleKnowledge {
  kind: ExternalKind;
  http?: HttpStyle;
  /** Member calls that return a configured client of the same module (`axios.create`, `got.extend`, `client.db`). */
  factories?: readonly string[];
  /** Exported classes whose instances are clients (`new Pool()`); 'any' accepts every constructed export. */
  constructors?: readonly string[] | 'any';
  /** Calling the imported binding itself returns a client (`stripe(key)`, `knex(config)`, `createClient()`). */
  callableFactories?: readonly string[];
  /** Calling the imported default binding performs the request (`axios(config)`, `got(url)`, `fetch(url)`). */
  callableIsRequest?: boolean;
  /** Named exports that are request functions themselves (`import { request } from 'undici'`). */
  requestExports?: readonly string[];
  /** Calls that must carry an idempotency key, as `<resource>.<method>` suffixes ('*' matches any resource). */
  idempotentMethods?: readonly string[];
  /** Matches of `idempotentMethods` whose duplicates are harmless: short-lived sessions, links, keys, tokens. */
  idempotencyNotNeeded?: readonly string[];
  /** Where those calls take the key. */
  idempotencyKey?: IdempotencyKeyOption;
  /** Members of this module or its clients that stay in-process (`axios.create`, `client.db`). */
  localMembers?: readonly string[];
}

/** A request-options argument that carries an idempotency key (`stripe.refunds.create(params, { idempotencyKey })`). */
export interface IdempotencyKeyOption {
  /** The property, and older spellings the SDK still accepts. */
  properties: readonly string[];
  /** Other properties that mark an object argument as the request options rather than params. */
  optionKeys: readonly string[];
  /** Index of the options argument by method name, else `defaultOptionsIndex`. */
  optionsIndex: Readonly<Record<string, number>>;
  defaultOptionsIndex: number;
  /** Whether params before the options are optional (written as `{}` when a fix adds the options). */
  optionalParams: boolean;
}

/** Members that never leave the process, whatever the client. */
export const LOCAL_MEMBERS: ReadonlySet<string> = new Set([
  'on', 'once', 'off', 'emit', 'addListener', 'removeListener', 'removeAllListeners', 'listeners',
  'listenerCount', 'setMaxListeners', 'getMaxListeners', 'prependListener', 'prependOnceListener',
  'interceptors', 'defaults', 'isAxiosError', 'isCancel', 'CancelToken', 'toJSON', 'getUri', 'mergeConfig',
  'then', 'catch', 'finally', 'pipe', 'unpipe', 'toString', 'bind', 'call', 'apply',
]);

const STRIPE_SIDE_EFFECTS = [
  '*.create', '*.confirm', '*.capture', '*.createReversal', 'refunds.create', 'transfers.create', 'payouts.create',
  'paymentIntents.incrementAuthorization', 'invoices.pay', 'invoices.finalizeInvoice', 'subscriptions.update',
  'charges.update',
];

/** Creates whose duplicates cost nothing: they expire or only hand out a link, key or token. */
const STRIPE_HARMLESS_DUPLICATES = [
  'sessions.create', 'ephemeralKeys.create', 'accountLinks.create', 'accountSessions.create', 'customerSessions.create',
  'loginLinks.create', 'tokens.create', 'setupIntents.create', 'paymentMethods.create', 'files.create', 'fileLinks.create',
  'confirmationTokens.create',
];

/** stripe-node: request options are the last argument, after an optional params object (`(id, params?, options?)`). */
const STRIPE_IDEMPOTENCY_KEY: IdempotencyKeyOption = {
  properties: ['idempotencyKey', 'idempotency_key'],
  optionKeys: ['apiKey', 'stripeAccount', 'stripe_account', 'apiVersion', 'stripeVersion', 'maxNetworkRetries', 'timeout', 'host', 'stripeContext', 'authenticator'],
  optionsIndex: {
    create: 1, confirm: 2, capture: 2, cancel: 2, update: 2, pay: 2, finalizeInvoice: 2, incrementAuthorization: 2,
    createReversal: 2, createSource: 2, createBalanceTransaction: 2,
  },
  defaultOptionsIndex: 2,
  optionalParams: true,
};

/** @adyen/api-library (v13+): `checkout.PaymentsApi.payments(request, requestOptions?)`; modifications take the pspReference first. */
const ADYEN_SIDE_EFFECTS = [
  'PaymentsApi.payments', 'ModificationsApi.captureAuthorisedPayment', 'ModificationsApi.refundCapturedPayment',
  'ModificationsApi.refundOrCancelPayment', 'ModificationsApi.cancelAuthorisedPayment',
  'ModificationsApi.cancelAuthorisedPaymentByPspReference', 'ModificationsApi.updateAuthorisedAmount',
];
const ADYEN_IDEMPOTENCY_KEY: IdempotencyKeyOption = {
  properties: ['idempotencyKey'],
  optionKeys: [],
  optionsIndex: { payments: 1, cancelAuthorisedPayment: 1 },
  defaultOptionsIndex: 2,
  optionalParams: false,
};

export const MODULES: Readonly<Record<string, ModuleKnowledge>> = {
  // HTTP
  axios: { kind: 'http', http: 'axios', factories: ['create'], callableIsRequest: true, localMembers: ['create', 'isAxiosError', 'isCancel', 'CancelToken', 'interceptors', 'defaults', 'getUri', 'mergeConfig', 'toFormData', 'formToJSON', 'AxiosError', 'AxiosHeaders'] },
  'node-fetch': { kind: 'http', http: 'fetch', callableIsRequest: true },
  'cross-fetch': { kind: 'http', http: 'fetch', callableIsRequest: true },
  'isomorphic-fetch': { kind: 'http', http: 'fetch', callableIsRequest: true },
  undici: { kind: 'http', http: 'undici-request', requestExports: ['request', 'fetch', 'stream'], constructors: ['Client', 'Pool', 'Agent'] },
  got: { kind: 'http', http: 'got', factories: ['extend'], callableIsRequest: true, localMembers: ['extend', 'mergeOptions', 'defaults'] },
  ky: { kind: 'http', http: 'ky', factories: ['create', 'extend'], callableIsRequest: true, localMembers: ['create', 'extend', 'stop', 'retry'] },
  superagent: { kind: 'http', http: 'superagent', factories: ['agent'], callableIsRequest: true, localMembers: ['agent'] },
  http: { kind: 'http', http: 'node-http', requestExports: ['request', 'get'], constructors: ['Agent'], localMembers: ['createServer', 'Agent', 'STATUS_CODES', 'METHODS', 'globalAgent', 'Server', 'IncomingMessage', 'ServerResponse', 'validateHeaderName', 'validateHeaderValue'] },
  https: { kind: 'http', http: 'node-http', requestExports: ['request', 'get'], constructors: ['Agent'], localMembers: ['createServer', 'Agent', 'globalAgent', 'Server'] },
  // Databases
  pg: { kind: 'db', constructors: ['Pool', 'Client'], factories: ['connect'], localMembers: ['release', 'escapeLiteral', 'escapeIdentifier'] },
  'pg-promise': { kind: 'db', callableFactories: ['default'] },
  postgres: { kind: 'db', callableFactories: ['default'] },
  mysql: { kind: 'db', factories: ['createPool', 'createConnection', 'getConnection'], localMembers: ['release', 'escape', 'escapeId', 'format'] },
  mysql2: { kind: 'db', factories: ['createPool', 'createConnection', 'getConnection', 'promise'], localMembers: ['release', 'escape', 'escapeId', 'format'] },
  'mysql2/promise': { kind: 'db', factories: ['createPool', 'createConnection', 'getConnection'], localMembers: ['release', 'escape', 'escapeId', 'format'] },
  mongodb: { kind: 'db', constructors: ['MongoClient'], factories: ['db', 'collection', 'connect'], localMembers: ['db', 'collection', 'ObjectId'] },
  mongoose: { kind: 'db', factories: ['model', 'connection', 'createConnection'], localMembers: ['model', 'Schema', 'Types', 'set', 'models', 'isValidObjectId'] },
  '@prisma/client': { kind: 'db', constructors: ['PrismaClient'], localMembers: ['$on', '$use', '$extends', 'Prisma', 'sql', 'raw', 'join', 'empty'] },
  knex: { kind: 'db', callableFactories: ['default', 'knex'], localMembers: ['raw', 'ref', 'fn'] },
  sequelize: { kind: 'db', constructors: ['Sequelize'], factories: ['define'], localMembers: ['define', 'literal', 'fn', 'col', 'where', 'Op'] },
  typeorm: { kind: 'db', constructors: ['DataSource'], factories: ['getRepository', 'createQueryBuilder'] },
  'drizzle-orm': { kind: 'db' },
  'better-sqlite3': { kind: 'db', constructors: 'any' },
  '@supabase/supabase-js': { kind: 'db', callableFactories: ['createClient'] },
  '@aws-sdk/client-dynamodb': { kind: 'db', constructors: 'any' },
  '@aws-sdk/lib-dynamodb': { kind: 'db', constructors: 'any', factories: ['from'] },
  'firebase-admin': { kind: 'db', factories: ['firestore', 'collection', 'doc'] },
  // Caches
  redis: { kind: 'cache', callableFactories: ['createClient', 'createCluster'] },
  ioredis: { kind: 'cache', constructors: 'any' },
  '@upstash/redis': { kind: 'cache', constructors: ['Redis'], factories: ['fromEnv'] },
  memcached: { kind: 'cache', constructors: 'any' },
  // Queues
  amqplib: { kind: 'queue', factories: ['connect', 'createChannel', 'createConfirmChannel'] },
  kafkajs: { kind: 'queue', constructors: ['Kafka'], factories: ['producer', 'consumer', 'admin'], localMembers: ['producer', 'consumer', 'admin', 'logger'] },
  bullmq: { kind: 'queue', constructors: ['Queue', 'FlowProducer'] },
  bull: { kind: 'queue', callableFactories: ['default'], constructors: 'any' },
  '@aws-sdk/client-sqs': { kind: 'queue', constructors: 'any' },
  '@aws-sdk/client-sns': { kind: 'queue', constructors: 'any' },
  '@google-cloud/pubsub': { kind: 'queue', constructors: ['PubSub'], factories: ['topic', 'subscription'] },
  nats: { kind: 'queue', factories: ['connect'] },
  // Payments
  stripe: { kind: 'payment', constructors: 'any', callableFactories: ['default', 'Stripe'], idempotentMethods: STRIPE_SIDE_EFFECTS, idempotencyNotNeeded: STRIPE_HARMLESS_DUPLICATES, idempotencyKey: STRIPE_IDEMPOTENCY_KEY, localMembers: ['webhooks', 'constructEvent', 'generateTestHeaderString', 'errors', 'StripeError'] },
  '@adyen/api-library': { kind: 'payment', constructors: ['Client', 'CheckoutAPI'], idempotentMethods: ADYEN_SIDE_EFFECTS, idempotencyKey: ADYEN_IDEMPOTENCY_KEY, localMembers: ['setEnvironment'] },
  // Other SDKs that leave the process
  '@sendgrid/mail': { kind: 'sdk', factories: [] },
  twilio: { kind: 'sdk', callableFactories: ['default', 'Twilio'], constructors: 'any' },
  nodemailer: { kind: 'sdk', factories: ['createTransport'] },
  openai: { kind: 'sdk', constructors: 'any' },
  '@anthropic-ai/sdk': { kind: 'sdk', constructors: 'any' },
  '@slack/web-api': { kind: 'sdk', constructors: ['WebClient'] },
  '@octokit/rest': { kind: 'sdk', constructors: ['Octokit'] },
  '@elastic/elasticsearch': { kind: 'db', constructors: ['Client'] },
};

/** Module prefixes: every package under them is external of that kind, its clients built with `new`. */
const PREFIXES: readonly [string, ModuleKnowledge][] = [
  ['@aws-sdk/', { kind: 'sdk', constructors: 'any' }],
  ['@google-cloud/', { kind: 'sdk', constructors: 'any' }],
  ['@azure/', { kind: 'sdk', constructors: 'any' }],
];

export function normalizeModuleName(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** Knowledge for a module specifier, user declarations first; undefined when the module stays in-process. */
export function lookupModule(
  specifier: string,
  userModules: Readonly<Record<string, ExternalKind>>,
): ModuleKnowledge | undefined {
  const name = normalizeModuleName(specifier);
  const declared = Object.prototype.hasOwnProperty.call(userModules, name) ? userModules[name] : undefined;
  if (declared) {
    const builtIn = MODULES[name];
    return builtIn && builtIn.kind === declared
      ? builtIn
      : { kind: declared, constructors: 'any', factories: ['create', 'createClient', 'connect'], callableFactories: ['default'] };
  }
  if (Object.prototype.hasOwnProperty.call(MODULES, name)) return MODULES[name];
  for (const [prefix, knowledge] of PREFIXES) if (name.startsWith(prefix)) return knowledge;
  return undefined;
}
