import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Rule documentation ships inside the extension as `docs/rules/<id>.md`. The server runs from the bundle in
 * `dist/`, so the pages sit one level up from it.
 */
const DOCS_DIRECTORY = path.join(__dirname, '..', 'docs', 'rules');

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function ruleDocsPath(ruleId: string): string | undefined {
  return RULE_ID.test(ruleId) ? path.join(DOCS_DIRECTORY, `${ruleId}.md`) : undefined;
}

const docsUris = new Map<string, string | undefined>();

/** The `file:` URI of a rule's documentation page, for `codeDescription.href` (asked per diagnostic: remembered). */
export function ruleDocsUri(ruleId: string): string | undefined {
  if (docsUris.has(ruleId)) return docsUris.get(ruleId);
  const docsPath = ruleDocsPath(ruleId);
  const uri = docsPath === undefined ? undefined : pathToFileURL(docsPath).href;
  docsUris.set(ruleId, uri);
  return uri;
}
