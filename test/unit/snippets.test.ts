import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import { analyze } from '../../server/src/engine';
import { expandSnippet, tabstopIndexes, type SnippetVariables } from '../snippets/expand';
import { HARNESSES, harnessSource, javascriptSource, type Harness } from '../snippets/harnesses';
import { formatDiagnostics, typeCheck, type SourceToCheck } from '../snippets/typecheck';

// Compiled to out/test/unit/: the repository is three levels up.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SNIPPETS_FILE = path.join(REPO_ROOT, 'snippets', 'failpath.code-snippets');
const GENERATED_DIR = path.join(REPO_ROOT, 'test', 'snippets', 'generated');

interface SnippetDefinition {
  prefix: string | string[];
  body: string | string[];
  description?: string;
  scope?: string;
}

interface Snippet {
  name: string;
  prefix: string;
  definition: SnippetDefinition;
  harness: Harness | undefined;
  /** Its `scope` names a JavaScript language, so it must be valid JavaScript as well. */
  offeredInJavaScript: boolean;
  expansion: string;
}

const SNIPPET_FILE_TEXT = fs.readFileSync(SNIPPETS_FILE, 'utf8');
const SNIPPETS = loadSnippets(SNIPPET_FILE_TEXT);

const SCRIPT_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

const REQUIRED_PREFIXES = [
  'fp-fetch-timeout',
  'fp-axios-timeout',
  'fp-try-fallback',
  'fp-logger-pino',
  'fp-log-error',
  'fp-idempotency-guard',
  'fp-stripe-idempotent',
  'fp-retry-backoff',
  'fp-circuit-breaker',
  'fp-kill-switch',
  'fp-rate-limit',
  'fp-graceful-shutdown',
];

function loadSnippets(text: string): Snippet[] {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  return Object.entries(parsed as Record<string, SnippetDefinition>).map(([name, definition]) => {
    const prefix = Array.isArray(definition.prefix) ? definition.prefix[0] : definition.prefix;
    return {
      name,
      prefix,
      definition,
      harness: HARNESSES[prefix],
      offeredInJavaScript: scopesOf(definition).some((scope) => scope.startsWith('javascript')),
      expansion: expandSnippet(definition.body),
    };
  });
}

function scopesOf(definition: SnippetDefinition): string[] {
  return (definition.scope ?? '').split(',').map((scope) => scope.trim()).filter(Boolean);
}

