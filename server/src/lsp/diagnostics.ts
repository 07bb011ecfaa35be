import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { Finding, RelatedInformation, Severity } from '../engine';
import { ruleDocsUri } from './docsLinks';
import { DIAGNOSTIC_SOURCE } from './protocol';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Where the finding's file is, to turn related locations in the same file into the document's own URI. */
export interface DiagnosticTarget {
  uri: string;
  fileName: string;
}

/**
 * Findings kept unchanged by incremental analysis are the same objects from one edit to the next: their diagnostics
 * are made once (a large file can carry thousands).
 */
const madeFor = new WeakMap<Finding, { uri: string; diagnostic: Diagnostic }>();

export function toDiagnostic(finding: Finding, target: DiagnosticTarget): Diagnostic {
  const made = madeFor.get(finding);
  if (made && made.uri === target.uri) return made.diagnostic;
  const diagnostic = newDiagnostic(finding, target);
  madeFor.set(finding, { uri: target.uri, diagnostic });
  return diagnostic;
}

function newDiagnostic(finding: Finding, target: DiagnosticTarget): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    message: finding.message,
  };
  const href = ruleDocsUri(finding.ruleId);
  if (href !== undefined) diagnostic.codeDescription = { href };
  if (finding.related.length > 0) diagnostic.relatedInformation = finding.related.map((related) => toRelated(related, target));
  return diagnostic;
}

function toRelated(related: RelatedInformation, target: DiagnosticTarget): DiagnosticRelatedInformation {
  const uri = related.fileName === target.fileName ? target.uri : pathToFileURL(related.fileName).href;
  return { location: { uri, range: related.range }, message: related.message };
}
