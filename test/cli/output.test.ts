import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHARGE_JS, HEALTH_TS, makeProject, onlyMissingTimeout, PACKAGE_JSON, parseJsonReport, positionOf, runCli, timeoutFindings, USERS_TS } from './harness';
import { assertSarifShape } from './sarifShape';

describe('failpath output formats', () => {
  let dir = '';
  let cleanup = (): void => undefined;
  before(() => {
    ({ dir, cleanup } = makeProject({
      'package.json': PACKAGE_JSON,
      'src/api/users.ts': USERS_TS,
      'src/payments/charge.js': CHARGE_JS,
      'src/health.ts': HEALTH_TS,
    }));
  });
  after(() => cleanup());

  it('text: a header per file, aligned line:col rows, and a summary', () => {
    const run = runCli([...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const users = positionOf(USERS_TS, 'axios.get');
    const header = lines.indexOf(path.join('src', 'api', 'users.ts'));
    assert.ok(header >= 0, run.stdout);
    assert.match(lines[header + 1], new RegExp(`^  ${users.line}:${users.column}\\s+warning\\s+\`axios\\.get\` has no timeout.*\\S  missing-timeout$`));
    const charge = positionOf(CHARGE_JS, 'fetch(');
    const chargeHeader = lines.indexOf(path.join('src', 'payments', 'charge.js'));
    assert.match(lines[chargeHeader + 1], new RegExp(`^  ${charge.line}:${charge.column}\\s+warning\\s+.*missing-timeout$`));
    assert.ok(!run.stdout.includes('health.ts'), 'a file without findings gets no header');
    assert.ok(lines.includes('✖ 2 problems (0 errors, 2 warnings, 0 infos)'), run.stdout);
  });

  it('json: one entry per file with 1-based positions and the fix edits', () => {
    const run = runCli(['--format', 'json', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    const results = parseJsonReport(run.stdout);
    assert.deepEqual(results.map((result) => result.filePath), [
      path.join(dir, 'src', 'api', 'users.ts'),
      path.join(dir, 'src', 'health.ts'),
      path.join(dir, 'src', 'payments', 'charge.js'),
    ]);
    const [finding] = timeoutFindings(results, path.join(dir, 'src', 'api', 'users.ts'));
    const start = positionOf(USERS_TS, 'axios.get');
    assert.deepEqual(
      { severity: finding.severity, line: finding.line, column: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
      { severity: 'warning', line: start.line, column: start.column, endLine: start.line, endColumn: start.column + 'axios.get'.length },
    );
    const edits = finding.fixes[0].edits;
    const fixed = [...edits].sort((a, b) => b.start - a.start).reduce((text, edit) => text.slice(0, edit.start) + edit.newText + text.slice(edit.end), USERS_TS);
    assert.match(fixed, /axios\.get\(`[^`]*`, \{ timeout: 10000 \}\)/);
    assert.deepEqual(timeoutFindings(results, path.join(dir, 'src', 'health.ts')), []);
  });

  it('sarif: a valid 2.1.0 log whose results point at the findings, relative to %SRCROOT%', () => {
    const run = runCli(['--format', 'sarif', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 0, run.stderr);
    const log = assertSarifShape(JSON.parse(run.stdout));
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'Failpath');
    assert.equal(sarifRun.tool.driver.version, (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version);
    const rule = sarifRun.tool.driver.rules.find((entry) => entry.id === 'missing-timeout');
    assert.deepEqual({ level: rule?.defaultConfiguration.level, category: rule?.properties.category }, { level: 'warning', category: 'timeouts' });

    const results = sarifRun.results.filter((result) => result.ruleId === 'missing-timeout');
    assert.deepEqual(results.map((result) => result.locations[0].physicalLocation.artifactLocation.uri).sort(), ['src/api/users.ts', 'src/payments/charge.js']);
    const charge = results.find((result) => result.locations[0].physicalLocation.artifactLocation.uri === 'src/payments/charge.js');
    assert.ok(charge);
    assert.equal(charge.level, 'warning');
    assert.equal(charge.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    const start = positionOf(CHARGE_JS, 'fetch(');
    assert.deepEqual(charge.locations[0].physicalLocation.region, { startLine: start.line, startColumn: start.column, endLine: start.line, endColumn: start.column + 'fetch'.length });

    const replacements = charge.fixes?.[0].artifactChanges[0].replacements ?? [];
    assert.ok(replacements.length > 0, 'the finding carries its fix');
    const fixed = [...replacements]
      .sort((a, b) => b.deletedRegion.charOffset - a.deletedRegion.charOffset)
      .reduce((text, { deletedRegion, insertedContent }) => text.slice(0, deletedRegion.charOffset) + insertedContent.text + text.slice(deletedRegion.charOffset + deletedRegion.charLength), CHARGE_JS);
    assert.match(fixed, /body: JSON\.stringify\(\{ amount, token \}\),\n\s+signal: AbortSignal\.timeout\(10000\),\n\s+\}\);/);
  });

  it('sarif: --rule missing-timeout=error turns results into errors', () => {
    const run = runCli(['-f', 'sarif', '--rule', 'missing-timeout=error', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 1, run.stderr);
    const levels = assertSarifShape(JSON.parse(run.stdout)).runs[0].results.filter((result) => result.ruleId === 'missing-timeout').map((result) => result.level);
    assert.deepEqual(levels, ['error', 'error']);
  });

  it('--output writes the report to the file, not stdout, and leaves no temporary file', () => {
    const run = runCli(['--format', 'json', '--output', 'reports/failpath.json', ...onlyMissingTimeout()], dir);
    assert.equal(run.status, 2, 'the reports directory does not exist yet');
    assert.match(run.stderr, /^failpath: cannot write report to reports\/failpath\.json: ENOENT/);

    fs.mkdirSync(path.join(dir, 'reports'));
    const written = runCli(['--format', 'json', '--output', 'reports/failpath.json', ...onlyMissingTimeout()], dir);
    assert.equal(written.status, 0, written.stderr);
    assert.equal(written.stdout, '');
    const results = parseJsonReport(fs.readFileSync(path.join(dir, 'reports', 'failpath.json'), 'utf8'));
    assert.equal(timeoutFindings(results, path.join(dir, 'src', 'api', 'users.ts')).length, 1);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'reports')), ['failpath.json']);
  });
});