describe('snippet file', () => {
  it('is valid JSON: an object of snippet definitions', () => {
    const parsed: unknown = JSON.parse(SNIPPET_FILE_TEXT);
    assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), 'top level must be an object');
    for (const [name, definition] of Object.entries(parsed as Record<string, unknown>)) {
      assert.ok(typeof definition === 'object' && definition !== null, `${name} must be an object`);
      const { prefix, body } = definition as Record<string, unknown>;
      assert.ok(typeof prefix === 'string' || isStringArray(prefix), `${name}: prefix must be a string or string[]`);
      assert.ok(typeof body === 'string' || isStringArray(body), `${name}: body must be a string or string[]`);
    }
  });

  it('holds every snippet Failpath promises', () => {
    const prefixes = SNIPPETS.map((snippet) => snippet.prefix);
    const missing = REQUIRED_PREFIXES.filter((prefix) => !prefixes.includes(prefix));
    assert.deepEqual(missing, [], `missing snippets: ${missing.join(', ')}`);
  });

  it('every prefix starts with fp- and is unique', () => {
    const prefixes = SNIPPETS.flatMap((snippet) => [snippet.definition.prefix].flat());
    const wrong = prefixes.filter((prefix) => !/^fp-[a-z0-9-]+$/.test(prefix));
    assert.deepEqual(wrong, [], `prefixes must look like fp-name: ${wrong.join(', ')}`);
    const duplicates = prefixes.filter((prefix, i) => prefixes.indexOf(prefix) !== i);
    assert.deepEqual(duplicates, [], `duplicate prefixes: ${duplicates.join(', ')}`);
  });

  it('every snippet has a description of at least a few words', () => {
    const lacking = SNIPPETS.filter((snippet) => (snippet.definition.description ?? '').trim().split(/\s+/).length < 4);
    assert.deepEqual(lacking.map((snippet) => snippet.prefix), []);
  });

  it('every snippet numbers its tab stops 1..n without gaps and ends with $0', () => {
    for (const snippet of SNIPPETS) {
      const indexes = tabstopIndexes(snippet.definition.body);
      assert.ok(indexes.includes(0), `${snippet.prefix}: no final tab stop $0`);
      const numbered = indexes.filter((index) => index > 0).sort((a, b) => a - b);
      assert.deepEqual(numbered, numbered.map((_, i) => i + 1), `${snippet.prefix}: tab stops ${numbered.join(', ')}`);
    }
  });

  it('every expansion is free of snippet syntax (no stray $1, ${ or escapes left behind)', () => {
    for (const snippet of SNIPPETS) {
      const leftovers = snippet.expansion.match(/\$\d|\$\{\d|\\\$/g);
      assert.equal(leftovers, null, `${snippet.prefix} expands to text with ${leftovers?.join(' ')}`);
    }
  });

  // An explicit scope on every snippet: VS Code honours it when package.json registers the file without a
  // language, and a snippet without one would then be offered in every language (Python, Markdown…).
  it('every snippet has a scope of JavaScript/TypeScript languages', () => {
    for (const snippet of SNIPPETS) {
      const scopes = scopesOf(snippet.definition);
      assert.ok(scopes.length > 0, `${snippet.prefix}: no scope`);
      const unknown = scopes.filter((scope) => !SCRIPT_LANGUAGES.includes(scope));
      assert.deepEqual(unknown, [], `${snippet.prefix}: scope outside ${SCRIPT_LANGUAGES.join(', ')}`);
    }
  });

  it('scopes name only languages package.json registers the file for', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: { snippets: { language?: string; path: string }[] };
    };
    const entries = manifest.contributes.snippets.filter(
      (entry) => path.normalize(entry.path) === path.normalize('./snippets/failpath.code-snippets'),
    );
    assert.ok(entries.length > 0, 'package.json does not contribute snippets/failpath.code-snippets');
    // An entry without a language lets each snippet's scope decide.
    if (entries.some((entry) => !entry.language)) return;
    const languages = entries.map((entry) => entry.language ?? '');
    for (const snippet of SNIPPETS) {
      for (const scope of scopesOf(snippet.definition)) {
        assert.ok(languages.includes(scope), `${snippet.prefix}: scope ${scope} is not one of ${languages.join(', ')}`);
      }
    }
  });

  it('every snippet has a harness, and every harness a snippet', () => {
    const prefixes = SNIPPETS.map((snippet) => snippet.prefix);
    assert.deepEqual(prefixes.filter((prefix) => !HARNESSES[prefix]), [], 'snippets without a harness');
    assert.deepEqual(Object.keys(HARNESSES).filter((prefix) => !prefixes.includes(prefix)), [], 'harnesses without a snippet');
  });
});

