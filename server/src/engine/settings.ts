import type { SeveritySetting } from './types';
import type { ExternalKind } from './knowledge';

export type LoggerStyle = 'pino' | 'winston' | 'console-json';

export interface LoggerSetting {
  /** Module the fix imports the logger from when the file has none, e.g. `pino` or `./logger`. */
  module: string;
  /** Local name of the logger binding. */
  name: string;
  style: LoggerStyle;
}

export interface FailpathSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  rules: Record<string, SeveritySetting>;
  timeoutMs: number;
  logger: LoggerSetting;
  externalModules: Record<string, ExternalKind>;
  maxFileSize: number;
  /** Expiry, in seconds, that cache-without-ttl's fix writes. */
  cacheTtlSeconds: number;
  /** The project's own retry helper, imported by retry-without-backoff's fix instead of inserting one. */
  retryHelper?: RetryHelperSetting;
  /** Project modules that rate-limit an HTTP app (a hand-written middleware), read by missing-rate-limit. */
  rateLimiters: string[];
}

export interface RetryHelperSetting {
  /** Module specifier the fix imports from, written as given (a package name or a path alias). */
  module: string;
  /** Named export called as `name(fn, { attempts, baseMs, maxMs })`. */
  name: string;
}

export function defaultSettings(): FailpathSettings {
  return {
    enable: true,
    run: 'onType',
    rules: Object.create(null) as Record<string, SeveritySetting>,
    timeoutMs: 10000,
    logger: { module: 'pino', name: 'logger', style: 'pino' },
    externalModules: Object.create(null) as Record<string, ExternalKind>,
    maxFileSize: 1_000_000,
    cacheTtlSeconds: 3600,
    rateLimiters: [],
  };
}

const SEVERITIES: readonly string[] = ['off', 'info', 'warning', 'error'];
const KINDS: readonly string[] = ['http', 'db', 'cache', 'queue', 'payment', 'sdk'];
const LOGGER_STYLES: readonly string[] = ['pino', 'winston', 'console-json'];

export interface NormalizedSettings {
  settings: FailpathSettings;
  /** One line per value that was ignored, saying which default replaced it. */
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownEntries(value: Record<string, unknown>): [string, unknown][] {
  return Object.keys(value)
    .filter((key) => key !== '__proto__' && key !== 'constructor' && key !== 'prototype')
    .map((key) => [key, value[key]]);
}

/**
 * Validates raw settings (from the editor, a config file or the command line) field by field.
 * Unknown or ill-typed values are reported and replaced by the value in `base`; nothing throws.
 */
export function normalizeSettings(raw: unknown, base: FailpathSettings = defaultSettings()): NormalizedSettings {
  const settings: FailpathSettings = {
    ...base,
    rules: Object.assign(Object.create(null) as Record<string, SeveritySetting>, base.rules),
    logger: { ...base.logger },
    externalModules: Object.assign(Object.create(null) as Record<string, ExternalKind>, base.externalModules),
    rateLimiters: [...base.rateLimiters],
  };
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isRecord(raw)) {
    problems.push(`settings must be an object, got ${typeof raw}; using defaults`);
    return { settings, problems };
  }
  const bad = (key: string, expected: string): void => {
    problems.push(`failpath.${key}: expected ${expected}; using ${JSON.stringify(settingValue(base, key))}`);
  };
  for (const [key, value] of ownEntries(raw)) {
    if (value === undefined) continue;
    switch (key) {
      case 'enable':
        if (typeof value === 'boolean') settings.enable = value;
        else bad(key, 'true or false');
        break;
      case 'run':
        if (value === 'onType' || value === 'onSave') settings.run = value;
        else bad(key, '"onType" or "onSave"');
        break;
      case 'timeoutMs':
        // At least 1: a fraction would round to 0, and AbortSignal.timeout(0) fails every call.
        if (typeof value === 'number' && Number.isFinite(value) && value >= 1) settings.timeoutMs = Math.round(value);
        else bad(key, 'a positive number of milliseconds');
        break;
      case 'maxFileSize':
        if (typeof value === 'number' && Number.isFinite(value) && value >= 1) settings.maxFileSize = Math.round(value);
        else bad(key, 'a positive number of bytes');
        break;
      case 'rules':
        normalizeRules(value, settings, problems);
        break;
      case 'logger':
        normalizeLogger(value, settings, problems);
        break;
      case 'externalModules':
        normalizeExternalModules(value, settings, problems);
        break;
      case 'cacheTtlSeconds':
        if (typeof value === 'number' && Number.isFinite(value) && value >= 1) settings.cacheTtlSeconds = Math.round(value);
        else bad(key, 'a positive number of seconds');
        break;
      case 'retryHelper':
        normalizeRetryHelper(value, settings, problems);
        break;
      case 'rateLimiters':
        if (Array.isArray(value) && value.every((entry) => typeof entry === 'string' && entry.trim() !== '')) {
          settings.rateLimiters = value.map((entry: string) => entry.trim());
        } else {
          bad(key, 'an array of module names');
        }
        break;
      default:
        problems.push(`failpath.${key}: unknown setting, ignored`);
    }
  }
  return { settings, problems };
}

