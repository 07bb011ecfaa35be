import { countBySeverity, displayPath, type FileReport, type RunReport } from './report';

/**
 * ESLint "stylish"-like text: a header per file with findings, aligned `line:col  severity  message  rule-id`
 * rows, lines for skipped files, and a summary.
 */
export function formatText(report: RunReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    lines.push(displayPath(file.filePath, report.cwd));
    lines.push(...findingRows(file), '');
  }
  const skipped = report.files.filter((file) => file.skipped !== undefined);
  for (const file of skipped) lines.push(`${displayPath(file.filePath, report.cwd)}: skipped — ${file.skipped}`);
  if (skipped.length > 0) lines.push('');
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

function findingRows(file: FileReport): string[] {
  const cells = file.findings.map((finding) => [
    `${finding.range.start.line + 1}:${finding.range.start.character + 1}`,
    finding.severity,
    oneLine(finding.message),
    finding.ruleId,
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) => `  ${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`);
}

function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ');
}

function summaryLine(report: RunReport): string {
  const counts = countBySeverity(report.files);
  const total = counts.error + counts.warning + counts.info;
  const analyzed = report.files.filter((file) => file.skipped === undefined).length;
  if (total === 0) return `✔ no problems in ${plural(analyzed, 'file')}`;
  return `✖ ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')})`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
