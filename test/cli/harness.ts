import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/rules';

/** Runs the built `dist/cli.js` in a child process against temporary projects of real-looking files. */

export const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string): CliRun {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  const child = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** Turns off every registered rule but missing-timeout, so counts stay exact while other rules are added. */
export function onlyMissingTimeout(): string[] {
  return ALL_RULES.filter((rule) => rule.meta.id !== 'missing-timeout').flatMap((rule) => ['--rule', `${rule.meta.id}=off`]);
}

export type Tree = Record<string, string | Buffer>;

/** A fresh directory holding `tree` (paths with `/`); removed by the returned cleanup. */
export function makeProject(tree: Tree): { dir: string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-cli-')));
  writeTree(dir, tree);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function writeTree(dir: string, tree: Tree): void {
  for (const [relative, content] of Object.entries(tree)) {
    const file = path.join(dir, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `fixture does not contain ${needle}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixes: { title: string; edits: { start: number; end: number; newText: string }[] }[];
}

export interface JsonFileResult {
  filePath: string;
  findings: JsonFinding[];
  skipped?: string;
}

export function parseJsonReport(stdout: string): JsonFileResult[] {
  const parsed: unknown = JSON.parse(stdout);
  assert.ok(Array.isArray(parsed), 'json report is an array');
  return parsed as JsonFileResult[];
}

export function timeoutFindings(results: readonly JsonFileResult[], filePath: string): JsonFinding[] {
  const file = results.find((result) => result.filePath === filePath);
  assert.ok(file, `report has an entry for ${filePath}; entries: ${results.map((result) => result.filePath).join(', ')}`);
  return file.findings.filter((finding) => finding.ruleId === 'missing-timeout');
}

export const USERS_TS = `import axios from 'axios';

export async function loadUser(id: string) {
  const { data } = await axios.get(\`https://users.internal/api/users/\${id}\`);
  return data;
}
`;

export const CHARGE_JS = `async function chargeCard(amount, token) {
  const response = await fetch('https://payments.internal/charge', {
    method: 'POST',
    body: JSON.stringify({ amount, token }),
  });
  return response.json();
}

module.exports = { chargeCard };
`;

export const HEALTH_TS = `export async function checkUpstream(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok;
}
`;

export const PACKAGE_JSON = JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { axios: '^1.7.0' } }, null, 2);
