// The CLI end to end: `node dist/cli.js <dir>` as a user runs it, wall-clock including start-up, on one worker
// and on the default worker count. The JSON report tells which files it analyzed, so files/s and lines/s count
// exactly what it did.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { lineCount, median } from './stats.mjs';

function runCliOnce(cli, dir, workers, reportFile) {
  const args = [cli, dir, '--format', 'json', '--output', reportFile, '--fail-on', 'never'];
  if (workers !== undefined) args.push('--workers', String(workers));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`failpath exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve(ms);
    });
  });
}

/** Files the run analyzed (not skipped) and their lines, from the JSON report. */
function analyzedVolume(reportFile) {
  const results = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  let files = 0;
  let lines = 0;
  let findings = 0;
  for (const result of results) {
    if (result.skipped !== undefined) continue;
    files++;
    lines += lineCount(fs.readFileSync(result.filePath, 'utf8'));
    findings += result.findings.length;
  }
  return { files, lines, findings, reportText: fs.readFileSync(reportFile, 'utf8') };
}

/**
 * Median wall-clock of `repetitions` runs with `--workers 1` and with the default worker count (no flag),
 * alternating the two; also checks that both reports are identical.
 */
export async function measureCli(cli, dir, { repetitions = 3 } = {}) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-bench-report-'));
  try {
    const one = path.join(scratch, 'one.json');
    const auto = path.join(scratch, 'auto.json');
    const oneMs = [];
    const autoMs = [];
    for (let round = 0; round < repetitions; round++) {
      oneMs.push(await runCliOnce(cli, dir, 1, one));
      autoMs.push(await runCliOnce(cli, dir, undefined, auto));
    }
    const volume = analyzedVolume(one);
    const sameOutput = volume.reportText === fs.readFileSync(auto, 'utf8');
    return { ...volume, reportText: undefined, oneWorkerMs: median(oneMs), defaultWorkersMs: median(autoMs), sameOutput, repetitions };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