function settingValue(settings: FailpathSettings, key: string): unknown {
  return (settings as unknown as Record<string, unknown>)[key];
}

function normalizeRules(value: unknown, settings: FailpathSettings, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push('failpath.rules: expected an object of rule id to "off" | "info" | "warning" | "error"; ignored');
    return;
  }
  for (const [ruleId, severity] of ownEntries(value)) {
    if (typeof severity === 'string' && SEVERITIES.includes(severity)) {
      settings.rules[ruleId] = severity as SeveritySetting;
    } else {
      problems.push(`failpath.rules.${ruleId}: expected "off", "info", "warning" or "error"; using the rule's default`);
    }
  }
}

function normalizeLogger(value: unknown, settings: FailpathSettings, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push('failpath.logger: expected an object { module, name, style }; using the default');
    return;
  }
  const { module: moduleName, name, style } = value;
  if (moduleName !== undefined) {
    if (typeof moduleName === 'string' && moduleName.trim() !== '') settings.logger.module = moduleName.trim();
    else problems.push('failpath.logger.module: expected a module name; using the default');
  }
  if (name !== undefined) {
    if (typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name)) settings.logger.name = name;
    else problems.push('failpath.logger.name: expected an identifier; using the default');
  }
  if (style !== undefined) {
    if (typeof style === 'string' && LOGGER_STYLES.includes(style)) settings.logger.style = style as LoggerSetting['style'];
    else problems.push('failpath.logger.style: expected "pino", "winston" or "console-json"; using the default');
  }
}

function normalizeExternalModules(value: unknown, settings: FailpathSettings, problems: string[]): void {
  if (!isRecord(value)) {
    problems.push('failpath.externalModules: expected an object of module name to kind; ignored');
    return;
  }
  for (const [moduleName, kind] of ownEntries(value)) {
    if (typeof kind === 'string' && KINDS.includes(kind)) settings.externalModules[moduleName] = kind as ExternalKind;
    else problems.push(`failpath.externalModules.${moduleName}: expected one of ${KINDS.join(', ')}; ignored`);
  }
}

function normalizeRetryHelper(value: unknown, settings: FailpathSettings, problems: string[]): void {
  if (value === null) {
    settings.retryHelper = undefined;
    return;
  }
  const moduleName = isRecord(value) ? value.module : undefined;
  const name = isRecord(value) ? value.name : undefined;
  if (typeof moduleName === 'string' && moduleName.trim() !== '' && typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name)) {
    settings.retryHelper = { module: moduleName.trim(), name };
  } else {
    problems.push('failpath.retryHelper: expected { module, name } with a module specifier and an identifier; ignored');
  }
}
