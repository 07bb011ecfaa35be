import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileChangeType, type Diagnostic } from 'vscode-languageserver/node';
import { LspTestClient, fileUri, onlyRules } from '../helpers/lspClient';

const HTTP = `import axios from 'axios';
export const api = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });
`;
const SERVICE = `import { api } from '../lib/http';
export async function getUser(id: string) {
  const { data } = await api.get(\`/users/\${id}\`);
  return data;
}
`;
const SERVICE_HANDLED = `export async function getUser(id: string) {
  return { id };
}
`;
const ROUTE = `import express from 'express';
import { getUser } from '../services/users';
const app = express();
app.get('/users/:id', async (req, res) => {
  res.json(await getUser(req.params.id));
});
app.listen(3000);
`;

function makeWorkspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-lsp-ws-')));
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
  return root;
}

const crossFile = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((diagnostic) => diagnostic.code === 'unhandled-external-failure');

describe('workspace index over LSP', () => {
  const dirs: string[] = [];
  const clients: LspTestClient[] = [];
  after(async () => {
    for (const client of clients) await client.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes in the background with progress, then reports a service call with relatedInformation in the other file', async () => {
    const dir = makeWorkspace({
      'package.json': JSON.stringify({ dependencies: { express: '^4.19.0', axios: '^1.7.0' } }),
      'src/lib/http.ts': HTTP, 'src/services/users.ts': SERVICE, 'src/routes/users.ts': ROUTE,
    });
    dirs.push(dir);
    const client = await LspTestClient.start({ workspaceFolder: dir, settings: onlyRules(['unhandled-external-failure']), workDoneProgress: true });
    clients.push(client);
    const uri = fileUri(dir, 'src/routes/users.ts');
    client.open(uri, ROUTE);
    const published = await client.waitForDiagnostics(uri, (params) => crossFile(params.diagnostics).length > 0, 0, 15000);
    const [diagnostic] = crossFile(published.diagnostics);
    assert.equal(diagnostic.range.start.line, 4);
    assert.equal(diagnostic.relatedInformation?.length, 1);
    assert.equal(diagnostic.relatedInformation?.[0].location.uri, fileUri(dir, 'src/services/users.ts'));
    assert.equal(diagnostic.relatedInformation?.[0].location.range.start.line, 2);
    const kinds = client.progress.map((entry) => entry.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    assert.match(client.progress[0].value.title ?? '', /indexing/);
    assert.match(client.logText(), /Failpath: indexed \d+ files/);
  });

  it('re-analyzes an open importer when the imported file changes on disk, and when it is edited in the editor', async () => {
    const dir = makeWorkspace({
      'src/lib/http.ts': HTTP, 'src/services/users.ts': SERVICE, 'src/routes/users.ts': ROUTE,
    });
    dirs.push(dir);
    const client = await LspTestClient.start({ workspaceFolder: dir, settings: onlyRules(['unhandled-external-failure']) });
    clients.push(client);
    const route = fileUri(dir, 'src/routes/users.ts');
    const service = fileUri(dir, 'src/services/users.ts');
    client.open(route, ROUTE);
    await client.waitForDiagnostics(route, (params) => crossFile(params.diagnostics).length === 1, 0, 15000);

    fs.writeFileSync(path.join(dir, 'src/services/users.ts'), SERVICE_HANDLED);
    const before = client.publishes.length;
    client.filesChanged([{ uri: service, type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(route, (params) => crossFile(params.diagnostics).length === 0, before, 15000);

    // Edited (not saved) in the editor: the open document's text is what the importer sees.
    client.open(service, SERVICE_HANDLED);
    const beforeEdit = client.publishes.length;
    client.change(service, SERVICE);
    await client.waitForDiagnostics(route, (params) => crossFile(params.diagnostics).length === 1, beforeEdit, 15000);
  });

  it('stops indexing when the user cancels the progress', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 3000; index++) files[`src/gen/m${index}.ts`] = `export async function f${index}() { return fetch('https://example.com/${index}'); }\n`;
    const dir = makeWorkspace(files);
    dirs.push(dir);
    const client = await LspTestClient.start({ workspaceFolder: dir, settings: onlyRules(['unhandled-external-failure']), workDoneProgress: true });
    clients.push(client);
    const begin = await client.waitFor('progress begin', () => client.progress.find((entry) => entry.value.kind === 'begin'), 15000);
    client.cancelProgress(begin.token);
    await client.waitFor('progress end', () => client.progress.find((entry) => entry.value.kind === 'end'), 30000);
    assert.match(client.logText(), /indexing cancelled after \d+ of 3000 files/);
  });
});
