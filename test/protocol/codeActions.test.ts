import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { LspTestClient, REPO_ROOT, fileUri, isCodeAction, onlyRules } from '../helpers/lspClient';

const TWO_FETCHES = `export async function sync(id: string) {
  const user = await fetch('https://api.example.com/users/' + id);
  if (user.ok) {
    await fetch('https://audit.example.com/events', { method: 'POST' });
  }
}
`;

async function actionsFor(client: LspTestClient, uri: string, diagnostic: Diagnostic, only?: string[]): Promise<CodeAction[]> {
  const result = await client.codeActions(uri, diagnostic.range, [diagnostic], only);
  return (result ?? []).filter(isCodeAction);
}

describe('code actions over LSP', () => {
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-actions-'));
    client = await LspTestClient.start({ workspaceFolder: dir, settings: onlyRules(['missing-timeout']) });
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers the rule fix as the preferred quick fix, and the fix removes the diagnostic', async () => {
    const uri = fileUri(dir, 'fix.ts');
    client.open(uri, TWO_FETCHES);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.equal(diagnostics.length, 2);
    const actions = await actionsFor(client, uri, diagnostics[0]);
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix, `no preferred action among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, [diagnostics[0]]);
    const text = client.applyEdit(uri, fix.edit);
    assert.match(text.split('\n')[1], /fetch\('https:\/\/api\.example\.com\/users\/' \+ id, \{ signal: AbortSignal\.timeout\(10000\) \}\)/);
    const remaining = await client.diagnosticsForCurrentVersion(uri);
    assert.deepEqual(remaining.map((d) => d.range.start.line), [3]);
  });

  it('ignore-line action inserts an indented suppression comment that silences the diagnostic', async () => {
    const uri = fileUri(dir, 'ignore.ts');
    client.open(uri, TWO_FETCHES);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    const nested = diagnostics.find((d) => d.range.start.line === 3);
    assert.ok(nested);
    const actions = await actionsFor(client, uri, nested);
    const ignore = actions.find((action) => action.title === 'Ignore missing-timeout for this line');
    assert.ok(ignore, `no ignore action among ${actions.map((a) => a.title).join(', ')}`);
    assert.notEqual(ignore.isPreferred, true);
    const text = client.applyEdit(uri, ignore.edit);
    const lines = text.split('\n');
    assert.equal(lines[3], '    // failpath-ignore-next-line missing-timeout -- reason');
    assert.equal(lines[4], "    await fetch('https://audit.example.com/events', { method: 'POST' });");
    const remaining = await client.diagnosticsForCurrentVersion(uri);
    assert.deepEqual(remaining.map((d) => d.range.start.line), [1]);
  });

  it('writes the ignore comment with the document\'s CRLF line ending', async () => {
    const uri = fileUri(dir, 'crlf.ts');
    client.open(uri, TWO_FETCHES.replace(/\n/g, '\r\n'));
    const [diagnostic] = await client.diagnosticsForCurrentVersion(uri);
    const ignore = (await actionsFor(client, uri, diagnostic)).find((action) => action.title.startsWith('Ignore'));
    const text = client.applyEdit(uri, ignore?.edit);
    assert.equal(text.split('\r\n')[1], '  // failpath-ignore-next-line missing-timeout -- reason');
    assert.equal(text.includes('reason\n'), false);
    assert.deepEqual((await client.diagnosticsForCurrentVersion(uri)).map((d) => d.range.start.line), [4]);
  });

  it('offers a command that opens the rule documentation', async () => {
    const uri = fileUri(dir, 'docs.ts');
    client.open(uri, TWO_FETCHES);
    const [diagnostic] = await client.diagnosticsForCurrentVersion(uri);
    const actions = await actionsFor(client, uri, diagnostic);
    const docs = actions.find((action) => action.title === 'Show documentation for missing-timeout');
    assert.ok(docs?.command, 'no documentation action');
    assert.equal(docs.command.command, 'failpath.showRuleDocs');
    const [href] = docs.command.arguments as string[];
    assert.equal(fileURLToPath(href), path.join(REPO_ROOT, 'docs', 'rules', 'missing-timeout.md'));
  });

  it('source.fixAll.failpath fixes every finding in one edit', async () => {
    const uri = fileUri(dir, 'fixall.ts');
    client.open(uri, TWO_FETCHES);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.equal(diagnostics.length, 2);
    const whole = { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } };
    const result = (await client.codeActions(uri, whole, [], ['source.fixAll'])) ?? [];
    const actions = result.filter(isCodeAction);
    assert.deepEqual(actions.map((action) => action.kind), ['source.fixAll.failpath']);
    assert.equal(actions[0].edit?.changes?.[uri]?.length, 1);
    const text = client.applyEdit(uri, actions[0].edit);
    assert.equal((text.match(/AbortSignal\.timeout\(10000\)/g) ?? []).length, 2);
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
  });

  it('does not return source actions to a plain light-bulb request, nor quick fixes to a fixAll request', async () => {
    const uri = fileUri(dir, 'kinds.ts');
    client.open(uri, TWO_FETCHES);
    const [diagnostic] = await client.diagnosticsForCurrentVersion(uri);
    const plain = await actionsFor(client, uri, diagnostic);
    assert.ok(plain.length >= 3);
    assert.ok(plain.every((action) => action.kind === 'quickfix'));
    const fixAllOnly = await actionsFor(client, uri, diagnostic, ['source.fixAll.failpath']);
    assert.deepEqual(fixAllOnly.map((action) => action.kind), ['source.fixAll.failpath']);
  });

  it('computes actions against the current text when the client still holds diagnostics of an older version', async () => {
    const uri = fileUri(dir, 'stale.ts');
    client.open(uri, TWO_FETCHES);
    const [first] = await client.diagnosticsForCurrentVersion(uri);
    // Prepend a line and ask at once, before the debounced analysis of the new version has published.
    client.change(uri, `// header\n${TWO_FETCHES}`);
    const moved = { ...first, range: { start: { line: 2, character: first.range.start.character }, end: { line: 2, character: first.range.end.character } } };
    const actions = await actionsFor(client, uri, moved);
    const fix = actions.find((action) => action.isPreferred);
    assert.ok(fix, 'no fix for the current version');
    const text = client.applyEdit(uri, fix.edit);
    assert.equal(text.split('\n')[0], '// header');
    assert.match(text.split('\n')[2], /users\/' \+ id, \{ signal: AbortSignal\.timeout\(10000\) \}\)/);
  });

  it('source.fixAll.failpath right after an edit (within the debounce) fixes the edited text, as a save does', async () => {
    const uri = fileUri(dir, 'save-race.ts');
    client.open(uri, TWO_FETCHES);
    assert.equal((await client.diagnosticsForCurrentVersion(uri)).length, 2);
    // Type and save at once: the code action request arrives before the debounced analysis of the new version.
    const edited = `// typed just before saving\n${TWO_FETCHES}`;
    const publishesBefore = client.publishes.length;
    client.change(uri, edited);
    const whole = { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } };
    const actions = ((await client.codeActions(uri, whole, [], ['source.fixAll.failpath'])) ?? []).filter(isCodeAction);
    assert.equal(client.publishes.slice(publishesBefore).some((p) => p.uri === uri), false, 'the request raced the debounced analysis');
    assert.deepEqual(actions.map((action) => action.kind), ['source.fixAll.failpath']);
    const text = client.applyEdit(uri, actions[0].edit);
    assert.ok(text.startsWith('// typed just before saving\nexport async function sync'), text);
    assert.equal((text.match(/AbortSignal\.timeout\(10000\)/g) ?? []).length, 2, text);
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
  });

  it('source.fixAll.failpath right after a settings change and an edit waits for the settings and fixes the edited text', async () => {
    const uri = fileUri(dir, 'save-race-settings.ts');
    client.open(uri, TWO_FETCHES);
    assert.equal((await client.diagnosticsForCurrentVersion(uri)).length, 2);
    // The settings change empties the server's settings cache: the request awaits a workspace/configuration
    // round trip before it reads the document, while the edit is already applied.
    const configurationRequestsBefore = client.configurationRequests.length;
    client.changeSettings(onlyRules(['missing-timeout'], { timeoutMs: 5000 }));
    client.change(uri, `// typed just before saving\n${TWO_FETCHES}`);
    const whole = { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } };
    const actions = ((await client.codeActions(uri, whole, [], ['source.fixAll.failpath'])) ?? []).filter(isCodeAction);
    assert.ok(client.configurationRequests.length > configurationRequestsBefore, 'the server fetched the changed settings');
    assert.deepEqual(actions.map((action) => action.kind), ['source.fixAll.failpath']);
    const text = client.applyEdit(uri, actions[0].edit);
    assert.ok(text.startsWith('// typed just before saving\n'), text);
    assert.equal((text.match(/AbortSignal\.timeout\(5000\)/g) ?? []).length, 2, text);
    client.changeSettings(onlyRules(['missing-timeout']));
  });

  it('returns no actions for diagnostics of other sources', async () => {
    const uri = fileUri(dir, 'foreign.ts');
    client.open(uri, TWO_FETCHES);
    const [diagnostic] = await client.diagnosticsForCurrentVersion(uri);
    const foreign = { ...diagnostic, source: 'eslint', code: 'no-undef' };
    assert.deepEqual(await actionsFor(client, uri, foreign), []);
  });
});
