import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspTestClient, fileUri, onlyRules } from '../helpers/lspClient';

/**
 * The server under a hostile editor: hundreds of edits as fast as the pipe takes them, closes racing pending
 * analyses, invalid settings of every type at once. test/protocol covers the polite versions (40 edits, a
 * close after diagnostics arrived, two invalid values).
 */

const CALL = "export const load = (u: string) => fetch(u);\n";
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('server under a flood of edits', () => {
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-flood-'));
    client = await LspTestClient.start({ workspaceFolder: dir, settings: onlyRules(['missing-timeout']) });
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('500 edits in a burst: the last version is published, no publish for an older version comes after it', async () => {
    const uri = fileUri(dir, 'flood.ts');
    client.open(uri, CALL);
    await client.diagnosticsForCurrentVersion(uri);
    const since = client.publishes.length;
    const started = performance.now();
    for (let i = 1; i <= 500; i++) {
      // Version v has v - 1 blank lines before the call, and every 7th version is garbage, so stale results show.
      client.change(uri, i % 7 === 0 ? `${'\n'.repeat(i)}}{ ((( fetch(` : `${'\n'.repeat(i)}${CALL}`);
    }
    const sentIn = performance.now() - started;
    const last = client.versionOf(uri);
    const final = await client.waitForDiagnostics(uri, (params) => params.version === last, since, 10_000);
    assert.deepEqual(final.diagnostics.map((d) => d.range.start.line), [500]);
    await settle(400);
    const published = client.publishes.slice(since).filter((params) => params.uri === uri);
    assert.equal(published.at(-1)?.version, last, 'the last publish is for the last version');
    assert.ok(published.length < 20, `${published.length} publishes for 500 edits sent in ${Math.round(sentIn)} ms`);
    assert.equal(client.exited, false);
  });

  it('edits then a close before the analysis ran: the close clears, and nothing is published after it', async () => {
    for (let round = 0; round < 5; round++) {
      const uri = fileUri(dir, `closing-${round}.ts`);
      client.open(uri, CALL);
      for (let i = 0; i < 50; i++) client.change(uri, `${'\n'.repeat(i)}${CALL}`);
      const since = client.publishes.length;
      client.close(uri);
      await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0, since);
      await settle(300);
      const afterClose = client.publishes.slice(since).filter((params) => params.uri === uri);
      assert.deepEqual(afterClose.map((params) => params.diagnostics.length), afterClose.map(() => 0), `round ${round}: diagnostics published after close`);
    }
  });

  it('ten documents flooded in parallel each end with their own last version', async () => {
    const uris = Array.from({ length: 10 }, (_, i) => fileUri(dir, `parallel-${i}.ts`));
    for (const uri of uris) client.open(uri, CALL);
    const since = client.publishes.length;
    for (let i = 1; i <= 60; i++) for (const uri of uris) client.change(uri, `${'\n'.repeat(i)}${CALL}`);
    for (const uri of uris) {
      const last = client.versionOf(uri);
      const final = await client.waitForDiagnostics(uri, (params) => params.version === last, since, 10_000);
      assert.deepEqual(final.diagnostics.map((d) => d.range.start.line), [60]);
    }
  });
});

describe('server with invalid settings of every type', () => {
  it('reports each invalid value once and analyzes with the defaults', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-badsettings-'));
    const settings = onlyRules(['missing-timeout'], {
      enable: 'yes', run: 42, timeoutMs: -5, maxFileSize: 0.5, logger: 'pino', externalModules: ['axios'],
      cacheTtlSeconds: null, retryHelper: 7, rateLimiters: 'express-rate-limit',
    });
    const client = await LspTestClient.start({ workspaceFolder: dir, settings });
    try {
      const uri = fileUri(dir, 'a.ts');
      client.open(uri, CALL);
      const diagnostics = await client.diagnosticsForCurrentVersion(uri);
      assert.deepEqual(diagnostics.map((d) => d.code), ['missing-timeout'], 'enabled, on type, default size limit');
      for (const key of ['enable', 'run', 'timeoutMs', 'maxFileSize', 'logger', 'externalModules', 'retryHelper', 'rateLimiters']) {
        assert.equal(client.logs.filter((entry) => entry.message.includes(`failpath.${key}`)).length, 1, `${key}:\n${client.logText()}`);
      }
      assert.equal(client.exited, false);
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the client keeps the restart policy of the language client', () => {
  it('sets no error handler or restart count, so a crashed server is restarted (4 times in 3 minutes)', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'client', 'src', 'extension.ts'), 'utf8');
    assert.match(source, /new LanguageClient\(/);
    assert.doesNotMatch(source, /errorHandler|maxRestartCount|CloseAction\.DoNotRestart/);
  });
});
