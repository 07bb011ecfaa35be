import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ALL_RULES, type Finding, type Rule, type Severity } from '../engine';
import { informationUri, packageInfo, ruleDocsUri } from './packageInfo';
import type { FileReport, RunReport } from './report';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one run; artifact URIs relative to the
 * current directory under the base id `%SRCROOT%`; regions 1-based with UTF-16 columns, endColumn exclusive.
 */

export const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

const LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(report: RunReport): string {
  const rules = ALL_RULES;
  const run = {
    tool: {
      driver: {
        name: 'Failpath',
        version: packageInfo().version,
        semanticVersion: packageInfo().version,
        informationUri: informationUri(),
        rules: rules.map(ruleDescriptor),
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.cwd) } },
    columnKind: 'utf16CodeUnits',
    results: report.files.flatMap((file) => file.findings.map((finding) => result(finding, file, report.cwd, rules))),
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications(report) }],
  };
  const log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: Rule) {
  const { meta } = rule;
  return {
    id: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.hasFix ? `${meta.description} Failpath offers a quick fix.` : meta.description },
    helpUri: ruleDocsUri(meta.id),
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { category: meta.category, tags: ['failpath', meta.category] },
  };
}

function result(finding: Finding, file: FileReport, cwd: string, rules: readonly Rule[]) {
  const location = artifactLocation(file.filePath, cwd);
  const ruleIndex = rules.findIndex((rule) => rule.meta.id === finding.ruleId);
  const offset = file.hasBom ? 1 : 0;
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{
      physicalLocation: {
        artifactLocation: location,
        region: {
          startLine: finding.range.start.line + 1,
          startColumn: finding.range.start.character + 1,
          endLine: finding.range.end.line + 1,
          endColumn: finding.range.end.character + 1,
        },
      },
    }],
    ...(finding.related.length > 0 ? {
      relatedLocations: finding.related.map((related, id) => ({
        id,
        message: { text: related.message },
        physicalLocation: {
          artifactLocation: artifactLocation(related.fileName, cwd),
          region: { startLine: related.range.start.line + 1, startColumn: related.range.start.character + 1 },
        },
      })),
    } : {}),
    ...(finding.fixes.length > 0 ? {
      fixes: finding.fixes.map((fix) => ({
        description: { text: fix.title },
        artifactChanges: [{
          artifactLocation: location,
          replacements: fix.edits.map((edit) => ({
            deletedRegion: { charOffset: edit.start + offset, charLength: edit.end - edit.start },
            insertedContent: { text: edit.newText },
          })),
        }],
      })),
    } : {}),
  };
}

function notifications(report: RunReport) {
  const list: { level: SarifLevel; message: { text: string }; locations: { physicalLocation: { artifactLocation: ArtifactLocation } }[]; associatedRule?: { id: string } }[] = [];
  for (const file of report.files) {
    const locations = [{ physicalLocation: { artifactLocation: artifactLocation(file.filePath, report.cwd) } }];
    if (file.skipped !== undefined) list.push({ level: 'note', message: { text: `skipped: ${file.skipped}` }, locations });
    for (const error of file.ruleErrors) {
      list.push({ level: 'error', message: { text: `rule ${error.ruleId} failed: ${error.message}` }, locations, associatedRule: { id: error.ruleId } });
    }
  }
  return list;
}

/** Relative to %SRCROOT% (the current directory) when inside it; an absolute file URI otherwise. */
function artifactLocation(filePath: string, cwd: string): ArtifactLocation {
  const relative = path.relative(cwd, filePath);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(filePath).href };
  }
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}
