import type { Finding } from '../engine';
import type { RunReport } from './report';

/** One entry per file: 1-based lines and columns; `endColumn` points just past the last character, as in ESLint. */
export interface JsonFileResult {
  filePath: string;
  findings: JsonFinding[];
  skipped?: string;
}

export interface JsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Edits are UTF-16 offsets into the file's text (after any BOM), applied together. */
  fixes: { title: string; edits: { start: number; end: number; newText: string }[] }[];
  /** Other places the finding depends on (cross-file: the call or the client in another file); only when there are any. */
  related?: { filePath: string; line: number; column: number; message: string }[];
}

export function formatJson(report: RunReport): string {
  const results: JsonFileResult[] = report.files.map((file) => ({
    filePath: file.filePath,
    findings: file.findings.map(toJsonFinding),
    ...(file.skipped !== undefined ? { skipped: file.skipped } : {}),
  }));
  return `${JSON.stringify(results, null, 2)}\n`;
}

function toJsonFinding(finding: Finding): JsonFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((edit) => ({ start: edit.start, end: edit.end, newText: edit.newText })),
    })),
    ...(finding.related.length > 0 ? {
      related: finding.related.map((related) => ({
        filePath: related.fileName, line: related.range.start.line + 1, column: related.range.start.character + 1, message: related.message,
      })),
    } : {}),
  };
}
