import { ALL_RULES, normalizeSettings, type FailpathSettings } from '../engine';
import { readProjectConfig, type ProjectConfig } from '../host/projectConfig';
import { filePathOf, isFileUri } from './documents';
import type { OutputLog } from './log';
import type { WorkspaceFolders } from './workspace';

/** What the settings need from the connection; an interface so the merge can be read without LSP plumbing. */
export interface SettingsHost {
  /** The raw `failpath` section for a document's scope; undefined when the client cannot answer. */
  fetchEditorSettings(uri: string): Promise<unknown>;
  /** A message the user sees (a warning notification), not only the output channel. */
  warnUser(message: string): void;
}

export interface ResolvedSettings {
  settings: FailpathSettings;
  /** The workspace folder holding the document, where the project's config file was looked for. */
  workspaceRoot?: string;
}

const EDITOR_PROBLEM = 'editor-setting:';
const PROJECT_PROBLEM = 'project-setting:';
const CONFIG_ERROR = 'config-error:';

/**
 * Settings per document, merged as the CLI does: defaults, then the editor's `failpath.*` settings, then the
 * project's `failpath.config.json` (or package.json `"failpath"`), so a project file wins over the editor.
 * Invalid values are written to the output channel once and replaced by the value below them.
 */
export class DocumentSettings {
  private readonly byDocument = new Map<string, Promise<ResolvedSettings>>();
  private readonly projectConfigs = new Map<string, ProjectConfig>();

  constructor(
    private readonly host: SettingsHost,
    private readonly log: OutputLog,
    private readonly folders: WorkspaceFolders,
  ) {}

  get(uri: string): Promise<ResolvedSettings> {
    let resolved = this.byDocument.get(uri);
    if (!resolved) {
      resolved = this.resolve(uri);
      this.byDocument.set(uri, resolved);
    }
    return resolved;
  }

  forget(uri: string): void {
    this.byDocument.delete(uri);
  }

  /** The editor's configuration changed: read it again, and report its problems again. */
  editorSettingsChanged(): void {
    this.byDocument.clear();
    this.log.forget(EDITOR_PROBLEM);
  }

  /** A config file or package.json changed on disk. */
  projectFilesChanged(): void {
    this.byDocument.clear();
    this.projectConfigs.clear();
    this.log.forget(PROJECT_PROBLEM);
  }

  private async resolve(uri: string): Promise<ResolvedSettings> {
    const editorRaw = await this.host.fetchEditorSettings(uri).catch((error: unknown) => {
      this.log.once(`${EDITOR_PROBLEM}fetch`, `Failpath: could not read the editor settings (${String(error)}); using defaults`, 'warn');
      return undefined;
    });
    const editor = normalizeSettings(editorRaw);
    for (const problem of [...editor.problems, ...unknownRules(editor.settings)]) {
      this.log.once(`${EDITOR_PROBLEM}${problem}`, `Failpath settings: ${problem}`, 'warn');
    }
    const workspaceRoot = isFileUri(uri) ? this.folders.rootOf(filePathOf(uri)) : undefined;
    if (workspaceRoot === undefined) return { settings: editor.settings };
    const project = this.projectConfig(workspaceRoot);
    if (project.raw === undefined) return { settings: editor.settings, workspaceRoot };
    const merged = normalizeSettings(project.raw, editor.settings);
    for (const problem of [...merged.problems, ...unknownRules(normalizeSettings(project.raw).settings)]) {
      this.log.once(`${PROJECT_PROBLEM}${project.source}:${problem}`, `Failpath settings in ${project.source}: ${problem}`, 'warn');
    }
    return { settings: merged.settings, workspaceRoot };
  }

  private projectConfig(root: string): ProjectConfig {
    let config = this.projectConfigs.get(root);
    if (!config) {
      config = readProjectConfig(root);
      this.projectConfigs.set(root, config);
      this.reportConfigError(root, config);
    }
    return config;
  }

  /** A broken config file is reported once per distinct error; fixing it re-arms the report. */
  private reportConfigError(root: string, config: ProjectConfig): void {
    const prefix = `${CONFIG_ERROR}${root}\u0000`;
    if (config.error === undefined) {
      this.log.forget(prefix);
      return;
    }
    // The error names the file; say what happens instead.
    const message = `Failpath: ${config.error}. The project settings file is ignored and default settings apply until it is fixed.`;
    if (this.log.once(prefix + config.error, message, 'warn')) this.host.warnUser(message);
  }
}

/** Severities set for rule ids this version does not have (a typo, or a rule from a newer release). */
function unknownRules(settings: FailpathSettings): string[] {
  return Object.keys(settings.rules)
    .filter((id) => !ALL_RULES.some((rule) => rule.meta.id === id))
    .map((id) => `failpath.rules.${id}: no such rule (known: ${ALL_RULES.map((rule) => rule.meta.id).join(', ')}); ignored`);
}
