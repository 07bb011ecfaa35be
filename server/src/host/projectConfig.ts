import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectInfo } from '../engine/project';

/**
 * Reading of the project's own files that both hosts (language server and CLI) share: the settings file
 * `failpath.config.json` (or a `"failpath"` key in package.json) and the dependency versions in the
 * nearest package.json. Everything is parsed as JSON; nothing from the workspace is executed.
 */

export const CONFIG_FILE_NAME = 'failpath.config.json';
const MAX_CONFIG_BYTES = 1_000_000;
const MAX_JSON_DEPTH = 64;

export interface ProjectConfig {
  /** Raw settings to pass to normalizeSettings; undefined when the project has none. */
  raw: unknown;
  /** The file the settings came from. */
  source?: string;
  /** Why the file was not used, in words (its parse error); defaults apply then. */
  error?: string;
}

/** Reads `failpath.config.json`, else the `"failpath"` key of package.json, in `rootDir`. Never throws. */
export function readProjectConfig(rootDir: string): ProjectConfig {
  const configPath = path.join(rootDir, CONFIG_FILE_NAME);
  if (fs.existsSync(configPath)) return readConfigFile(configPath);
  const packagePath = path.join(rootDir, 'package.json');
  if (!fs.existsSync(packagePath)) return { raw: undefined };
  const parsed = parseJsonFile(packagePath);
  if ('error' in parsed) return { raw: undefined };
  const manifest = parsed.value;
  if (typeof manifest === 'object' && manifest !== null && Object.prototype.hasOwnProperty.call(manifest, 'failpath')) {
    return { raw: (manifest as Record<string, unknown>).failpath, source: packagePath };
  }
  return { raw: undefined };
}

export function readConfigFile(configPath: string): ProjectConfig {
  const parsed = parseJsonFile(configPath);
  if ('error' in parsed) return { raw: undefined, source: configPath, error: parsed.error };
  return { raw: parsed.value, source: configPath };
}

function parseJsonFile(filePath: string): { value: unknown } | { error: string } {
  let text: string;
  try {
    const size = fs.statSync(filePath).size;
    if (size > MAX_CONFIG_BYTES) return { error: `${filePath} is ${size} bytes; config files are limited to ${MAX_CONFIG_BYTES}` };
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    return { error: `cannot read ${filePath}: ${error instanceof Error ? error.message : String(error)}` };
  }
  return parseJsonText(text, filePath);
}

/** JSON.parse with a nesting limit, and `__proto__`/`constructor` keys dropped so nothing reaches a prototype. */
export function parseJsonText(text: string, label: string): { value: unknown } | { error: string } {
  const depth = maxNesting(text);
  if (depth > MAX_JSON_DEPTH) return { error: `${label}: nesting depth ${depth} exceeds ${MAX_JSON_DEPTH}` };
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''), (key, nested: unknown) =>
      key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : nested);
    return { value };
  } catch (error) {
    return { error: `${label}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') max = Math.max(max, ++depth);
    else if (char === '}' || char === ']') depth--;
  }
  return max;
}

/** Dependency versions from the package.json nearest to `filePath`, walking up no further than `stopAt`. */
export function readProjectInfo(filePath: string, stopAt?: string): ProjectInfo {
  let dir = path.dirname(path.resolve(filePath));
  const stop = stopAt ? path.resolve(stopAt) : path.parse(dir).root;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const parsed = parseJsonFile(candidate);
      if (!('error' in parsed)) return { dependencies: dependenciesOf(parsed.value) };
    }
    const parent = path.dirname(dir);
    if (dir === stop || parent === dir) return { dependencies: {} };
    dir = parent;
  }
}

function dependenciesOf(manifest: unknown): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  if (typeof manifest !== 'object' || manifest === null) return result;
  for (const key of ['devDependencies', 'peerDependencies', 'dependencies']) {
    const section = (manifest as Record<string, unknown>)[key];
    if (typeof section !== 'object' || section === null) continue;
    for (const [name, version] of Object.entries(section as Record<string, unknown>)) {
      if (typeof version === 'string') result[name] = version;
    }
  }
  return result;
}
