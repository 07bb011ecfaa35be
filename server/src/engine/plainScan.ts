/**
 * Character tests for plain text searches that look for module specifiers without a parse (`require('m')` in
 * engine/external.ts, logger imports in the CLI's import scan): what a search may skip as space, and what makes it
 * unsure (then it answers "maybe", never "no").
 */

/** Space, tab, line feed, carriage return: skipped between a name, `(` and a string literal. */
export function isPlainSpace(code: number | undefined): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** A comment (`/`), or whitespace a plain search does not skip (vertical tab, form feed, non-ASCII spaces). */
export function isUnsureSeparator(code: number | undefined): boolean {
  return code !== undefined && (code === 0x2f || code === 11 || code === 12 || code >= 128);
}
