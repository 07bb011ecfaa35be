import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SUPPORTED_LANGUAGES, SUPPORTED_SCHEMES } from './protocol';

const EXTENSION_BY_LANGUAGE: Readonly<Record<string, string>> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

const SCRIPT_EXTENSION = /\.(c|m)?[jt]sx?$/i;

export function schemeOf(uri: string): string {
  const colon = uri.indexOf(':');
  return colon < 0 ? '' : uri.slice(0, colon).toLowerCase();
}

/** Only `file:` and `untitled:` documents of the four script languages are analyzed. */
export function isSupportedDocument(document: TextDocument): boolean {
  return SUPPORTED_SCHEMES.includes(schemeOf(document.uri)) && SUPPORTED_LANGUAGES.includes(document.languageId);
}

/**
 * The file name the engine sees. The engine picks TS or JS parsing from the extension, so a document whose
 * name does not say its language (an untitled buffer, a shebang script) gets the language's extension appended.
 */
export function fileNameOf(document: TextDocument): string {
  const extension = EXTENSION_BY_LANGUAGE[document.languageId] ?? '.ts';
  if (schemeOf(document.uri) === 'file') {
    const filePath = filePathOf(document.uri);
    return SCRIPT_EXTENSION.test(filePath) ? filePath : filePath + extension;
  }
  const name = decodeURIComponent(document.uri.slice(document.uri.indexOf(':') + 1)).replace(/[\\/:]/g, '_') || 'untitled';
  return SCRIPT_EXTENSION.test(name) ? name : name + extension;
}

/** The path on disk of a `file:` URI (throws for other schemes; check `isFileUri` first). */
export function filePathOf(uri: string): string {
  return path.normalize(fileURLToPath(uri));
}

export function isFileUri(uri: string): boolean {
  return schemeOf(uri) === 'file';
}
