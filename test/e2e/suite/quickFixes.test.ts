import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, applyAction, codeOf, describe as describeDiagnostics, failpathDiagnostics, open, quickFixTitled, rangeText, waitForDiagnostics } from './helpers';

interface QuickFixCase {
  rule: string;
  /** A sample under test/e2e/workspace/ holding exactly one finding of `rule` (and as little else as possible). */
  file: string;
  /** The source text the finding's range covers. */
  at: string;
  fixTitle: string | RegExp;
  /** A distinctive piece of the fixed text (absent before the fix). */
  fixed: string;
  /** The fix rewrites only the finding's first line (every other line stays as it was). */
  onlyItsLine?: boolean;
}

/** One row per rule with a quick fix; adding a rule's fix = adding a row (and a sample file). */
const CASES: QuickFixCase[] = [
  {
    rule: 'missing-timeout',
    file: 'src/fix/shipping.ts',
    at: 'fetch',
    fixTitle: /^Add `signal` \(10000 ms\)/,
    fixed: '  const res = await fetch(`https://shipping.example.com/quotes?postcode=${encodeURIComponent(postcode)}`, { signal: AbortSignal.timeout(10000) });\n',
    onlyItsLine: true,
  },
  {
    rule: 'missing-timeout',
    file: 'src/fix/warehouse.ts',
    at: 'axios.post',
    fixTitle: /^Add `timeout` \(10000 ms\)/,
    fixed: "  const { data } = await axios.post('https://warehouse.example.com/shipments', { orderId, items }, { timeout: 10000 });\n",
    onlyItsLine: true,
  },
  {
    rule: 'unhandled-external-failure',
    file: 'src/fix/users.ts',
    at: 'pool.query',
    fixTitle: 'Wrap in try/catch: log the failure and answer 503',
    fixed: "  try {\n    const { rows } = await pool.query('select * from users where id = $1', [req.params.id]);\n    res.json(rows[0]);\n  } catch (err) {\n    logger.error({ err }, 'GET /users/:id failed');\n    res.status(503)",
  },
  {
    rule: 'floating-promise',
    file: 'src/fix/audit.ts',
    at: "axios.post('https://audit.example.com/logins', { userId }, { timeout: 2000 })",
    fixTitle: 'Catch and log the rejection (logger)',
    fixed: "{ timeout: 2000 }).catch((err) => logger.error({ err }, 'axios.post failed'));\n",
    onlyItsLine: true,
  },
  {
    rule: 'swallowed-error',
    file: 'src/fix/preferences.ts',
    at: 'catch (err)',
    fixTitle: 'Log the caught error (logger)',
    fixed: "  } catch (err) {\n    logger.error({ err }, 'axios.put failed');\n  }\n",
  },
  {
    rule: 'error-cause-lost',
    file: 'src/fix/accounts.ts',
    at: 'new Error',
    fixTitle: 'Pass the caught error as the cause (`err`)',
    fixed: 'throw new Error(`account file ${path} could not be read`, { cause: err });\n',
    onlyItsLine: true,
  },
  {
    rule: 'unstructured-log',
    file: 'src/fix/config.ts',
    at: 'console.error',
    fixTitle: 'Log with logger (structured)',
    fixed: "    logger.error({ err }, 'bad APP_URL');\n",
  },
  {
    rule: 'sensitive-data-in-log',
    file: 'src/fix/signup.ts',
    at: 'password',
    fixTitle: 'Redact `password` in this log call',
    fixed: "logger.info({ email, password: '[REDACTED]' }, 'registering user');\n",
    onlyItsLine: true,
  },
  {
    rule: 'payment-without-idempotency-key',
    file: 'src/fix/payments.ts',
    at: 'stripe.paymentIntents.create',
    fixTitle: 'Add `idempotencyKey: `payment-intent-${order.id}``',
    fixed: "    metadata: { orderId: order.id },\n  }, { idempotencyKey: `payment-intent-${order.id}` });\n",
  },
  {
    rule: 'non-idempotent-create-handler',
    file: 'src/fix/orders.ts',
    at: 'prisma.order.create',
    fixTitle: 'Insert an Idempotency-Key guard (409 when this process has already accepted the key)',
    fixed: "  const idempotencyKey = req.get('Idempotency-Key');\n  if (idempotencyKey && !claimIdempotencyKey('POST /orders:' + idempotencyKey)) {\n    res.status(409)",
  },
  {
    rule: 'missing-rate-limit',
    file: 'src/fix/catalog.ts',
    at: 'express()',
    fixTitle: 'Install express-rate-limit on this app (100 requests per minute per IP)',
    fixed: "import { rateLimit } from 'express-rate-limit';\n\nexport const app = express();\napp.use(rateLimit({ windowMs: 60_000, limit: 100,",
  },
  {
    rule: 'missing-graceful-shutdown',
    file: 'src/fix/server.ts',
    at: 'server.listen(3000)',
    fixTitle: 'Close this server on SIGTERM/SIGINT (drain, close pools, exit with a 10 s deadline)',
    fixed: "  server.close(() => process.exit(0));\n};\nprocess.once('SIGTERM', shutdown);\nprocess.once('SIGINT', shutdown);\n",
  },
  {
    rule: 'retry-without-backoff',
    file: 'src/fix/invoices.ts',
    at: 'for (let attempt = 0; attempt < 3; attempt++)',
    fixTitle: 'Retry with capped exponential backoff and full jitter (retryWithBackoff)',
    fixed: '  return await retryWithBackoff(() => axios.get(`https://billing.example.com/invoices/${id}`, { timeout: 5000 }), { attempts: 3, baseMs: 200, maxMs: 10000 });\n',
  },
  {
    rule: 'cache-without-ttl',
    file: 'src/fix/catalogCache.ts',
    at: 'set(`product:${id}`, JSON.stringify(product))',
    fixTitle: 'Add a 3600 s expiry',
    fixed: 'await cache.set(`product:${id}`, JSON.stringify(product), { EX: 3600 });\n',
    onlyItsLine: true,
  },
  {
    rule: 'await-in-loop',
    file: 'src/fix/loyalty.ts',
    at: 'await prisma.card.findUnique({ where: { id: member.cardId } })',
    fixTitle: 'Collect the results with Promise.all (order is kept)',
    fixed: '  const cards = await Promise.all(members.map(async (member) => prisma.card.findUnique({ where: { id: member.cardId } })));\n  return cards;\n',
  },
  {
    rule: 'sequential-awaits',
    file: 'src/fix/dashboard.ts',
    at: "const profile = await axios.get(`https://profiles.example.com/users/${userId}`, { timeout: 5000 });\n  const news = await axios.get('https://news.example.com/latest', { timeout: 5000 });",
    fixTitle: 'Run the 2 calls together with Promise.all',
    fixed: "  const [profile, news] = await Promise.all([\n    axios.get(`https://profiles.example.com/users/${userId}`, { timeout: 5000 }),\n    axios.get('https://news.example.com/latest', { timeout: 5000 }),\n  ]);\n",
  },
  {
    rule: 'hardcoded-secret',
    file: 'src/fix/billing.ts',
    at: "'sk_live_Zq8vN3kR7tY2wX5bM1cH9dJ4'",
    fixTitle: 'Read it from process.env.STRIPE_SECRET_KEY (fail fast when unset)',
    fixed: "const key = process.env.STRIPE_SECRET_KEY ?? missingEnv('STRIPE_SECRET_KEY');\n",
  },
];

