import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseErrorsOf, parseFile } from '../../server/src/engine/parse';
import { CHARGE_JS, HEALTH_TS, makeProject, onlyMissingTimeout, parseJsonReport, runCli, timeoutFindings, USERS_TS } from './harness';

const USERS_FIXED = USERS_TS.replace('/users/${id}`)', '/users/${id}`, { timeout: 10000 })');
const CHARGE_FIXED = CHARGE_JS.replace('body: JSON.stringify({ amount, token }),\n', 'body: JSON.stringify({ amount, token }),\n    signal: AbortSignal.timeout(10000),\n');

function read(dir: string, relative: string): Buffer {
  return fs.readFileSync(path.join(dir, ...relative.split('/')));
}

function snapshot(dir: string, files: readonly string[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [file, read(dir, file).toString('base64')]));
}

describe('failpath --fix', () => {
  const projects: (() => void)[] = [];
  after(() => projects.forEach((cleanup) => cleanup()));
  const project = (tree: Record<string, string | Buffer>): string => {
    const { dir, cleanup } = makeProject(tree);
    projects.push(cleanup);
    return dir;
  };

  it('fixes the given files in place, reports what is left, and changes nothing on a second run', () => {
    const dir = project({ 'src/users.ts': USERS_TS, 'src/charge.js': CHARGE_JS, 'src/health.ts': HEALTH_TS, 'scripts/seed.ts': USERS_TS });
    fs.chmodSync(path.join(dir, 'src', 'users.ts'), 0o640);

    const first = runCli(['src', '--fix', '-f', 'json', ...onlyMissingTimeout()], dir);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /^failpath: applied 2 fixes in 2 files$/m);
    assert.equal(read(dir, 'src/users.ts').toString('utf8'), USERS_FIXED);
    assert.equal(read(dir, 'src/charge.js').toString('utf8'), CHARGE_FIXED);
    assert.equal(read(dir, 'src/health.ts').toString('utf8'), HEALTH_TS);
    assert.equal(fs.statSync(path.join(dir, 'src', 'users.ts')).mode & 0o777, 0o640, 'the file mode is kept');
    for (const file of ['src/users.ts', 'src/charge.js']) {
      assert.deepEqual(parseErrorsOf(parseFile(file, read(dir, file).toString('utf8'))).map((error) => error.messageText), [], `${file} parses`);
    }
    const remaining = parseJsonReport(first.stdout);
    assert.deepEqual(timeoutFindings(remaining, path.join(dir, 'src', 'users.ts')), []);
    assert.deepEqual(timeoutFindings(remaining, path.join(dir, 'src', 'charge.js')), []);

    assert.equal(read(dir, 'scripts/seed.ts').toString('utf8'), USERS_TS, 'a file outside the given path is untouched');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'src')).sort(), ['charge.js', 'health.ts', 'users.ts'], 'no temporary file is left behind');

    const before = snapshot(dir, ['src/users.ts', 'src/charge.js', 'src/health.ts']);
    const second = runCli(['src', '--fix', ...onlyMissingTimeout()], dir);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /^failpath: applied 0 fixes in 0 files$/m);
    assert.deepEqual(snapshot(dir, ['src/users.ts', 'src/charge.js', 'src/health.ts']), before);
  });

  it('keeps a BOM and CRLF line endings', () => {
    const crlf = `\uFEFF${CHARGE_JS.replace(/\n/g, '\r\n')}`;
    const dir = project({ 'src/charge.js': Buffer.from(crlf, 'utf8') });
    const run = runCli(['--fix', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    const bytes = read(dir, 'src/charge.js');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM kept');
    const text = bytes.subarray(3).toString('utf8');
    assert.equal(text, CHARGE_FIXED.replace(/\n/g, '\r\n'));
  });

  it('leaves a non-UTF-8 file byte-identical and says so', () => {
    const latin1 = Buffer.concat([Buffer.from('// r\u00e9sum\u00e9 service (saved as Latin-1)\n', 'latin1'), Buffer.from(CHARGE_JS)]);
    const dir = project({ 'src/charge-latin1.js': latin1, 'src/users.ts': USERS_TS });
    const run = runCli(['--fix', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(read(dir, 'src/charge-latin1.js').equals(latin1), 'byte-identical');
    assert.ok(run.stdout.includes(`${path.join('src', 'charge-latin1.js')}: skipped — not valid UTF-8; left untouched`), run.stdout);
    assert.equal(read(dir, 'src/users.ts').toString('utf8'), USERS_FIXED);
  });

  it('never writes through a link to a file outside the given paths', () => {
    const dir = project({ 'src/users.ts': USERS_TS, 'shared/charge.js': CHARGE_JS });
    fs.symlinkSync(path.join(dir, 'shared', 'charge.js'), path.join(dir, 'src', 'charge.js'));
    const run = runCli(['src', '--fix', '-f', 'json', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(read(dir, 'shared/charge.js').toString('utf8'), CHARGE_JS);
    assert.ok(fs.lstatSync(path.join(dir, 'src', 'charge.js')).isSymbolicLink(), 'the link is still a link');
    const results = parseJsonReport(run.stdout);
    const linked = results.find((result) => result.filePath === path.join(dir, 'src', 'charge.js'));
    assert.equal(linked?.skipped, 'not fixed: the file is a link to a place outside the given paths');
    assert.equal(timeoutFindings(results, path.join(dir, 'src', 'charge.js')).length, 1, 'its finding is still reported');
    assert.equal(read(dir, 'src/users.ts').toString('utf8'), USERS_FIXED);
  });

  it('fixes the target of a link inside the given paths and keeps the link', () => {
    const dir = project({ 'src/lib/charge.js': CHARGE_JS });
    fs.symlinkSync(path.join('lib', 'charge.js'), path.join(dir, 'src', 'charge-link.js'));
    const run = runCli(['src', '--fix', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(read(dir, 'src/lib/charge.js').toString('utf8'), CHARGE_FIXED);
    assert.ok(fs.lstatSync(path.join(dir, 'src', 'charge-link.js')).isSymbolicLink());
  });
});
