import * as path from 'node:path';
import { ALL_RULES, defaultSettings, normalizeSettings, type FailpathSettings } from '../engine';
import { readConfigFile, readProjectConfig } from '../host/projectConfig';
import type { CliOptions } from './args';

/** Settings for a run: defaults ← project config ← `--rule` flags. */

export interface ResolvedSettings {
  settings: FailpathSettings;
  /** One line each, for stderr: values that were ignored and config files that could not be used. */
  warnings: string[];
}

/** A config file named with --config that cannot be used: exit 2. */
export class ConfigError extends Error {}

export function resolveSettings(options: Pick<CliOptions, 'config' | 'rules'>, cwd: string): ResolvedSettings {
  const warnings: string[] = [];
  const config = options.config ? readConfigFile(path.resolve(cwd, options.config)) : readProjectConfig(cwd);
  if (config.error) {
    if (options.config) throw new ConfigError(`cannot use config file: ${config.error}`);
    warnings.push(`ignoring ${config.source ?? 'config file'} (${config.error}); using defaults`);
  }
  const fromConfig = normalizeSettings(config.error ? undefined : config.raw, defaultSettings());
  warnings.push(...fromConfig.problems.map((problem) => withSource(problem, config.source)));

  const rules = Object.create(null) as Record<string, string>;
  for (const { ruleId, severity } of options.rules) {
    if (!ALL_RULES.some((rule) => rule.meta.id === ruleId)) warnings.push(`--rule ${ruleId}: no such rule (known: ${knownRuleIds()})`);
    rules[ruleId] = severity;
  }
  const fromFlags = normalizeSettings(options.rules.length > 0 ? { rules } : undefined, fromConfig.settings);
  warnings.push(...fromFlags.problems.map((problem) => problem.replace(/^failpath\.rules\./, '--rule ')));
  return { settings: fromFlags.settings, warnings };
}

function withSource(problem: string, source: string | undefined): string {
  return source ? `${source}: ${problem}` : problem;
}

function knownRuleIds(): string {
  return ALL_RULES.map((rule) => rule.meta.id).join(', ');
}
