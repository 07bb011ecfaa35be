import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalyzer } from './analysis';
import { toDiagnostic } from './diagnostics';
import { describeError, type OutputLog } from './log';

export const DEBOUNCE_MS = debounceFromEnvironment(process.env.FAILPATH_DEBOUNCE_MS, 120);

/** `FAILPATH_DEBOUNCE_MS` overrides the delay (the benchmark sets 0 to time analysis alone); bad values keep the default. */
function debounceFromEnvironment(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) return fallback;
  return Number(value.trim());
}

/**
 * Turns edits into published diagnostics: debounced per document, and only for the version that is current
 * when the analysis finishes. Every request bumps the document's generation; a validation that finds its
 * generation outdated (a newer edit, a close) publishes nothing.
 */
export class Validator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyzer: DocumentAnalyzer,
    private readonly log: OutputLog,
    private readonly delayMs = DEBOUNCE_MS,
  ) {}

  schedule(uri: string): void {
    const generation = this.supersede(uri);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.validate(uri, generation);
    }, this.delayMs));
  }

  /** The document is gone (closed) or must show nothing (disabled): cancel pending work and clear. */
  clear(uri: string): void {
    this.supersede(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private supersede(uri: string): number {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    const generation = (this.generations.get(uri) ?? 0) + 1;
    this.generations.set(uri, generation);
    return generation;
  }

  private async validate(uri: string, generation: number): Promise<void> {
    const document = this.documents.get(uri);
    if (!document) return;
    try {
      const analysis = await this.analyzer.current(document);
      if (this.generations.get(uri) !== generation || this.documents.get(uri) !== document || analysis.version !== document.version) return;
      const target = { uri, fileName: analysis.fileName };
      const diagnostics = analysis.result.findings.map((finding) => toDiagnostic(finding, target));
      await this.connection.sendDiagnostics({ uri, version: analysis.version, diagnostics });
    } catch (error) {
      this.log.once(`validate-error:${uri}\u0000${String(error)}`, `Failpath could not validate ${uri}: ${describeError(error)}`, 'error');
    }
  }
}
