import * as path from 'node:path';
import type { Finding, RuleError, Severity } from '../engine';

/** What a run found, file by file: the input of every output format. */

export interface FileReport {
  /** Absolute path. */
  filePath: string;
  findings: Finding[];
  /** Why the file was not analyzed (or not fixed), in words. */
  skipped?: string;
  ruleErrors: RuleError[];
  fixesApplied: number;
  /** The file starts with a UTF-8 BOM, one character before the analyzed text (SARIF offsets count it). */
  hasBom: boolean;
}

export interface RunReport {
  cwd: string;
  files: FileReport[];
}

export interface Counts {
  error: number;
  warning: number;
  info: number;
}

export function countBySeverity(files: readonly FileReport[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0 };
  for (const file of files) for (const finding of file.findings) counts[finding.severity]++;
  return counts;
}

const RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

export function reachesSeverity(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** Relative to cwd when inside it (shorter, clickable), else absolute. */
export function displayPath(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  return relative === '' || relative.startsWith(`..${path.sep}`) || relative === '..' || path.isAbsolute(relative) ? filePath : relative;
}
