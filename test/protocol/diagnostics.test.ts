import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { LspTestClient, REPO_ROOT, fileUri, untitledUri, onlyRules } from '../helpers/lspClient';

const FETCH_WITHOUT_TIMEOUT = `export async function getUser(id: string) {
  const res = await fetch(\`https://api.example.com/users/\${id}\`);
  return res.json();
}
`;

describe('diagnostics over LSP', () => {
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-lsp-'));
    client = await LspTestClient.start({ workspaceFolder: dir, settings: onlyRules(['missing-timeout']) });
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a missing-timeout diagnostic with source, code, docs link and range', async () => {
    const uri = fileUri(dir, 'user.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.source, 'failpath');
    assert.equal(diagnostic.code, 'missing-timeout');
    assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(diagnostic.range.start, { line: 1, character: 20 });
    assert.equal(diagnostic.range.end.line, 1);
    assert.ok(diagnostic.range.end.character > diagnostic.range.start.character);
    const href = diagnostic.codeDescription?.href ?? '';
    assert.ok(href.startsWith('file://'), `codeDescription.href should be a file URI, got ${href}`);
    assert.equal(fileURLToPath(href), path.join(REPO_ROOT, 'docs', 'rules', 'missing-timeout.md'));
    assert.match(diagnostic.message, /signal/);
  });

  it('publishes nothing for a file with no finding', async () => {
    const uri = fileUri(dir, 'clean.ts');
    client.open(uri, 'export const answer = 42;\n');
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
  });

  it('analyzes untitled JavaScript documents', async () => {
    const uri = untitledUri();
    client.open(uri, 'async function ping(url) {\n  return fetch(url);\n}\n', 'javascript');
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['missing-timeout', 1]]);
  });

  it('ignores languages and schemes it does not own', async () => {
    const markdown = fileUri(dir, 'notes.md');
    const virtual = 'git:/repo/user.ts';
    const since = client.publishes.length;
    client.open(markdown, FETCH_WITHOUT_TIMEOUT, 'markdown');
    client.open(virtual, FETCH_WITHOUT_TIMEOUT, 'typescript');
    // A supported document opened afterwards proves the server has processed the two before it.
    const marker = fileUri(dir, 'marker.ts');
    client.open(marker, FETCH_WITHOUT_TIMEOUT);
    await client.diagnosticsForCurrentVersion(marker, since);
    assert.equal(client.publishes.slice(since).filter((p) => p.uri === markdown || p.uri === virtual).length, 0);
  });

  it('updates diagnostics when the text changes', async () => {
    const uri = fileUri(dir, 'changing.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    assert.equal((await client.diagnosticsForCurrentVersion(uri)).length, 1);
    client.change(uri, FETCH_WITHOUT_TIMEOUT.replace('`);', '`, { signal: AbortSignal.timeout(3000) });'));
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
  });

  it('after a flood of edits publishes diagnostics for the last version only', async () => {
    const uri = fileUri(dir, 'flood.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    await client.diagnosticsForCurrentVersion(uri);
    const since = client.publishes.length;
    const edits = 40;
    for (let i = 1; i <= edits; i++) {
      // Each version has i blank lines before the call, so the diagnostic's line tells which version it came from.
      client.change(uri, `${'\n'.repeat(i)}${FETCH_WITHOUT_TIMEOUT}`);
    }
    const lastVersion = client.versionOf(uri);
    const final = await client.waitForDiagnostics(uri, (p) => p.version === lastVersion, since);
    assert.deepEqual(final.diagnostics.map((d) => d.range.start.line), [edits + 1]);
    // Give a stale analysis the chance to arrive late; none may.
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = client.publishes.slice(since).filter((p) => p.uri === uri);
    assert.equal(after.at(-1)?.version, lastVersion);
    assert.ok(after.length < edits / 4, `expected debouncing to coalesce ${edits} edits, got ${after.length} publishes`);
    for (const publish of after) {
      // Version v holds v - 1 blank lines, so its call sits on line v.
      const expectedLine = publish.version;
      assert.deepEqual(publish.diagnostics.map((d) => d.range.start.line), [expectedLine], `version ${publish.version} published diagnostics of another version`);
    }
  });

  it('clears diagnostics when the document is closed', async () => {
    const uri = fileUri(dir, 'closing.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    assert.equal((await client.diagnosticsForCurrentVersion(uri)).length, 1);
    const since = client.publishes.length;
    client.close(uri);
    const cleared = await client.waitForDiagnostics(uri, () => true, since);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('registers watchers for the project config files and the sources the workspace index follows', async () => {
    const registration = await client.waitFor('file watcher registration', () =>
      client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const patterns = (registration.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    assert.deepEqual(patterns.sort(), ['**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}', '**/failpath.config.json', '**/package.json', '**/{tsconfig,jsconfig}.json']);
  });
});
