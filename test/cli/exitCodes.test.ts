import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHARGE_JS, makeProject, onlyMissingTimeout, PACKAGE_JSON, parseJsonReport, runCli, timeoutFindings, USERS_TS } from './harness';

const NO_STACK = /^\s+at /m;

describe('failpath exit codes and --fail-on', () => {
  let dir = '';
  let cleanup = (): void => undefined;
  before(() => {
    ({ dir, cleanup } = makeProject({ 'package.json': PACKAGE_JSON, 'src/users.ts': USERS_TS, 'src/charge.js': CHARGE_JS }));
  });
  after(() => cleanup());

  const cases: { args: string[]; status: number }[] = [
    { args: [], status: 0 },
    { args: ['--fail-on', 'error'], status: 0 },
    { args: ['--fail-on', 'warning'], status: 1 },
    { args: ['--fail-on', 'info'], status: 1 },
    { args: ['--fail-on', 'never'], status: 0 },
    { args: ['--rule', 'missing-timeout=error'], status: 1 },
    { args: ['--rule', 'missing-timeout=error', '--fail-on', 'never'], status: 0 },
    { args: ['--rule', 'missing-timeout=info', '--fail-on', 'warning'], status: 0 },
    { args: ['--rule', 'missing-timeout=info', '--fail-on=info'], status: 1 },
    { args: ['--rule', 'missing-timeout=off', '--fail-on', 'info'], status: 0 },
    { args: ['--max-warnings', '1'], status: 1 },
    { args: ['--max-warnings', '2'], status: 0 },
  ];
  for (const { args, status } of cases) {
    it(`${args.join(' ') || '(no options)'} exits ${status}`, () => {
      const run = runCli([...args, ...onlyMissingTimeout()], dir);
      assert.equal(run.status, status, run.stdout + run.stderr);
    });
  }

  it('--rule changes the severity shown in the report', () => {
    const run = runCli(['-f', 'json', '--rule', 'missing-timeout=error', ...onlyMissingTimeout()], dir);
    const findings = timeoutFindings(parseJsonReport(run.stdout), path.join(dir, 'src', 'users.ts'));
    assert.deepEqual(findings.map((finding) => finding.severity), ['error']);
  });

  it('an invalid --rule severity is reported on stderr and the rule keeps its default', () => {
    const run = runCli(['-f', 'json', '--rule', 'missing-timeout=loud', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0);
    assert.match(run.stderr, /^failpath: warning: --rule missing-timeout: expected "off", "info", "warning" or "error"/m);
    const findings = timeoutFindings(parseJsonReport(run.stdout), path.join(dir, 'src', 'users.ts'));
    assert.deepEqual(findings.map((finding) => finding.severity), ['warning']);
  });

  it('an unknown rule id is reported on stderr', () => {
    const run = runCli(['--rule', 'no-such-rule=error', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0);
    assert.match(run.stderr, /--rule no-such-rule: no such rule/);
  });

  const usageErrors: { args: string[]; message: RegExp }[] = [
    { args: ['--bogus'], message: /^failpath: unknown option '--bogus'/ },
    { args: ['--format', 'xml'], message: /^failpath: --format must be one of text, json, sarif; got 'xml'/ },
    { args: ['--fail-on', 'sometimes'], message: /^failpath: --fail-on must be one of error, warning, info, never/ },
    { args: ['--rule', 'missing-timeout'], message: /^failpath: --rule expects id=severity/ },
    { args: ['--max-warnings', 'many'], message: /^failpath: --max-warnings must be a whole number/ },
    { args: ['--output'], message: /^failpath: option --output needs a value/ },
    { args: ['src', 'does-not-exist.ts'], message: /^failpath: path does not exist: does-not-exist\.ts$/m },
  ];
  for (const { args, message } of usageErrors) {
    it(`${args.join(' ')} is a usage error: exit 2, one line, no stack`, () => {
      const run = runCli(args, dir);
      assert.equal(run.status, 2);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.doesNotMatch(run.stderr, NO_STACK);
      assert.equal(run.stdout, '');
    });
  }

  it('--help lists every option and the exit codes', () => {
    const run = runCli(['--help'], dir);
    assert.equal(run.status, 0);
    for (const option of ['--format', '--output', '--fix', '--fail-on', '--max-warnings', '--config', '--rule', '--debug', '--help', '--version']) {
      assert.ok(run.stdout.includes(option), `help mentions ${option}`);
    }
    assert.match(run.stdout, /Exit codes:/);
  });

  it('--version prints the package version', () => {
    const run = runCli(['--version'], dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    assert.equal(run.stdout, `${manifest.version}\n`);
  });
});

describe('failpath configuration', () => {
  const projects: (() => void)[] = [];
  after(() => projects.forEach((cleanup) => cleanup()));
  const project = (tree: Record<string, string>): string => {
    const { dir, cleanup } = makeProject({ 'src/users.ts': USERS_TS, ...tree });
    projects.push(cleanup);
    return dir;
  };
  const severities = (dir: string, args: string[] = []): { status: number | null; severities: string[]; stderr: string } => {
    const run = runCli(['-f', 'json', ...args, ...onlyMissingTimeout()], dir);
    const findings = run.status === 2 ? [] : timeoutFindings(parseJsonReport(run.stdout), path.join(dir, 'src', 'users.ts'));
    return { status: run.status, severities: findings.map((finding) => finding.severity), stderr: run.stderr };
  };

  it('failpath.config.json in the current directory is respected', () => {
    const dir = project({ 'failpath.config.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }) });
    assert.deepEqual(severities(dir), { status: 1, severities: ['error'], stderr: '' });
  });

  it('the "failpath" key of package.json is respected', () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'svc', failpath: { rules: { 'missing-timeout': 'info' } } }) });
    assert.deepEqual(severities(dir, ['--fail-on', 'warning']), { status: 0, severities: ['info'], stderr: '' });
  });

  it('--rule overrides the config file', () => {
    const dir = project({ 'failpath.config.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }) });
    assert.deepEqual(severities(dir, ['--rule', 'missing-timeout=warning']), { status: 0, severities: ['warning'], stderr: '' });
  });

  it('--config FILE is read instead of the current directory\'s config, and its settings reach the fixes', () => {
    const dir = project({
      'failpath.config.json': JSON.stringify({ rules: { 'missing-timeout': 'error' } }),
      'ci/failpath.json': JSON.stringify({ timeoutMs: 2500 }),
    });
    const run = runCli(['-f', 'json', '--config', 'ci/failpath.json', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    const [finding] = timeoutFindings(parseJsonReport(run.stdout), path.join(dir, 'src', 'users.ts'));
    assert.equal(finding.severity, 'warning');
    assert.match(finding.fixes[0].edits.map((edit) => edit.newText).join(''), /timeout: 2500/);
  });

  it('invalid values in the config file are reported one line each and replaced by defaults', () => {
    const dir = project({ 'failpath.config.json': JSON.stringify({ timeoutMs: -5, rules: { 'missing-timeout': 'loud' } }) });
    const result = severities(dir);
    assert.equal(result.status, 0);
    assert.deepEqual(result.severities, ['warning']);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0], /failpath\.config\.json: failpath\.timeoutMs: expected a positive number of milliseconds; using 10000$/);
    assert.match(lines[1], /failpath\.rules\.missing-timeout: expected "off", "info", "warning" or "error"/);
  });

  it('a broken config found implicitly is a warning; defaults apply', () => {
    const dir = project({ 'failpath.config.json': '{ "rules": { "missing-timeout": "error" ' });
    const result = severities(dir);
    assert.equal(result.status, 0);
    assert.deepEqual(result.severities, ['warning']);
    assert.match(result.stderr, /^failpath: warning: ignoring .*failpath\.config\.json \(.*failpath\.config\.json: .*JSON.*\); using defaults$/m);
  });

  it('a broken --config file exits 2 with its parse error and no stack', () => {
    const dir = project({ 'ci/failpath.json': '{ "rules": [ }' });
    const run = runCli(['--config', 'ci/failpath.json'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^failpath: cannot use config file: .*ci\/failpath\.json: .*JSON/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.doesNotMatch(run.stderr, NO_STACK);
  });

  it('a missing --config file exits 2', () => {
    const dir = project({});
    const run = runCli(['--config', 'nowhere.json'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^failpath: cannot use config file: cannot read .*nowhere\.json: ENOENT/);
  });
});
