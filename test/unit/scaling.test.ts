import { before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { perFileComputations } from '../../server/src/engine/perFile';

/**
 * Analysis cost must grow linearly with the file: a router four times as long may cost about four times as much,
 * not sixteen. Asserted on counts of work (characters handed to regular expressions, per-file facts computed),
 * never on a timer, so the tests hold on a loaded machine.
 */

const HEADER = `import express from 'express';
import axios from 'axios';
import { Pool } from 'pg';
import Stripe from 'stripe';
const db = new Pool();
const stripe = new Stripe(process.env.STRIPE_KEY ?? '');
export const router = express.Router();
`;

/** A handler that gives most rules work: a create without a key, an untimed call, an await in a loop, an empty catch. */
function handler(n: number): string {
  return `
router.post('/orders-${n}', async (req, res) => {
  const { rows } = await db.query('INSERT INTO orders (id) VALUES ($1)', [req.body.id]);
  const { data } = await axios.get('https://pricing.internal/quotes/${n}');
  for (const item of req.body.items) {
    await db.query('UPDATE items SET n = n + 1 WHERE id = $1', [item]);
  }
  try {
    await stripe.refunds.create({ payment_intent: req.body.pi });
  } catch (err) {
  }
  res.status(201).json({ order: rows[0], quote: data });
});
`;
}

function router(handlers: number): string {
  return HEADER + Array.from({ length: handlers }, (_, index) => handler(index)).join('');
}

/** Characters handed to regular expressions at the start of each scan (every `test`, `exec`, `match`, `replace`). */
function regexCharactersScanned(run: () => void): number {
  const original = RegExp.prototype.exec;
  let scanned = 0;
  RegExp.prototype.exec = function exec(this: RegExp, input: string): RegExpExecArray | null {
    if (this.lastIndex === 0 || (!this.global && !this.sticky)) scanned += String(input).length;
    return original.call(this, input);
  };
  try {
    run();
  } finally {
    RegExp.prototype.exec = original;
  }
  return scanned;
}

const ARRAY_SCANS = ['filter', 'some', 'find', 'findIndex', 'includes', 'indexOf', 'every', 'map', 'reduce', 'forEach', 'slice'] as const;

/** Elements of the arrays handed to the array helpers that scan them (`filter`, `some`, `find`, `includes`...). */
function arrayElementsScanned(run: () => void): number {
  const prototype = Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = ARRAY_SCANS.map((name) => [name, prototype[name]] as const);
  let scanned = 0;
  for (const [name, original] of originals) {
    prototype[name] = function scan(this: unknown[], ...args: unknown[]): unknown {
      scanned += this.length;
      return original.apply(this, args);
    };
  }
  try {
    run();
  } finally {
    for (const [name, original] of originals) prototype[name] = original;
  }
  return scanned;
}

describe('analysis cost grows linearly with the file', () => {
  const small = router(25);
  const large = router(100);

  before(() => {
    // Warm every lazily built table so the first measured run does not pay for them.
    analyze('warm.ts', router(2));
  });

  it('the large router has four times the findings of the small one (the fixture exercises the rules)', () => {
    const smallFindings = analyze('router.ts', small).findings.length;
    const largeFindings = analyze('router.ts', large).findings.length;
    assert.ok(smallFindings >= 25 * 4, `only ${smallFindings} findings`);
    assert.equal(largeFindings, smallFindings * 4);
  });

  it('no rule runs a whole-file regular expression per node: scanned text grows with the file', () => {
    const smallScanned = regexCharactersScanned(() => analyze('router.ts', small));
    const largeScanned = regexCharactersScanned(() => analyze('router.ts', large));
    const ratio = largeScanned / smallScanned;
    const sizeRatio = large.length / small.length;
    assert.ok(ratio < sizeRatio * 1.25, `regexes scanned ${ratio.toFixed(1)}× more text for a ${sizeRatio.toFixed(1)}× larger file`);
  });

  it('no rule compares every finding with every other: array elements scanned grow with the file', () => {
    const smallScanned = arrayElementsScanned(() => analyze('router.ts', small));
    const largeScanned = arrayElementsScanned(() => analyze('router.ts', large));
    const ratio = largeScanned / smallScanned;
    assert.ok(ratio < 4 * 1.25, `array helpers scanned ${ratio.toFixed(1)}× more elements for 4× the handlers`);
  });

  it('facts about the whole file are computed at most once per analysis', () => {
    const before = perFileComputations();
    analyze('router.ts', large);
    const after = perFileComputations();
    const computedTwice = [...after].filter(([name, count]) => count - (before.get(name) ?? 0) > 1).map(([name]) => name);
    assert.deepEqual(computedTwice, []);
    const facts = ['usesSemicolons', 'indentUnit', 'newlineOf', 'preferredQuote', 'non-idempotent-create-handler:existingStore', 'missing-timeout:axiosDefaults'];
    for (const fact of facts) {
      assert.ok(after.has(fact), `${fact} was never asked: the fixture no longer exercises it`);
    }
  });
});

describe('facts about a class are computed once per class', () => {
  function service(methods: number): string {
    const body = Array.from({ length: methods }, (_, index) => `
  async load${index}(id: string) {
    try {
      return await this.repository.findOne(id);
    } catch (err) {
    }
  }`).join('\n');
    return `import pino from 'pino';\nexport class Orders {\n  private logger = pino();\n  constructor(private repository: { findOne(id: string): Promise<unknown> }) {}\n${body}\n}\n`;
  }

  it('the class logger is looked up once however many catch blocks the class has', () => {
    const before = perFileComputations().get('classLogger') ?? 0;
    const result = analyze('orders.ts', service(40));
    const swallowed = result.findings.filter((finding) => finding.ruleId === 'swallowed-error');
    assert.equal(swallowed.length, 40);
    assert.ok(swallowed.every((finding) => finding.fixes[0]?.edits.some((edit) => edit.newText.includes('this.logger.error'))));
    assert.equal((perFileComputations().get('classLogger') ?? 0) - before, 1);
  });
});
