import { availableParallelism } from 'node:os';
import { Worker, parentPort } from 'node:worker_threads';
import type { FailpathSettings } from '../engine';
import { FileJobRunner, errorMessage, type FileJobSettings } from './fileJob';
import type { SourceFile } from './files';
import type { FileReport } from './report';

/**
 * Analysis of many files on worker threads. The CLI bundle starts itself as the worker script, so there is one
 * file to ship. Files go out in small batches to whichever worker is free; each report comes back with its index,
 * so the result is in the input order whatever the timing.
 */

/** Below this many files, starting workers (each loads the compiler) costs more than it saves. */
export const WORKER_THRESHOLD_FILES = 200;
export const MAX_DEFAULT_WORKERS = 4;
const BATCH_SIZE = 8;
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
  first: number;
  files: SourceFile[];
}

type WorkerReply = { first: number; reports: FileReport[]; filesReadAhead: number } | { error: string };

export interface WorkerResults {
  /** In the order of the files given. */
  reports: FileReport[];
  /** Files the growing indexes read ahead of their analysis (see GrowingIndex). */
  filesReadAhead: number;
}

export function isCliWorkerInput(data: unknown): data is WorkerInput {
  return typeof data === 'object' && data !== null && (data as Partial<WorkerInput>).failpathCliWorker === true;
}

/** Runs `files` on up to `count` workers started from `script`; the reports are in the order of `files`. */
export function analyzeInWorkers(files: readonly SourceFile[], job: FileJobSettings, count: number, script: string): Promise<WorkerResults> {
  const batches = toBatches(files);
  const reports = new Array<FileReport>(files.length);
  let filesReadAhead = 0;
  const workers: Worker[] = [];
  return new Promise<WorkerResults>((resolve, reject) => {
    let next = 0;
    let pending = batches.length;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      void Promise.all(workers.map((worker) => worker.terminate())).then(() => (error ? reject(error) : resolve({ reports, filesReadAhead })));
    };
    const feed = (worker: Worker): void => {
      if (next < batches.length) worker.postMessage(batches[next++]);
    };
    if (pending === 0) {
      resolve({ reports, filesReadAhead });
      return;
    }
    const workerCount = Math.max(1, Math.min(count, Math.ceil(batches.length / BATCHES_IN_FLIGHT)));
    for (let index = 0; index < workerCount; index++) {
      const input: WorkerInput = { failpathCliWorker: true, job };
      const worker = new Worker(script, { workerData: input });
      workers.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if ('error' in reply) {
          finish(new Error(reply.error));
          return;
        }
        reply.reports.forEach((report, offset) => { reports[reply.first + offset] = report; });
        filesReadAhead += reply.filesReadAhead;
        if (--pending === 0) finish();
        else feed(worker);
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`a worker thread stopped (exit code ${code}) before the analysis finished`));
      });
      for (let queued = 0; queued < BATCHES_IN_FLIGHT; queued++) feed(worker);
    }
  });
}

function toBatches(files: readonly SourceFile[]): Batch[] {
  const batches: Batch[] = [];
  for (let first = 0; first < files.length; first += BATCH_SIZE) batches.push({ first, files: files.slice(first, first + BATCH_SIZE) });
  return batches;
}

/** The worker's side: analyze each batch that arrives and send the reports back. */
export function serveAsWorker(input: WorkerInput): void {
  const port = parentPort;
  if (!port) throw new Error('serveAsWorker must run on a worker thread');
  const runner = new FileJobRunner({ ...input.job, settings: withDictionaries(input.job.settings) });
  port.on('message', (batch: Batch) => {
    let reply: WorkerReply;
    try {
      const readBefore = runner.filesReadAhead;
      const reports = batch.files.map((file) => runner.run(file));
      reply = { first: batch.first, reports, filesReadAhead: runner.filesReadAhead - readBefore };
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
