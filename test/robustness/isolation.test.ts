import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { RemoteConsole } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ALL_RULES, analyze, type Rule, type RuleMeta } from '../../server/src/engine';
import { DocumentAnalyzer } from '../../server/src/lsp/analysis';
import { OutputLog } from '../../server/src/lsp/log';
import { ProjectInfoCache } from '../../server/src/lsp/projectInfo';
import { DocumentSettings } from '../../server/src/lsp/settings';
import { WorkspaceFolders } from '../../server/src/lsp/workspace';
import { run } from '../../server/src/cli/run';

/**
 * A rule that throws must cost only its own findings: the other rules still report, and the failure is recorded
 * once per rule and file with the rule id and a stack — in the engine's result, the server's output channel and
 * the CLI's stderr. The hosts run the registered rules, so the faulty rules are added to the registry for the
 * duration of a test (this process only; node --test runs each file in its own process).
 */

const SERVICE = `import axios from 'axios';
import pino from 'pino';
const logger = pino();

export async function loadUser(id: string) {
  try {
    const { data } = await axios.get('https://users.internal/api/users/' + id);
    return data;
  } catch {
  }
}
`;

function meta(id: string): RuleMeta {
  return { id, category: 'operability', defaultSeverity: 'warning', description: 'test rule', messages: { found: 'A finding of a test rule that is long enough.' }, hasFix: false };
}

function throwsOnEveryCall(): Rule {
  return {
    meta: meta('test-throws-in-handler'),
    create: () => ({ kinds: { [ts.SyntaxKind.CallExpression]: function handlerThatThrows() { throw new Error('boom in a handler'); } } }),
  };
}

const throwsInCreate: Rule = { meta: meta('test-throws-in-create'), create() { throw new TypeError('boom in create'); } };

const throwsInOnEnd: Rule = {
  meta: meta('test-throws-in-on-end'),
  create: () => ({ kinds: {}, onEnd: () => { throw new RangeError('boom at the end'); } }),
};

/** Reports on the first identifier, then throws: what it reported before failing must not be shown either. */
function reportsThenThrows(): Rule {
  return {
    meta: meta('test-reports-then-throws'),
    create: (context) => {
      let seen = 0;
      return {
        kinds: {
          [ts.SyntaxKind.Identifier]: (node) => {
            if (seen++ === 0) context.report({ node, messageId: 'found' });
            else throw new Error('boom after reporting');
          },
        },
      };
    },
  };
}

const reportsUnknownMessage: Rule = {
  meta: meta('test-unknown-message'),
  create: (context) => ({ kinds: { [ts.SyntaxKind.SourceFile]: (node) => context.report({ node, messageId: 'nope' }) } }),
};

function faultyRules(): Rule[] {
  return [throwsOnEveryCall(), throwsInCreate, throwsInOnEnd, reportsThenThrows(), reportsUnknownMessage];
}

const FAULTY_IDS = ['test-throws-in-handler', 'test-throws-in-create', 'test-throws-in-on-end', 'test-reports-then-throws', 'test-unknown-message'];

/** Runs `body` with the faulty rules registered beside the real ones. */
async function withFaultyRulesRegistered<T>(body: () => T | Promise<T>): Promise<T> {
  const registry = ALL_RULES as Rule[];
  const added = faultyRules();
  registry.push(...added);
  try {
    return await body();
  } finally {
    registry.splice(registry.length - added.length, added.length);
  }
}

describe('a throwing rule is isolated in the engine', () => {
  it('other rules report exactly what they report alone; each failure is recorded once with rule id and stack', () => {
    const alone = analyze('src/users.ts', SERVICE);
    assert.ok(alone.findings.length >= 2, `the fixture has findings of several rules: ${alone.findings.map((f) => f.ruleId).join(', ')}`);
    const withFaulty = analyze('src/users.ts', SERVICE, { rules: [...faultyRules(), ...ALL_RULES] });
    assert.deepEqual(withFaulty.findings, alone.findings);
    assert.deepEqual(withFaulty.ruleErrors.map((error) => error.ruleId).sort(), [...FAULTY_IDS].sort());
    for (const error of withFaulty.ruleErrors) {
      assert.ok(error.message.length > 0);
      assert.match(error.stack ?? '', /\n\s+at /, `${error.ruleId} has a stack`);
    }
    const handler = withFaulty.ruleErrors.find((error) => error.ruleId === 'test-throws-in-handler');
    assert.match(handler?.stack ?? '', /handlerThatThrows/);
    assert.match(withFaulty.ruleErrors.find((error) => error.ruleId === 'test-unknown-message')?.message ?? '', /unknown message id 'nope'/);
  });

  it('holds whatever the position of the faulty rules in the list', () => {
    const alone = analyze('src/users.ts', SERVICE);
    for (let at = 0; at <= ALL_RULES.length; at++) {
      const rules = [...ALL_RULES.slice(0, at), ...faultyRules(), ...ALL_RULES.slice(at)];
      const result = analyze('src/users.ts', SERVICE, { rules });
      assert.deepEqual(result.findings, alone.findings, `faulty rules at ${at}`);
      assert.equal(result.ruleErrors.length, FAULTY_IDS.length);
    }
  });
});

