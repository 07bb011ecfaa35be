import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHARGE_JS, HEALTH_TS, makeProject, PACKAGE_JSON, parseJsonReport, runCli, USERS_TS, type Tree } from './harness';

/** A project of `count` files in several directories: files with findings, clean files, one non-UTF-8 file. */
function manyFiles(count: number): Tree {
  const tree: Tree = { 'package.json': PACKAGE_JSON, 'src/legacy/latin1.js': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0x78, 0x3d, 0x27, 0xe9, 0x27, 0x3b, 0x0a]) };
  const bodies = [USERS_TS, CHARGE_JS, HEALTH_TS];
  const extensions = ['ts', 'js', 'ts'];
  for (let index = 0; index < count; index++) {
    const kind = index % bodies.length;
    tree[`src/module-${index % 7}/file-${index}.${extensions[kind]}`] = bodies[kind];
  }
  return tree;
}

function reportOf(args: readonly string[], dir: string): string {
  const run = runCli(['--format', 'json', '--fail-on', 'never', ...args], dir);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

describe('failpath on worker threads', () => {
  let dir = '';
  let cleanup = (): void => undefined;
  before(() => {
    ({ dir, cleanup } = makeProject(manyFiles(240)));
  });
  after(() => cleanup());

  it('reports the same findings, in the same path order, on 1 and 2 workers', () => {
    const one = reportOf(['--workers', '1'], dir);
    const two = reportOf(['--workers', '2'], dir);
    assert.equal(two, one);
    const results = parseJsonReport(one);
    assert.equal(results.length, 241);
    const paths = results.map((result) => result.filePath);
    assert.deepEqual(paths, [...paths].sort(), 'files are listed in path order');
    assert.ok(results.filter((result) => result.findings.some((finding) => finding.ruleId === 'missing-timeout')).length >= 160, 'the findings of every worker arrive');
    assert.match(results.find((result) => result.filePath.endsWith('latin1.js'))?.skipped ?? '', /not valid UTF-8/);
  });

  it('uses workers by default for a large directory and reports the same as one worker', () => {
    assert.equal(reportOf([], dir), reportOf(['--workers', '1'], dir));
  });

  it('repeated runs on 3 workers give identical reports', () => {
    assert.equal(reportOf(['--workers', '3', '--format', 'sarif'], dir), reportOf(['--workers', '3', '--format', 'sarif'], dir));
  });

  it('--fix on 2 workers writes the same files as on 1 worker', () => {
    const copies = [makeProject(manyFiles(60)), makeProject(manyFiles(60))];
    try {
      const [single, parallel] = copies;
      const runSingle = runCli(['--fix', '--fail-on', 'never', '--workers', '1'], single.dir);
      const runParallel = runCli(['--fix', '--fail-on', 'never', '--workers', '2'], parallel.dir);
      assert.equal(runParallel.status, runSingle.status, runParallel.stderr);
      assert.match(runParallel.stderr, /applied [1-9]\d* fixes in/);
      assert.equal(runParallel.stderr, runSingle.stderr);
      for (let index = 0; index < 60; index += 1) {
        const relative = path.join('src', `module-${index % 7}`, `file-${index}.${['ts', 'js', 'ts'][index % 3]}`);
        assert.equal(fs.readFileSync(path.join(parallel.dir, relative), 'utf8'), fs.readFileSync(path.join(single.dir, relative), 'utf8'), relative);
      }
      const fixed = fs.readFileSync(path.join(parallel.dir, 'src', 'module-0', 'file-0.ts'), 'utf8');
      assert.notEqual(fixed, USERS_TS, 'the fix was written');
    } finally {
      for (const copy of copies) copy.cleanup();
    }
  });

  it('rejects a worker count below 1 as a usage error', () => {
    const run = runCli(['--workers', '0'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--workers must be a whole number >= 1/);
  });
});
