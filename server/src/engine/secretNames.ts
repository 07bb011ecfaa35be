/**
 * Names of secrets, shared by the security rules. A name is split into lower-case words (camelCase, snake_case,
 * kebab-case); its last "head" word says what it is. Words after the head must keep it a secret (`passwordHash`);
 * any other trailing word makes it metadata (`tokenExpiresAt`, `passwordPolicy`, `secretName`). Some words before
 * it say the value is a fact about the secret, not the secret (`hasPassword`, `maxTokens`, `nextPageToken`).
 */

const ALWAYS_SECRET: ReadonlySet<string> = new Set([
  'password', 'passwd', 'passphrase', 'secret', 'secrets', 'token', 'authorization', 'cookie', 'cookies',
  'credential', 'credentials', 'cvv', 'cvv2', 'cvc', 'ssn', 'jwt', 'otp',
]);

/** Heads that are secrets only after certain words: `apiKey` but not `cacheKey`, `cardNumber` but not `phoneNumber`. */
const SECRET_AFTER: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries({
  key: new Set(['api', 'private', 'secret', 'signing', 'encryption', 'master', 'client', 'session', 'hmac', 'auth']),
  number: new Set(['card', 'cc', 'credit']),
  code: new Set(['security', 'verification', 'otp', 'mfa', 'totp', 'auth', 'authorization']),
  tokens: new Set(['access', 'refresh', 'auth', 'oauth', 'session', 'api', 'bearer', 'id']),
  pass: new Set(['db', 'smtp', 'mail', 'redis', 'admin', 'user', 'root', 'basic', 'auth', 'proxy']),
}));

/** Words that may follow the head and keep it a secret. */
const KEEPS_SECRET: ReadonlySet<string> = new Set([
  'hash', 'hashed', 'value', 'raw', 'plain', 'plaintext', 'str', 'string', 'header', 'headers', 'b64', 'base64',
  'encoded', 'bytes', 'buffer', 'buf', 'text', '1', '2', 'access', 'key',
]);

/** Words before the head that make the value a fact about the secret, or a different kind of token. */
const NOT_THE_SECRET: ReadonlySet<string> = new Set([
  'has', 'is', 'should', 'needs', 'need', 'require', 'requires', 'required', 'with', 'without', 'use', 'uses',
  'using', 'can', 'no', 'show', 'hide', 'forgot', 'forget', 'validate', 'valid', 'invalid', 'verify', 'verified',
  'check', 'compare', 'max', 'min', 'total', 'num', 'count', 'prompt', 'completion', 'input', 'output', 'next',
  'prev', 'previous', 'page', 'continuation', 'cursor', 'pagination', 'cancel', 'cancellation', 'device', 'push',
  'fcm', 'apns', 'registration', 'notification', 'lexer', 'parser', 'syntax', 'allow', 'allowed', 'enable',
  'enabled', 'disable', 'disabled', 'must', 'did', 'was', 'will', 'missing', 'expired', 'last', 'sync',
]);

/**
 * Heads whose `…Key` is usually the name a value is stored under, not a key: `credentialKey` iterating a
 * credentials object, `TOKEN_KEY = 'auth_token'` for local storage. (`jwtKey`, `cookieKey`, `otpKey` stay secrets.)
 */
const FIELD_NAME_BEFORE_KEY: ReadonlySet<string> = new Set(['password', 'passwd', 'token', 'credential', 'credentials']);

function namesTheField(words: readonly string[], head: number): boolean {
  return words[head + 1] === 'key' && head + 2 === words.length && FIELD_NAME_BEFORE_KEY.has(words[head]);
}

/** Single-word spellings of compound names (`apikey`, `accesstoken`). */
const COMPOUNDS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  apikey: ['api', 'key'], accesstoken: ['access', 'token'], refreshtoken: ['refresh', 'token'],
  authtoken: ['auth', 'token'], secretkey: ['secret', 'key'], privatekey: ['private', 'key'],
  clientsecret: ['client', 'secret'], cardnumber: ['card', 'number'], idtoken: ['id', 'token'],
}));

/** `x-api-key` → `['x', 'api', 'key']`, `APIKey` → `['api', 'key']`, `passwordResetExpires` → `['password', 'reset', 'expires']`. */
export function nameWords(name: string): string[] {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase();
  if (!spaced) return [];
  return spaced.split(' ').flatMap((word) => COMPOUNDS.get(word) ?? [word]);
}

/**
 * Asked of every string literal's name and every logged field, the same few hundred names over and over: answers are
 * remembered, and forgotten all at once past a bound so a long-running server does not keep every name it saw.
 */
const secretKinds = new Map<string, string | null>();
const SECRET_KINDS_KEPT = 10_000;

/** The secret a name denotes (`password`, `api key`), or undefined when the name is not a secret's. */
export function secretKindOf(name: string): string | undefined {
  const known = secretKinds.get(name);
  if (known !== undefined) return known ?? undefined;
  if (secretKinds.size >= SECRET_KINDS_KEPT) secretKinds.clear();
  const kind = secretKindOfWords(nameWords(name));
  secretKinds.set(name, kind ?? null);
  return kind;
}

function secretKindOfWords(words: readonly string[]): string | undefined {
  for (let head = words.length - 1; head >= 0; head--) {
    const word = words[head];
    const after = SECRET_AFTER.get(word);
    const isHead = ALWAYS_SECRET.has(word)
      || (after !== undefined && head > 0 && after.has(words[head - 1]))
      || (word === 'pass' && words.length === 1);
    if (!isHead) continue;
    if (!words.slice(head + 1).every((trailing) => KEEPS_SECRET.has(trailing))) return undefined;
    if (namesTheField(words, head)) return undefined;
    if (words.slice(0, head).some((leading) => NOT_THE_SECRET.has(leading))) return undefined;
    return after !== undefined && head > 0 ? `${words[head - 1]} ${word}` : word;
  }
  return undefined;
}
