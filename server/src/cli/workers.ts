import { availableParallelism } from 'node:os';
import { Worker, parentPort } from 'node:worker_threads';
import type { FailpathSettings } from '../engine';
import { FileJobRunner, errorMessage, type FileJobSettings } from './fileJob';
import type { SourceFile } from './files';
import type { FileReport } from './report';
import type { FileSummary } from '../workspace/summary';
import type { AnalysisPlan } from './analysisOrder';

/**
 * Analysis of many files on worker threads. The CLI bundle starts itself as the worker script, so there is one
 * file to ship. Files go out in small batches to whichever worker is free; each report comes back with its index,
 * so the result is in the input order whatever the timing.
 */

/**
 * Below this many files, starting workers costs more than it saves: each loads the 10 MB bundle and warms up its own
 * JIT, and with the cross-file index each re-reads files the other one analyzes. Measured on 2 cores (copies of the
 * benchmark corpus): 3,000 files 4.6 s on 1 thread vs 5.0 s on 2, 6,000 files 8.2 vs 7.8 s, 13,400 files 15.7 vs 13.3 s.
 */
export const WORKER_THRESHOLD_FILES = 4000;
export const MAX_DEFAULT_WORKERS = 4;
const MIN_BATCH_SIZE = 8;
const MAX_BATCH_SIZE = 256;
/** Batches queued per worker, so a worker never waits for the main thread between two batches. */
const BATCHES_IN_FLIGHT = 2;

export function defaultWorkerCount(fileCount: number, cores: number = availableParallelism()): number {
  return fileCount > WORKER_THRESHOLD_FILES ? Math.max(1, Math.min(cores, MAX_DEFAULT_WORKERS)) : 1;
}

interface WorkerInput {
  failpathCliWorker: true;
  job: FileJobSettings;
}

interface Batch {
  /** Where each file stands in the run's list of files. */
  positions: number[];
  files: SourceFile[];
  /** Whether another reviewed file imports each (see AnalysisPlan). */
  imported: boolean[];
  /** In a worker's first batch: the files that name a logger module (see AnalysisPlan). */
  loggerFiles?: string[];
  /** Summaries the other workers' growing indexes made since this worker's last batch. */
  summaries: FileSummary[];
}

type WorkerReply = { positions: number[]; reports: FileReport[]; summaries: FileSummary[]; filesReadAhead: number } | { error: string };

export interface WorkerResults {
  /** In the order of the files given. */
  reports: FileReport[];
  /** Files the growing indexes read ahead of their analysis (see GrowingIndex). */
  filesReadAhead: number;
}

export function isCliWorkerInput(data: unknown): data is WorkerInput {
  return typeof data === 'object' && data !== null && (data as Partial<WorkerInput>).failpathCliWorker === true;
}

/**
 * Runs `files` on up to `count` workers started from `script`, handed out in the order `plan` gives (positions in
 * `files`; path order by default), asked for once the workers are starting; the reports are in the order of `files`.
 * With a growing index, the summaries each worker makes are passed on to the others with their next batch, so that a
 * file is seldom parsed twice.
 */
export function analyzeInWorkers(
  files: readonly SourceFile[], job: FileJobSettings, count: number, script: string,
  plan?: () => AnalysisPlan,
): Promise<WorkerResults> {
  const reports = new Array<FileReport>(files.length);
  let filesReadAhead = 0;
  const shared: { summary: FileSummary; from: number }[] = [];
  const sharedUpTo: number[] = [];
  const workers: Worker[] = [];
  return new Promise<WorkerResults>((resolve, reject) => {
    let segments: Segment[] = [];
    let planned: AnalysisPlan | undefined;
    const fed = new Set<number>();
    let pending = files.length;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      void Promise.all(workers.map((worker) => worker.terminate())).then(() => (error ? reject(error) : resolve({ reports, filesReadAhead })));
    };
    const feed = (workerIndex: number): void => {
      if (!planned) return;
      const positions = nextBatch(planned.order, segments, workerIndex);
      if (positions.length === 0) return;
      // Without a plan there is no scan to pass on: each worker looks for the logger files itself.
      const loggerFiles = plan && !fed.has(workerIndex) ? planned.loggerFiles : undefined;
      fed.add(workerIndex);
      const summaries = shared.slice(sharedUpTo[workerIndex]).filter((entry) => entry.from !== workerIndex).map((entry) => entry.summary);
      sharedUpTo[workerIndex] = shared.length;
      const imported = positions.map((position) => planned?.imported[position] ?? true);
      workers[workerIndex].postMessage({ positions, files: positions.map((position) => files[position]), imported, loggerFiles, summaries } satisfies Batch);
    };
    if (pending === 0) {
      resolve({ reports, filesReadAhead });
      return;
    }
    const workerCount = Math.max(1, Math.min(count, Math.ceil(files.length / (MIN_BATCH_SIZE * BATCHES_IN_FLIGHT))));
    for (let workerIndex = 0; workerIndex < workerCount; workerIndex++) {
      const input: WorkerInput = { failpathCliWorker: true, job };
      const worker = new Worker(script, { workerData: input });
      workers.push(worker);
      sharedUpTo.push(0);
      worker.on('message', (reply: WorkerReply) => {
        if ('error' in reply) {
          finish(new Error(reply.error));
          return;
        }
        reply.reports.forEach((report, offset) => { reports[reply.positions[offset]] = report; });
        for (const summary of reply.summaries) shared.push({ summary, from: workerIndex });
        filesReadAhead += reply.filesReadAhead;
        pending -= reply.positions.length;
        if (pending === 0) finish();
        else feed(workerIndex);
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`a worker thread stopped (exit code ${code}) before the analysis finished`));
      });
    }
    // The workers load and warm up on their own threads meanwhile.
    try {
      planned = plan?.() ?? { order: [...files.keys()], imported: files.map(() => true), loggerFiles: [] };
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    segments = splitIntoSegments(planned.order.length, workerCount);
    for (let workerIndex = 0; workerIndex < workerCount; workerIndex++) {
      for (let queued = 0; queued < BATCHES_IN_FLIGHT; queued++) feed(workerIndex);
    }
  });
}

