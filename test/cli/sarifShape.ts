import * as assert from 'node:assert/strict';

/**
 * A structural check of the SARIF 2.1.0 fields Failpath writes and code-scanning consumers read: required
 * properties, their types, and cross-references (ruleIndex). Hand-written so the tests need no network.
 */

type Json = Record<string, unknown>;

const LEVELS = ['none', 'note', 'warning', 'error'];

function object(value: unknown, where: string): Json {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${where} must be an object`);
  return value as Json;
}

function array(value: unknown, where: string): unknown[] {
  assert.ok(Array.isArray(value), `${where} must be an array`);
  return value;
}

function string(value: unknown, where: string): string {
  assert.equal(typeof value, 'string', `${where} must be a string`);
  return value as string;
}

function integerAtLeast(value: unknown, minimum: number, where: string): number {
  assert.ok(Number.isInteger(value) && (value as number) >= minimum, `${where} must be an integer >= ${minimum}, got ${String(value)}`);
  return value as number;
}

function absoluteUri(value: unknown, where: string): void {
  const text = string(value, where);
  assert.doesNotThrow(() => new URL(text), `${where} must be an absolute URI, got ${text}`);
}

function message(value: unknown, where: string): void {
  string(object(value, where).text, `${where}.text`);
}

export interface SarifLog {
  version: string;
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; rules: { id: string; defaultConfiguration: { level: string }; properties: { category: string } }[] } };
  results: SarifResult[];
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
  fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { charOffset: number; charLength: number }; insertedContent: { text: string } }[] }[] }[];
}

/** Throws an assertion error naming the first field that is missing or of the wrong type. */
export function assertSarifShape(value: unknown): SarifLog {
  const log = object(value, 'log');
  assert.equal(log.version, '2.1.0', 'log.version');
  const runs = array(log.runs, 'runs');
  assert.equal(runs.length, 1, 'exactly one run');
  const run = object(runs[0], 'runs[0]');
  const driver = object(object(run.tool, 'tool').driver, 'tool.driver');
  string(driver.name, 'driver.name');
  string(driver.version, 'driver.version');
  absoluteUri(driver.informationUri, 'driver.informationUri');
  const rules = array(driver.rules, 'driver.rules');
  const ruleIds = rules.map((entry, index) => {
    const rule = object(entry, `rules[${index}]`);
    message(rule.shortDescription, `rules[${index}].shortDescription`);
    message(rule.fullDescription, `rules[${index}].fullDescription`);
    absoluteUri(rule.helpUri, `rules[${index}].helpUri`);
    assert.ok(LEVELS.includes(string(object(rule.defaultConfiguration, 'defaultConfiguration').level, 'level')), `rules[${index}] level`);
    string(object(rule.properties, `rules[${index}].properties`).category, `rules[${index}].properties.category`);
    return string(rule.id, `rules[${index}].id`);
  });
  assert.equal(new Set(ruleIds).size, ruleIds.length, 'rule ids are unique');
  array(run.results, 'results').forEach((entry, index) => assertResult(object(entry, `results[${index}]`), `results[${index}]`, ruleIds));
  return value as SarifLog;
}

function assertResult(result: Json, where: string, ruleIds: readonly string[]): void {
  const ruleId = string(result.ruleId, `${where}.ruleId`);
  const ruleIndex = integerAtLeast(result.ruleIndex, 0, `${where}.ruleIndex`);
  assert.equal(ruleIds[ruleIndex], ruleId, `${where}.ruleIndex points at its rule`);
  assert.ok(LEVELS.includes(string(result.level, `${where}.level`)), `${where}.level`);
  message(result.message, `${where}.message`);
  const locations = array(result.locations, `${where}.locations`);
  assert.ok(locations.length > 0, `${where} has a location`);
  locations.forEach((entry, index) => {
    const physical = object(object(entry, `${where}.locations[${index}]`).physicalLocation, 'physicalLocation');
    assertArtifactLocation(physical.artifactLocation, `${where}.locations[${index}]`);
    const region = object(physical.region, 'region');
    const startLine = integerAtLeast(region.startLine, 1, 'startLine');
    integerAtLeast(region.startColumn, 1, 'startColumn');
    integerAtLeast(region.endLine, startLine, 'endLine');
    integerAtLeast(region.endColumn, 1, 'endColumn');
  });
  if (result.fixes === undefined) return;
  array(result.fixes, `${where}.fixes`).forEach((entry, index) => {
    const fix = object(entry, `${where}.fixes[${index}]`);
    message(fix.description, 'fix.description');
    array(fix.artifactChanges, 'artifactChanges').forEach((changeEntry) => {
      const change = object(changeEntry, 'artifactChange');
      assertArtifactLocation(change.artifactLocation, 'artifactChange');
      array(change.replacements, 'replacements').forEach((replacementEntry) => {
        const replacement = object(replacementEntry, 'replacement');
        const deleted = object(replacement.deletedRegion, 'deletedRegion');
        integerAtLeast(deleted.charOffset, 0, 'charOffset');
        integerAtLeast(deleted.charLength, 0, 'charLength');
        string(object(replacement.insertedContent, 'insertedContent').text, 'insertedContent.text');
      });
    });
  });
}

function assertArtifactLocation(value: unknown, where: string): void {
  const location = object(value, `${where}.artifactLocation`);
  const uri = string(location.uri, `${where}.artifactLocation.uri`);
  if (location.uriBaseId === undefined) absoluteUri(uri, `${where}.artifactLocation.uri`);
  else assert.ok(!/^[a-z]+:/i.test(uri) && !uri.startsWith('/'), `${where}: a uri with a uriBaseId is relative, got ${uri}`);
}
