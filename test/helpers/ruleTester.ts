import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze, applyEdits, defaultSettings, normalizeSettings, type Finding, type Rule } from '../../server/src/engine';
import { parseErrorsOf, parseFile } from '../../server/src/engine/parse';
import type { ProjectInfo } from '../../server/src/engine/project';

export interface ValidCase {
  name?: string;
  code: string;
  fileName?: string;
  settings?: Record<string, unknown>;
  project?: ProjectInfo;
}

export interface ExpectedError {
  messageId: string;
  line: number;
  column?: number;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** Text after applying the first fix of every finding of this rule; null when the rule offers no fix. */
  output?: string | null;
}

export interface RuleTable {
  valid: (ValidCase | string)[];
  invalid: InvalidCase[];
}

function settingsFor(testCase: ValidCase) {
  return testCase.settings ? normalizeSettings(testCase.settings).settings : defaultSettings();
}

export function findingsOf(rule: Rule, testCase: ValidCase, text = testCase.code): Finding[] {
  const result = analyze(testCase.fileName ?? 'file.ts', text, {
    settings: settingsFor(testCase),
    rules: [rule],
    project: testCase.project,
    includeGenerated: true,
  });
  assert.deepEqual(result.ruleErrors, [], `rule threw: ${JSON.stringify(result.ruleErrors)}`);
  assert.equal(result.skipped, undefined);
  return result.findings;
}

/** Applies the first fix of every finding in one edit, as a user's "fix all" would on one pass. */
export function applyFirstFixes(text: string, findings: readonly Finding[]): string {
  const edits = findings.flatMap((finding) => finding.fixes[0]?.edits ?? []);
  const unique = edits.filter((edit, index) => edits.findIndex((other) => other.start === edit.start && other.end === edit.end && other.newText === edit.newText) === index);
  return applyEdits(text, unique);
}

function describeFindings(findings: readonly Finding[]): string {
  return findings.map((finding) => `${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.messageId}`).join(', ');
}

/**
 * Runs a rule's table: valid code has no finding; invalid code has exactly the expected findings; the fix
 * output matches, parses with no new syntax error, is no longer flagged, and fixing again changes nothing.
 */
export function runRuleTests(rule: Rule, table: RuleTable): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      table.valid.forEach((entry, index) => {
        const testCase = typeof entry === 'string' ? { code: entry } : entry;
        it(testCase.name ?? `valid #${index + 1}: ${firstLine(testCase.code)}`, () => {
          const findings = findingsOf(rule, testCase);
          assert.equal(findings.length, 0, `expected no finding, got: ${describeFindings(findings)}`);
        });
      });
    });
    describe('invalid', () => {
      table.invalid.forEach((testCase, index) => {
        it(testCase.name ?? `invalid #${index + 1}: ${firstLine(testCase.code)}`, () => {
          const findings = findingsOf(rule, testCase);
          assert.equal(findings.length, testCase.errors.length, `expected ${testCase.errors.length} finding(s), got: ${describeFindings(findings)}`);
          testCase.errors.forEach((expected, position) => {
            const finding = findings[position];
            assert.equal(finding.messageId, expected.messageId);
            assert.equal(finding.range.start.line + 1, expected.line, `line of finding ${position + 1}`);
            if (expected.column !== undefined) assert.equal(finding.range.start.character + 1, expected.column, `column of finding ${position + 1}`);
            assert.ok(finding.message.length > 20 && !finding.message.includes('{{'), `message is filled in: ${finding.message}`);
          });
          if (testCase.output === undefined) return;
          if (testCase.output === null) {
            assert.ok(findings.every((finding) => finding.fixes.length === 0), 'expected no fix');
            return;
          }
          assertFixOutput(rule, testCase, findings, testCase.output);
        });
      });
    });
  });
}

function assertFixOutput(rule: Rule, testCase: InvalidCase, findings: readonly Finding[], expected: string): void {
  const fileName = testCase.fileName ?? 'file.ts';
  const fixed = applyFirstFixes(testCase.code, findings);
  assert.equal(fixed, expected);
  const before = parseErrorsOf(parseFile(fileName, testCase.code)).length;
  const after = parseErrorsOf(parseFile(fileName, fixed));
  assert.equal(after.length, before, `fix introduced syntax errors: ${after.map((d) => d.messageText).join('; ')}`);
  const remaining = findingsOf(rule, testCase, fixed);
  const fixedAgain = applyFirstFixes(fixed, remaining);
  assert.equal(fixedAgain, fixed, 'applying the fix a second time changed the text');
}

function firstLine(code: string): string {
  const line = code.trim().split('\n').find((candidate) => !/^\s*(import|const \w+ = require)/.test(candidate)) ?? code.trim();
  return line.trim().slice(0, 70);
}
