import { afterEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticSeverity, FileChangeType, MessageType } from 'vscode-languageserver/node';
import { LspTestClient, fileUri, isCodeAction, onlyRules, type StartOptions } from '../helpers/lspClient';

const FETCH_WITHOUT_TIMEOUT = `export async function getUser(id: string) {
  const res = await fetch('https://api.example.com/users/' + id);
  return res.json();
}
`;

/** The tests' settings, with every other rule off so only missing-timeout's diagnostics are counted. */
function onlyMissingTimeout(settings: Record<string, unknown> = {}): Record<string, unknown> {
  return onlyRules(['missing-timeout'], settings);
}

describe('settings over LSP', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(options: StartOptions & { files?: Record<string, string> } = {}): Promise<{ client: LspTestClient; dir: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-settings-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (const [name, content] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(dir, name), content);
    const client = await LspTestClient.start({ workspaceFolder: dir, ...options, settings: onlyMissingTimeout(options.settings) });
    cleanups.push(() => client.stop());
    return { client, dir };
  }

  it('raises severity to error when the rule is set to "error", and clears it when set to "off"', async () => {
    const { client, dir } = await start();
    const uri = fileUri(dir, 'a.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    const [warning] = await client.diagnosticsForCurrentVersion(uri);
    assert.equal(warning.severity, DiagnosticSeverity.Warning);

    let since = client.publishes.length;
    client.changeSettings(onlyMissingTimeout({ rules: { 'missing-timeout': 'error' } }));
    const raised = await client.waitForDiagnostics(uri, () => true, since);
    assert.deepEqual(raised.diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);

    since = client.publishes.length;
    client.changeSettings(onlyMissingTimeout({ rules: { 'missing-timeout': 'off' } }));
    const off = await client.waitForDiagnostics(uri, () => true, since);
    assert.deepEqual(off.diagnostics, []);
  });

  it('maps "info" to the Information severity', async () => {
    const { client, dir } = await start({ settings: { rules: { 'missing-timeout': 'info' } } });
    const uri = fileUri(dir, 'a.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Information]);
  });

  it('clears every diagnostic when disabled and brings them back when enabled', async () => {
    const { client, dir } = await start();
    const first = fileUri(dir, 'a.ts');
    const second = fileUri(dir, 'b.ts');
    client.open(first, FETCH_WITHOUT_TIMEOUT);
    client.open(second, FETCH_WITHOUT_TIMEOUT);
    assert.equal((await client.diagnosticsForCurrentVersion(first)).length, 1);
    assert.equal((await client.diagnosticsForCurrentVersion(second)).length, 1);

    let since = client.publishes.length;
    client.changeSettings(onlyMissingTimeout({ enable: false }));
    for (const uri of [first, second]) assert.deepEqual((await client.waitForDiagnostics(uri, () => true, since)).diagnostics, []);
    const actions = await client.codeActions(first, { start: { line: 1, character: 20 }, end: { line: 1, character: 25 } }, [], ['source.fixAll']);
    assert.deepEqual(actions, []);

    since = client.publishes.length;
    client.changeSettings(onlyMissingTimeout({ enable: true }));
    for (const uri of [first, second]) assert.equal((await client.waitForDiagnostics(uri, () => true, since)).diagnostics.length, 1);
  });

  it('writes the configured timeout in the fix', async () => {
    const { client, dir } = await start({ settings: { timeoutMs: 2500 } });
    const uri = fileUri(dir, 'a.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    const [diagnostic] = await client.diagnosticsForCurrentVersion(uri);
    const fix = ((await client.codeActions(uri, diagnostic.range, [diagnostic])) ?? []).filter(isCodeAction).find((a) => a.isPreferred);
    assert.match(client.applyEdit(uri, fix?.edit), /AbortSignal\.timeout\(2500\)/);
  });

  it('reports an invalid setting once in the output channel and uses the default', async () => {
    const { client, dir } = await start({ settings: { timeoutMs: 'soon', rules: { 'missing-timeout': 'loud' } } });
    const uris = ['a.ts', 'b.ts', 'c.ts'].map((name) => fileUri(dir, name));
    for (const uri of uris) client.open(uri, FETCH_WITHOUT_TIMEOUT);
    for (const uri of uris) {
      const diagnostics = await client.diagnosticsForCurrentVersion(uri);
      assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Warning], 'the invalid severity falls back to the default');
    }
    const [diagnostic] = await client.diagnosticsForCurrentVersion(uris[0]);
    const fix = ((await client.codeActions(uris[0], diagnostic.range, [diagnostic])) ?? []).filter(isCodeAction).find((a) => a.isPreferred);
    assert.match(client.applyEdit(uris[0], fix?.edit), /AbortSignal\.timeout\(10000\)/);
    const timeoutLines = client.logs.filter((entry) => entry.message.includes('failpath.timeoutMs'));
    const ruleLines = client.logs.filter((entry) => entry.message.includes('failpath.rules.missing-timeout'));
    assert.equal(timeoutLines.length, 1, client.logText());
    assert.equal(ruleLines.length, 1, client.logText());
  });

  it('reports a severity for an unknown rule id once', async () => {
    const { client, dir } = await start({ settings: { rules: { 'missing-timout': 'error' } } });
    for (const name of ['a.ts', 'b.ts']) {
      const uri = fileUri(dir, name);
      client.open(uri, FETCH_WITHOUT_TIMEOUT);
      assert.deepEqual((await client.diagnosticsForCurrentVersion(uri)).map((d) => d.severity), [DiagnosticSeverity.Warning]);
    }
    const lines = client.logs.filter((entry) => entry.message.includes('missing-timout'));
    assert.equal(lines.length, 1, client.logText());
    assert.match(lines[0].message, /no such rule/);
  });

  it('analyzes only on save when run is "onSave"', async () => {
    const { client, dir } = await start({ settings: { run: 'onSave' } });
    const uri = fileUri(dir, 'a.ts');
    client.open(uri, 'export const x = 1;\n');
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
    const since = client.publishes.length;
    client.change(uri, FETCH_WITHOUT_TIMEOUT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.publishes.slice(since).filter((p) => p.uri === uri).length, 0, 'published while typing in onSave mode');
    client.save(uri);
    const saved = await client.waitForDiagnostics(uri, () => true, since);
    assert.deepEqual(saved.diagnostics.map((d) => d.code), ['missing-timeout']);
  });

  it('lets failpath.config.json override the editor settings, and follows changes to it', async () => {
    const { client, dir } = await start({
      settings: { rules: { 'missing-timeout': 'info' } },
      files: { 'failpath.config.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }) },
    });
    const uri = fileUri(dir, 'a.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);

    const configPath = path.join(dir, 'failpath.config.json');
    fs.writeFileSync(configPath, JSON.stringify({ rules: { 'missing-timeout': 'off' } }));
    const since = client.publishes.length;
    client.filesChanged([{ uri: fileUri(dir, 'failpath.config.json'), type: FileChangeType.Changed }]);
    const cleared = await client.waitForDiagnostics(uri, () => true, since);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('reads settings from the "failpath" key of package.json', async () => {
    const { client, dir } = await start({
      files: { 'package.json': JSON.stringify({ name: 'svc', failpath: { rules: { 'missing-timeout': 'error' } } }) },
    });
    const uri = fileUri(dir, 'a.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Error]);
  });

  it('reports a broken failpath.config.json once, with its parse error, and uses defaults', async () => {
    const { client, dir } = await start({
      files: { 'failpath.config.json': '{ "rules": { "missing-timeout": "error" ' },
    });
    const uris = ['a.ts', 'b.ts'].map((name) => fileUri(dir, name));
    for (const uri of uris) client.open(uri, FETCH_WITHOUT_TIMEOUT);
    for (const uri of uris) {
      const diagnostics = await client.diagnosticsForCurrentVersion(uri);
      assert.deepEqual(diagnostics.map((d) => d.severity), [DiagnosticSeverity.Warning]);
    }
    const warnings = client.shownMessages.filter((m) => m.type === MessageType.Warning);
    assert.equal(warnings.length, 1, JSON.stringify(client.shownMessages));
    assert.match(warnings[0].message, /failpath\.config\.json/);
    assert.match(warnings[0].message, /JSON|position|Unexpected|Expected/i);
    assert.equal(client.logs.filter((entry) => entry.message.includes('failpath.config.json')).length, 1, client.logText());
  });

  it('follows changes to the "failpath" key of package.json', async () => {
    const { client, dir } = await start({ files: { 'package.json': JSON.stringify({ name: 'svc', dependencies: {} }) } });
    const uri = fileUri(dir, 'a.ts');
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    await client.diagnosticsForCurrentVersion(uri);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'svc', failpath: { enable: false } }));
    const since = client.publishes.length;
    client.filesChanged([{ uri: fileUri(dir, 'package.json'), type: FileChangeType.Changed }]);
    assert.deepEqual((await client.waitForDiagnostics(uri, () => true, since)).diagnostics, []);
  });
});
