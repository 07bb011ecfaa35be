import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseFile } from '../../server/src/engine/parse';
import { summarizeFile } from '../../server/src/workspace/summary';

const summarize = (text: string): ReturnType<typeof summarizeFile> => summarizeFile(parseFile('/project/src/file.ts', text));

describe('file summaries', () => {
  it('reads an await written with an escape like a plain one (the walk skips only text without the keywords)', () => {
    const plain = summarize(`import axios from 'axios';\nexport async function load() { const x = 1; await axios.get('/a'); return x; }\n`);
    const escaped = summarize(`import axios from 'axios';\nexport async function load() { const x = 1; \\u0061wait axios.get('/a'); return x; }\n`);
    assert.equal(plain.exports.load.fn?.external?.module, 'axios');
    assert.deepEqual(escaped.exports.load.fn?.external?.kind, plain.exports.load.fn?.external?.kind);
  });

  it('finds an awaited call among statements that hold no await, with the keywords also inside names', () => {
    const summary = summarize(`import axios from 'axios';
export async function load(returnTo: string) {
  const awaited = returnTo.length;
  if (awaited > 1) { console.log(returnTo); }
  const { data } = await axios.get('/b');
  return data;
}
`);
    assert.equal(summary.exports.load.fn?.external?.site.text, "axios.get('/b')");
  });

  it('is plain data like a structured clone: ordinary objects, members that are undefined kept', () => {
    const summary = summarize(`import axios from 'axios';\nconst options = { timeout: 1 };\nexport const api = axios.create(options);\n`);
    assert.equal(Object.getPrototypeOf(summary.exports), Object.prototype);
    const client = summary.exports.api.client;
    assert.ok(client && Object.hasOwn(client, 'bounded') && client.bounded === undefined);
    assert.deepEqual(structuredClone(summary), summary);
  });
});