describe('snippets say what they promise', () => {
  const EXPECTED_TEXT: Record<string, RegExp[]> = {
    'fp-fetch-timeout': [/signal: AbortSignal\.timeout\(5000\)/, /if \(!response\.ok\)/],
    'fp-axios-timeout': [/timeout: 5000/],
    'fp-try-fallback': [/catch \(err\)/, /logger\.warn\(\{ err, userId \}/],
    'fp-logger-pino': [/'req\.headers\.authorization'/, /'req\.headers\.cookie'/, /'\*\.password'/, /censor:/],
    'fp-log-error': [/logger\.error\(\{ err: err/],
    'fp-idempotency-guard': [/req\.get\('Idempotency-Key'\)/, /status\(400\)/, /REPLACE ME/, /new Map</],
    'fp-stripe-idempotent': [/idempotencyKey: `payment-intent:\$\{orderId\}`/],
    'fp-retry-backoff': [/Math\.random\(\) \* ceilingMs/, /Math\.min\(maxDelayMs/, /!isRetryable\(err\)/, /attempt >= maxAttempts/],
    'fp-circuit-breaker': [/'closed' \| 'open' \| 'half-open'/, /failureThreshold/, /resetTimeoutMs/],
    'fp-kill-switch': [/process\.env\.RECOMMENDATIONS_ENABLED/, /return \[\];/],
    'fp-rate-limit': [/rateLimit\(\{/, /windowMs:/, /limit: 100/, /standardHeaders: 'draft-7'/, /legacyHeaders: false/],
    'fp-graceful-shutdown': [/'SIGTERM'/, /'SIGINT'/, /server\.close\(/, /\.unref\(\)/, /pool\.end\(\)/, /process\.exit\(/],
  };
  for (const [prefix, patterns] of Object.entries(EXPECTED_TEXT)) {
    it(prefix, () => {
      const snippet = SNIPPETS.find((candidate) => candidate.prefix === prefix);
      assert.ok(snippet, `no snippet ${prefix}`);
      for (const pattern of patterns) assert.match(snippet.expansion, pattern);
    });
  }
});

describe('snippet expander', () => {
  const variables: SnippetVariables = { TM_FILENAME: 'orders.ts', TM_FILENAME_BASE: 'orders' };
  const cases: { name: string; body: string; expected: string }[] = [
    { name: 'plain text', body: 'const a = 1;', expected: 'const a = 1;' },
    { name: 'bare tabstops and $0 are empty', body: 'a$1b$0c', expected: 'abc' },
    { name: 'braced tabstop', body: 'a${1}b', expected: 'ab' },
    { name: 'placeholder default', body: 'const ${1:name} = 1;', expected: 'const name = 1;' },
    { name: 'mirrors take the placeholder default', body: '$1 ${1:x} ${1}', expected: 'x x x' },
    { name: 'mirror before the placeholder still gets its default', body: 'use($2); const ${2:y} = 0;', expected: 'use(y); const y = 0;' },
    { name: 'nested placeholders', body: '${1:foo ${2:bar}} $2', expected: 'foo bar bar' },
    { name: 'a default may mirror a tab stop defined later', body: '${1:a $2} ${2:b}', expected: 'a b b' },
    { name: 'a default that mirrors itself does not loop', body: '${1:x$1}', expected: 'x' },
    { name: 'empty placeholder', body: '(${1:})', expected: '()' },
    { name: 'deeply nested placeholders', body: '${1:a${2:b${3:c}}}|$3', expected: 'abc|c' },
    { name: 'choice takes the first option', body: "level: '${1|info,debug,warn|}'", expected: "level: 'info'" },
    { name: 'choice escapes', body: '${1|a\\,b,c\\|d|}', expected: 'a,b' },
    { name: 'mirror of a choice', body: '${1|get,post|} $1', expected: 'get get' },
    { name: 'known variable', body: '$TM_FILENAME', expected: 'orders.ts' },
    { name: 'braced variable', body: '${TM_FILENAME_BASE}.test', expected: 'orders.test' },
    { name: 'unknown variable inserts its name', body: '$NOT_A_VARIABLE', expected: 'NOT_A_VARIABLE' },
    { name: 'unknown variable uses its default', body: '${NOT_A_VARIABLE:fallback}', expected: 'fallback' },
    { name: 'known variable ignores its default', body: '${TM_FILENAME_BASE:x}', expected: 'orders' },
    { name: 'variable inside a placeholder', body: "'${1:$TM_FILENAME_BASE}' $1", expected: "'orders' orders" },
    { name: 'escaped dollar', body: '\\$1 costs \\${x}', expected: '$1 costs ${x}' },
    { name: 'escaped closing brace inside a placeholder', body: '${1:{ a: 1 \\}} ok', expected: '{ a: 1 } ok' },
    { name: 'escaped backslash', body: 'a\\\\b', expected: 'a\\b' },
    { name: 'other backslashes stay', body: "'\\n' \\d", expected: "'\\n' \\d" },
    { name: 'template literal built from escapes', body: '`${1:url}: \\${${1:url}}`', expected: '`url: ${url}`' },
    { name: 'unparsable constructs are literal text', body: '${res.status} $ ${', expected: '${res.status} $ ${' },
    { name: 'closing brace at top level is text', body: 'if (a) { b(); }', expected: 'if (a) { b(); }' },
    { name: 'unterminated placeholder is literal', body: '${1:abc', expected: '${1:abc' },
    { name: 'malformed tabstop is literal', body: '${1x}', expected: '${1x}' },
    { name: 'unterminated choice is literal', body: '${1|a,b}', expected: '${1|a,b}' },
    { name: '$0 with a default', body: '${0:done}', expected: 'done' },
    { name: 'transform on a variable', body: '${TM_FILENAME/(.*)\\.ts$/$1/}', expected: 'orders' },
    { name: 'transform with case modifier', body: '${TM_FILENAME_BASE/(.*)/${1:/upcase}/}', expected: 'ORDERS' },
    { name: 'transform with pascalcase and global flag', body: '${1:order-service} ${1/(.*)/${1:/pascalcase}/g}', expected: 'order-service OrderService' },
    { name: 'transform conditional', body: '${TM_FILENAME/(x)?.*/${1:?yes:no}/}', expected: 'no' },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.equal(expandSnippet(testCase.body, variables), testCase.expected);
    });
  }

  it('joins an array body with newlines', () => {
    assert.equal(expandSnippet(['a${1:b}', '\t$1'], variables), 'ab\n\tb');
  });

  it('lists tab stops in order of appearance, nested ones included', () => {
    assert.deepEqual(tabstopIndexes('${2:a ${3:b}} $1 ${1|x,y|} $0'), [2, 3, 1, 0]);
  });
});

const BROKEN_PREFIX = 'fp-selfcheck-broken';
// A body that is valid snippet syntax but wrong TypeScript: a string given where a number is required.
const BROKEN_BODY = ["const ${1:timeoutMs}: number = '${2:5000}';", 'await fetch(${3:url}, { signal: AbortSignal.timeout(${1:timeoutMs}) });$0'];
const TYPESCRIPT_ONLY_IN_JS = 'const timeoutMs: number = 5000;\nexport {};\n';

describe('snippets type-check against the real type packages', () => {
  let diagnostics = new Map<string, readonly ts.Diagnostic[]>();

  before(() => {
    const sources: SourceToCheck[] = [];
    for (const snippet of SNIPPETS) {
      if (!snippet.harness) continue;
      sources.push({ name: `${snippet.prefix}.ts`, text: harnessSource(snippet.harness, snippet.expansion) });
      if (snippet.offeredInJavaScript) {
        sources.push({ name: `${snippet.prefix}.js`, text: `${javascriptSource(snippet.harness, snippet.expansion)}\nexport {};\n` });
      }
    }
    const brokenHarness: Harness = { placement: 'async-body', prelude: 'declare const url: string;' };
    sources.push({ name: `${BROKEN_PREFIX}.ts`, text: harnessSource(brokenHarness, expandSnippet(BROKEN_BODY)) });
    sources.push({ name: `${BROKEN_PREFIX}.js`, text: TYPESCRIPT_ONLY_IN_JS });
    diagnostics = typeCheck(sources, GENERATED_DIR, REPO_ROOT);
  });

  it('self-check: a deliberately broken snippet fails the type check', () => {
    const found = diagnostics.get(`${BROKEN_PREFIX}.ts`) ?? [];
    assert.ok(
      found.some((diagnostic) => diagnostic.code === 2322),
      `expected "Type 'string' is not assignable to type 'number'" (TS2322), got:\n${formatDiagnostics(found) || '(nothing)'}`,
    );
  });

  it('self-check: TypeScript-only syntax fails the JavaScript check', () => {
    const found = diagnostics.get(`${BROKEN_PREFIX}.js`) ?? [];
    assert.ok(found.length > 0, 'a type annotation in a .js file must be reported');
  });

  for (const snippet of SNIPPETS) {
    it(`${snippet.prefix} compiles under strict TypeScript`, () => {
      const found = diagnostics.get(`${snippet.prefix}.ts`);
      assert.ok(found, `${snippet.prefix} was not type-checked (no harness?)`);
      assert.equal(found.length, 0, `${snippet.prefix} (test/snippets/generated/${snippet.prefix}.ts):\n${formatDiagnostics(found)}`);
    });
    if (snippet.offeredInJavaScript) {
      it(`${snippet.prefix} is valid JavaScript too (it is offered in .js files)`, () => {
        const found = diagnostics.get(`${snippet.prefix}.js`) ?? [];
        assert.equal(found.length, 0, `${snippet.prefix}:\n${formatDiagnostics(found)}`);
      });
    }
  }
});

describe("snippets pass Failpath's own rules", () => {
  for (const snippet of SNIPPETS) {
    if (!snippet.harness) continue;
    const harness = snippet.harness;
    it(snippet.prefix, () => {
      const result = analyze(`/project/src/${snippet.prefix}.ts`, harnessSource(harness, snippet.expansion));
      assert.equal(result.skipped, undefined, `analysis skipped: ${result.skipped}`);
      assert.deepEqual(result.ruleErrors, []);
      const findings = result.findings.map((finding) => `${finding.ruleId}: ${finding.message}`);
      assert.deepEqual(findings, [], `${snippet.prefix} triggers Failpath findings`);
    });
  }
});

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

// Guard against a snippet list that silently shrinks to nothing (e.g. the file moved).
assert.ok(SNIPPETS.length >= REQUIRED_PREFIXES.length, `only ${SNIPPETS.length} snippets loaded from ${SNIPPETS_FILE}`);
