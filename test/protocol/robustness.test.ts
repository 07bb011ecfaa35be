import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspTestClient, fileUri, onlyRules } from '../helpers/lspClient';

const FETCH_WITHOUT_TIMEOUT = `export async function getUser(id: string) {
  const res = await fetch('https://api.example.com/users/' + id);
  return res.json();
}
`;

/** Deterministic "random" bytes (a linear congruential generator), decoded as UTF-8 like an editor would. */
function garbage(length: number, seed: number): string {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = state & 0xff;
  }
  return bytes.toString('utf8');
}

describe('robustness over LSP', () => {
  let client: LspTestClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-robust-'));
    client = await LspTestClient.start({ workspaceFolder: dir, settings: onlyRules(['missing-timeout']) });
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function assertStillServing(name: string): Promise<void> {
    const uri = fileUri(dir, name);
    client.open(uri, FETCH_WITHOUT_TIMEOUT);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.deepEqual(diagnostics.map((d) => d.code), ['missing-timeout']);
    assert.equal(client.exited, false);
  }

  it('survives unbalanced braces and still reports what it can see', async () => {
    const uri = fileUri(dir, 'broken.ts');
    client.open(uri, `export async function f(url: string) {\n  if (url) {\n    await fetch(url);\n  \n`);
    const diagnostics = await client.diagnosticsForCurrentVersion(uri);
    assert.ok(diagnostics.every((d) => d.source === 'failpath'));
    await assertStillServing('after-broken.ts');
  });

  it('survives random bytes', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const uri = fileUri(dir, `garbage-${seed}.js`);
      client.open(uri, garbage(4000, seed), 'javascript');
      await client.diagnosticsForCurrentVersion(uri);
    }
    await assertStillServing('after-garbage.ts');
  });

  it('survives deeply nested code', async () => {
    const uri = fileUri(dir, 'deep.ts');
    client.open(uri, `${'('.repeat(20000)}fetch(u)${')'.repeat(20000)};\n`);
    await client.diagnosticsForCurrentVersion(uri);
    await assertStillServing('after-deep.ts');
  });

  it('skips a file over maxFileSize with one line in the output channel, and keeps serving', async () => {
    const uri = fileUri(dir, 'huge.ts');
    const line = "export const call = () => fetch('https://api.example.com/x');\n";
    const huge = line.repeat(Math.ceil(1_100_000 / line.length));
    client.open(uri, huge);
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
    client.change(uri, huge + line);
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
    const skipLines = client.logs.filter((entry) => entry.message.includes('huge.ts'));
    assert.equal(skipLines.length, 1, client.logText());
    assert.match(skipLines[0].message, /maxFileSize/);
    await assertStillServing('after-huge.ts');
  });

  it('skips a minified file with one line naming it', async () => {
    const uri = fileUri(dir, 'bundle.min.js');
    const minified = Array.from({ length: 400 }, (_, i) => `function a${i}(u){return fetch(u)}`).join(';');
    client.open(uri, `${minified}\n`, 'javascript');
    assert.deepEqual(await client.diagnosticsForCurrentVersion(uri), []);
    const skipLines = client.logs.filter((entry) => entry.message.includes('bundle.min.js'));
    assert.equal(skipLines.length, 1, client.logText());
    assert.match(skipLines[0].message, /minified|generated/);
    await assertStillServing('after-minified.ts');
  });

  it('logs the skip again after the file became analyzable and then too large again', async () => {
    const uri = fileUri(dir, 'grows.ts');
    client.open(uri, 'x'.repeat(1_000_001));
    await client.diagnosticsForCurrentVersion(uri);
    client.change(uri, FETCH_WITHOUT_TIMEOUT);
    assert.equal((await client.diagnosticsForCurrentVersion(uri)).length, 1);
    client.change(uri, 'y'.repeat(1_000_001));
    await client.diagnosticsForCurrentVersion(uri);
    assert.equal(client.logs.filter((entry) => entry.message.includes('grows.ts')).length, 2, client.logText());
  });
});
