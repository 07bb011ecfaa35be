/**
 * Names shared by the language server and the VS Code client. No imports: the client bundle includes this file.
 */

export const SUPPORTED_LANGUAGES: readonly string[] = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
export const SUPPORTED_SCHEMES: readonly string[] = ['file', 'untitled'];

/** Code action kind of "apply every Failpath fix in the file", for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.failpath';

/** Client command that opens a rule's documentation page; argument: the page's `file:` URI or the rule id. */
export const SHOW_RULE_DOCS_COMMAND = 'failpath.showRuleDocs';

/** The `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'failpath';

export const CONFIGURATION_SECTION = 'failpath';