/** A contiguous part of the analysis order, `[start, end)`, first handed out to one worker. */
interface Segment {
  start: number;
  end: number;
}

/**
 * Each worker first takes its own contiguous part of the dependency order, front to back, so that the files a file
 * imports were mostly analyzed by the same worker (or shared by the other one long before). A worker done with its
 * part takes batches from the back of the largest part left, whose front that part's worker has done already.
 */
function splitIntoSegments(length: number, workerCount: number): Segment[] {
  const segments: Segment[] = [];
  for (let index = 0; index < workerCount; index++) {
    segments.push({ start: Math.floor((length * index) / workerCount), end: Math.floor((length * (index + 1)) / workerCount) });
  }
  return segments;
}

function nextBatch(order: readonly number[], segments: Segment[], workerIndex: number): number[] {
  const remaining = segments.reduce((sum, segment) => sum + segment.end - segment.start, 0);
  const size = batchSize(remaining, segments.length);
  const own = segments[workerIndex];
  if (own.start < own.end) {
    const taken = order.slice(own.start, Math.min(own.end, own.start + size));
    own.start += taken.length;
    return taken;
  }
  const largest = segments.reduce((best, segment) => (segment.end - segment.start > best.end - best.start ? segment : best));
  const from = Math.max(largest.start, largest.end - size);
  const taken = order.slice(from, largest.end);
  largest.end = from;
  return taken;
}

/** Large batches while much is left, small ones at the end, so that the workers finish at about the same time. */
function batchSize(remaining: number, workerCount: number): number {
  return Math.max(MIN_BATCH_SIZE, Math.min(MAX_BATCH_SIZE, Math.ceil(remaining / (workerCount * 4))));
}

/** The worker's side: analyze each batch that arrives and send the reports back. */
export function serveAsWorker(input: WorkerInput): void {
  const port = parentPort;
  if (!port) throw new Error('serveAsWorker must run on a worker thread');
  const runner = new FileJobRunner({ ...input.job, settings: withDictionaries(input.job.settings) });
  port.on('message', (batch: Batch) => {
    let reply: WorkerReply;
    try {
      if (batch.loggerFiles) runner.setLoggerFiles(batch.loggerFiles);
      runner.addSharedSummaries(batch.summaries);
      const readBefore = runner.filesReadAhead;
      const reports = batch.files.map((file, offset) => runner.run(file, batch.imported[offset]));
      reply = { positions: batch.positions, reports, summaries: runner.takeNewSummaries(), filesReadAhead: runner.filesReadAhead - readBefore };
    } catch (error) {
      reply = { error: `worker failed on a file of ${batch.files.map((file) => file.path).join(', ')}: ${errorMessage(error)}` };
    }
    port.postMessage(reply);
  });
}

/** Structured cloning gives maps keyed by user strings a prototype again; restore the prototype-free maps. */
function withDictionaries(settings: FailpathSettings): FailpathSettings {
  return {
    ...settings,
    rules: Object.assign(Object.create(null) as FailpathSettings['rules'], settings.rules),
    externalModules: Object.assign(Object.create(null) as FailpathSettings['externalModules'], settings.externalModules),
  };
}
