import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface SourceToCheck {
  /** File name inside the output directory, e.g. `fp-fetch-timeout.ts`. */
  name: string;
  text: string;
}

/**
 * Strict settings of a Node backend project: the snippets must compile where a careful team would paste them.
 * Node's own globals (fetch, AbortSignal, timers) come from @types/node, not the DOM library.
 */
export function snippetCompilerOptions(repoRoot: string): ts.CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    noImplicitReturns: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    forceConsistentCasingInFileNames: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    skipLibCheck: true,
    allowJs: true,
    checkJs: false,
  };
}

/**
 * Writes the sources to `outDir` (inside the repository, so imports resolve against its node_modules and the
 * files stay there to read when a check fails) and type-checks them all in ONE program.
 * TypeScript files get syntactic + semantic diagnostics; JavaScript files only syntactic ones, which include
 * "TypeScript-only syntax in a .js file".
 */
export function typeCheck(sources: readonly SourceToCheck[], outDir: string, repoRoot: string): Map<string, readonly ts.Diagnostic[]> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const fileNames = sources.map((source) => {
    const fileName = path.join(outDir, source.name);
    fs.writeFileSync(fileName, source.text);
    return fileName;
  });
  const program = ts.createProgram({ rootNames: fileNames, options: snippetCompilerOptions(repoRoot) });
  const results = new Map<string, readonly ts.Diagnostic[]>();
  for (const [i, fileName] of fileNames.entries()) {
    const sourceFile = program.getSourceFile(fileName);
    const name = sources[i].name;
    if (!sourceFile) throw new Error(`the program did not load ${fileName}`);
    const syntactic = program.getSyntacticDiagnostics(sourceFile);
    const isJavaScript = /\.[cm]?jsx?$/.test(name);
    const semantic = isJavaScript ? [] : program.getSemanticDiagnostics(sourceFile);
    results.set(name, [...syntactic, ...semantic]);
  }
  // Problems not tied to one file (a missing @types package, a bad option) would silently weaken every check.
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length > 0) throw new Error(`the snippet program itself has errors:\n${formatDiagnostics(global)}`);
  return results;
}

export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
      if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const sourceLine = diagnostic.file.text.split('\n')[line] ?? '';
      return `${path.basename(diagnostic.file.fileName)}:${line + 1}:${character + 1} TS${diagnostic.code}: ${message}\n    ${sourceLine.trim()}`;
    })
    .join('\n');
}