const ofRule = (rule: string) => (diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] => diagnostics.filter((d) => codeOf(d) === rule);

describe('quick fixes', () => {
  before(activateExtension);

  for (const c of CASES) {
    it(`${c.rule}: "${typeof c.fixTitle === 'string' ? c.fixTitle : c.fixTitle.source}" fixes ${c.file} and the diagnostic goes away`, async () => {
      const editor = await open(c.file);
      const uri = editor.document.uri;
      const found = ofRule(c.rule)(await waitForDiagnostics(uri, (d) => ofRule(c.rule)(d).length > 0, `a ${c.rule} diagnostic`));
      assert.equal(found.length, 1, `the sample holds one ${c.rule} finding: ${describeDiagnostics(found)}`);
      const [diagnostic] = found;
      assert.equal(editor.document.getText(diagnostic.range), c.at);
      const line = diagnostic.range.start.line;
      const before = editor.document.getText();
      assert.equal(before.includes(c.fixed), false, 'the sample already reads like the fixed text');

      await applyAction(await quickFixTitled(uri, diagnostic.range, c.fixTitle));

      const after = editor.document.getText();
      assert.ok(after.includes(c.fixed), `the fixed text lacks ${JSON.stringify(c.fixed)}:\n${after}`);
      if (c.onlyItsLine) {
        const otherLines = (text: string): string[] => text.split('\n').filter((_, i) => i !== line);
        assert.deepEqual(otherLines(after), otherLines(before), 'the fix changes only the finding\'s line');
      }
      await waitForDiagnostics(uri, (d) => ofRule(c.rule)(d).length === 0, `no ${c.rule} diagnostic after the fix`);
    });
  }

  it('"Ignore for this line" inserts the comment above the finding and the diagnostic goes away', async () => {
    const editor = await open('src/ignore/webhook.ts');
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'one diagnostic');
    assert.equal(rangeText(diagnostic.range), '3:11-3:16');

    await applyAction(await quickFixTitled(uri, diagnostic.range, 'Ignore missing-timeout for this line'));

    assert.equal(editor.document.lineAt(2).text, '    // failpath-ignore-next-line missing-timeout -- reason');
    assert.match(editor.document.lineAt(3).text, /^    await fetch\('https:\/\/hooks\.example\.com\/forward'/);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostic after the ignore comment');
    assert.deepEqual(failpathDiagnostics(uri), [], describeDiagnostics(failpathDiagnostics(uri)));
  });
});
