import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Finding } from '../../server/src/engine';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';

// How engine findings become LSP diagnostics, for the fields the registered rules do not exercise yet.
function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'swallowed-error',
    messageId: 'empty',
    severity: 'warning',
    message: 'The error is dropped.',
    start: 10,
    end: 20,
    range: { start: { line: 2, character: 4 }, end: { line: 2, character: 14 } },
    fixes: [],
    related: [],
    ...overrides,
  };
}

describe('finding to LSP diagnostic', () => {
  const fileName = path.resolve('/work/svc/src/orders.ts');
  const target = { uri: 'file:///work/svc/src/orders.ts', fileName };

  it('maps severities, with info as Information', () => {
    const severities = (['error', 'warning', 'info'] as const).map((severity) => toDiagnostic(finding({ severity }), target).severity);
    assert.deepEqual(severities, [DiagnosticSeverity.Error, DiagnosticSeverity.Warning, DiagnosticSeverity.Information]);
  });

  it('turns related locations into relatedInformation, same-file ones on the document URI', () => {
    const otherFile = path.resolve('/work/svc/src/billing client.ts');
    const diagnostic = toDiagnostic(finding({
      related: [
        { fileName, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, message: 'the try starts here' },
        { fileName: otherFile, range: { start: { line: 7, character: 2 }, end: { line: 7, character: 9 } }, message: 'the call is made here' },
      ],
    }), target);
    assert.deepEqual(diagnostic.relatedInformation, [
      { location: { uri: target.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } } }, message: 'the try starts here' },
      { location: { uri: pathToFileURL(otherFile).href, range: { start: { line: 7, character: 2 }, end: { line: 7, character: 9 } } }, message: 'the call is made here' },
    ]);
  });

  it('leaves relatedInformation out when there is none', () => {
    assert.equal('relatedInformation' in toDiagnostic(finding({}), target), false);
  });
});
