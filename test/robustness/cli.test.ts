import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHARGE_JS, CLI, USERS_TS, makeProject, runCli } from '../cli/harness';

/**
 * The CLI under faults that test/cli does not already cover: paths that are not files, links that cannot be
 * followed, and `--fix` killed at random moments — every file must then hold its old or its new content.
 */

const NO_STACK = /\n\s+at /;

describe('CLI: paths it cannot analyze', () => {
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((cleanup) => cleanup()));
  const project = (tree: Record<string, string>): string => {
    const made = makeProject(tree);
    cleanups.push(made.cleanup);
    return made.dir;
  };

  it('a FIFO named on the command line is a usage error, not a hang', { skip: process.platform === 'win32' }, () => {
    const dir = project({ 'a.ts': USERS_TS });
    spawnSync('mkfifo', [path.join(dir, 'pipe.ts')]);
    const run = runCli(['pipe.ts'], dir);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'failpath: not a regular file or directory: pipe.ts\n');
  });

  it('a symlink loop or a dangling link named on the command line says so, exit 2, no stack', () => {
    const dir = project({ 'a.ts': USERS_TS });
    fs.symlinkSync('loop-b.ts', path.join(dir, 'loop-a.ts'));
    fs.symlinkSync('loop-a.ts', path.join(dir, 'loop-b.ts'));
    fs.symlinkSync('missing.ts', path.join(dir, 'dangling.ts'));
    for (const [name, message] of [['loop-a.ts', 'symbolic link loop: loop-a.ts'], ['dangling.ts', 'link target does not exist: dangling.ts']]) {
      const run = runCli([name], dir);
      assert.equal(run.status, 2);
      assert.equal(run.stderr, `failpath: ${message}\n`);
    }
  });

  it('the same links met while walking a directory are reported as skipped and the run goes on', () => {
    const dir = project({ 'src/a.ts': USERS_TS });
    fs.symlinkSync('loop-b.ts', path.join(dir, 'src', 'loop-a.ts'));
    fs.symlinkSync('loop-a.ts', path.join(dir, 'src', 'loop-b.ts'));
    const run = runCli(['--fail-on', 'never', 'src'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /loop-a\.ts: skipped — cannot read: ELOOP/);
    assert.match(run.stdout, /missing-timeout/);
    assert.doesNotMatch(run.stderr, NO_STACK);
  });
});

describe('CLI: --fix killed mid-run', () => {
  const FILES = 150;
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((cleanup) => cleanup()));

  function tree(): Record<string, string> {
    const files: Record<string, string> = { 'outside/keep.ts': USERS_TS };
    for (let i = 0; i < FILES; i++) {
      files[`given/src/m${String(i).padStart(3, '0')}.${i % 2 === 0 ? 'ts' : 'js'}`] = (i % 2 === 0 ? USERS_TS : CHARGE_JS).replace(/users|charge/g, (word) => `${word}${i}`);
    }
    return files;
  }

  /** The fixed content of every file, from an uninterrupted run on a copy. */
  function expectedAfterFix(): { fixed: Map<string, string>; durationMs: number } {
    const { dir, cleanup } = makeProject(tree());
    cleanups.push(cleanup);
    const started = performance.now();
    const run = runCli(['--fix', '--fail-on', 'never', '--workers', '1', 'given'], dir);
    const durationMs = performance.now() - started;
    assert.equal(run.status, 0, run.stderr);
    return { fixed: readAll(dir), durationMs };
  }

  function readAll(dir: string): Map<string, string> {
    const contents = new Map<string, string>();
    const walk = (current: string): void => {
      for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) walk(full);
        else contents.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
      }
    };
    walk(dir);
    return contents;
  }

  function killAfter(dir: string, delayMs: number, workers: number): Promise<NodeJS.Signals | null> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, '--fix', '--fail-on', 'never', '--workers', String(workers), 'given'], { cwd: dir, stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      child.on('exit', (_code, signal) => { clearTimeout(timer); resolve(signal); });
    });
  }

  it('every file holds its old or its new content, nothing outside the given path changes, temp files are the only debris', async (t) => {
    const { fixed, durationMs } = expectedAfterFix();
    const original = new Map(Object.entries(tree()));
    const changed = [...original.keys()].filter((file) => fixed.get(file) !== original.get(file));
    assert.ok(changed.length >= FILES - 1, `the uninterrupted run fixes the files (${changed.length} changed)`);
    assert.equal(fixed.get('outside/keep.ts'), USERS_TS, 'a file outside the given path is not touched');

    let killedMidWrite = 0;
    // Kill moments spread over the uninterrupted run's duration: start-up, analysis and the writing at its end.
    const delays = [0.2, 0.5, 0.7, 0.8, 0.87, 0.93, 0.97].map((fraction) => Math.round(fraction * durationMs));
    for (const [index, delay] of delays.entries()) {
      const { dir, cleanup } = makeProject(tree());
      cleanups.push(cleanup);
      const signal = await killAfter(dir, delay, index === 0 ? 2 : 1);
      const now = readAll(dir);
      let fresh = 0;
      for (const [file, before] of original) {
        const content = now.get(file);
        assert.ok(content === before || content === fixed.get(file), `${file} after SIGKILL at ${delay} ms is neither old nor new:\n${content}`);
        if (content !== before) fresh++;
      }
      const debris = [...now.keys()].filter((file) => !original.has(file));
      for (const file of debris) assert.match(path.basename(file), /^\.m\d+\.(ts|js)\.failpath-\d+-[a-z0-9]+\.tmp$/, `unexpected file ${file}`);
      assert.equal(now.get('outside/keep.ts'), USERS_TS);
      if (signal === 'SIGKILL' && fresh > 0 && fresh < changed.length) killedMidWrite++;
      t.diagnostic(`killed at ${delay} ms (${signal ?? 'finished'}): ${fresh}/${changed.length} files fixed, ${debris.length} temp files left`);
    }
    assert.ok(killedMidWrite > 0, 'at least one kill landed while files were being written');
  });
});
