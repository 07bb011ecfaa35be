import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { LspTestClient, REPO_ROOT, fileUri } from '../helpers/lspClient';

/**
 * The server analyzes an edited document incrementally (findings of untouched statements are kept). What it
 * publishes after each edit must be what a fresh analysis of the same text publishes: here a copy of the text
 * opened as a new document, in the same folder of the same project, so cross-file answers are the same too.
 */

const ROUTES = path.join(REPO_ROOT, 'examples', 'src', 'routes', 'orders.ts');

/** Edits typed inside the route handlers of examples/src/routes/orders.ts, one after the other. */
const EDITS: ((text: string) => string)[] = [
  (text) => text.replace("const shipping = await shippingQuote(postcode);", "const shipping = await shippingQuote(postcode);\n  await fetch('https://audit.example.com/orders');"),
  (text) => text.replace('amount: 1999 * quantity', 'amount: 2499 * quantity'),
  (text) => text.replace("res.status(201).json({ id: rows[0].id });", "try { await pool.query('SELECT 1'); } catch (err) {}\n  res.status(201).json({ id: rows[0].id });"),
  (text) => text.replace("\n  await fetch('https://audit.example.com/orders');", ''),
  (text) => text.replace("try { await pool.query('SELECT 1'); } catch (err) {}", "try { await pool.query('SELECT 1'); } catch (err) { console.log(err); }"),
];

function comparable(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .map((diagnostic) => JSON.stringify({ ...diagnostic, relatedInformation: diagnostic.relatedInformation?.map((related) => [related.location.range, related.message]) }))
    .sort();
}

describe('incremental analysis over LSP', () => {
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-incremental-'));
    fs.cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
    client = await LspTestClient.start({ workspaceFolder: dir });
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes after each edit what a fresh analysis of the same text publishes', async () => {
    const uri = fileUri(path.join(dir, 'src', 'routes'), 'orders.ts');
    let text = fs.readFileSync(ROUTES, 'utf8');
    client.open(uri, text);
    const first = await client.diagnosticsForCurrentVersion(uri);
    assert.ok(first.length > 0, 'the example route file has findings');
    for (const [index, edit] of EDITS.entries()) {
      const next = edit(text);
      assert.notEqual(next, text, `edit ${index + 1} applies`);
      text = next;
      client.change(uri, text);
      const edited = await client.diagnosticsForCurrentVersion(uri);
      const freshUri = fileUri(path.join(dir, 'src', 'routes'), `orders-fresh-${index + 1}.ts`);
      client.open(freshUri, text);
      const fresh = await client.diagnosticsForCurrentVersion(freshUri);
      client.close(freshUri);
      assert.deepEqual(comparable(edited), comparable(fresh), `after edit ${index + 1}`);
    }
    // The edits did change what is reported (a new fetch without timeout, an empty catch, a console.log).
    assert.notDeepEqual(comparable(first), comparable(await client.diagnosticsForCurrentVersion(uri)));
  });
});