class RecordingConsole {
  readonly lines: { level: string; message: string }[] = [];
  error(message: string): void { this.lines.push({ level: 'error', message }); }
  warn(message: string): void { this.lines.push({ level: 'warn', message }); }
  info(message: string): void { this.lines.push({ level: 'info', message }); }
  log(message: string): void { this.lines.push({ level: 'log', message }); }
}

describe('the server writes a rule failure to the output channel once per rule and file', () => {
  it('once for repeated analyses of a file, again for another file and after the file was closed', async () => {
    const recording = new RecordingConsole();
    const log = new OutputLog(recording as unknown as RemoteConsole);
    const folders = new WorkspaceFolders();
    const settings = new DocumentSettings({ fetchEditorSettings: () => Promise.resolve(undefined), warnUser: () => undefined }, log, folders);
    const analyzer = new DocumentAnalyzer(settings, new ProjectInfoCache(), log);
    const uri = 'untitled:users.ts';
    const other = 'untitled:orders.ts';
    const errorsFor = (file: string, ruleId: string): string[] =>
      recording.lines.filter((line) => line.level === 'error' && line.message.includes(`rule ${ruleId} failed on ${file}`)).map((line) => line.message);

    await withFaultyRulesRegistered(async () => {
      for (let version = 1; version <= 4; version++) {
        const analysis = await analyzer.current(TextDocument.create(uri, 'typescript', version, `${'\n'.repeat(version)}${SERVICE}`));
        assert.ok(analysis.result.findings.some((finding) => finding.ruleId === 'missing-timeout'), 'the real rules still report');
      }
      for (const id of FAULTY_IDS) {
        const lines = errorsFor('users.ts', id);
        assert.equal(lines.length, 1, `${id}: ${recording.lines.map((line) => line.message).join('\n')}`);
        assert.match(lines[0], /\n\s+at /, 'the stack is written');
      }
      await analyzer.current(TextDocument.create(other, 'typescript', 1, SERVICE));
      assert.equal(errorsFor('orders.ts', 'test-throws-in-handler').length, 1);
      analyzer.forget(uri);
      await analyzer.current(TextDocument.create(uri, 'typescript', 9, SERVICE));
      assert.equal(errorsFor('users.ts', 'test-throws-in-handler').length, 2, 'reported again after close and reopen');
    });
  });
});

describe('the CLI prints a rule failure to stderr once per rule and file', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  async function cli(args: string[], files: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; dir: string }> {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-isolation-')));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    let stdout = '';
    let stderr = '';
    const code = await withFaultyRulesRegistered(() => run(args, { cwd: dir, stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } }));
    return { code, stdout, stderr, dir };
  }

  it('with --fix (several analyses per file): one line per rule and file, the report of the other rules intact', async () => {
    const result = await cli(['--fix', '--format', 'json', '--fail-on', 'never', '.'], { 'users.ts': SERVICE, 'orders.ts': SERVICE.replace(/users/g, 'orders') });
    assert.equal(result.code, 0);
    const lines = result.stderr.trim().split('\n').filter((line) => line.startsWith('failpath: rule '));
    assert.equal(lines.length, FAULTY_IDS.length * 2, result.stderr);
    for (const id of FAULTY_IDS) {
      for (const file of ['users.ts', 'orders.ts']) assert.equal(lines.filter((line) => line.startsWith(`failpath: rule ${id} failed on ${file}: `)).length, 1, result.stderr);
    }
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack without --debug');
    assert.match(fs.readFileSync(path.join(result.dir, 'users.ts'), 'utf8'), /timeout: 10000/, 'the real rules still fixed the file');
  });

  it('--debug adds the stack under each failure', async () => {
    const result = await cli(['--debug', '--fail-on', 'never', 'users.ts'], { 'users.ts': SERVICE });
    assert.match(result.stderr, /failpath: rule test-throws-in-handler failed on users\.ts: boom in a handler\n\s+Error: boom in a handler\n\s+at handlerThatThrows/);
    assert.match(result.stdout, /missing-timeout/);
  });
});
