import { isMainThread, workerData } from 'node:worker_threads';
import { run, EXIT_ERROR } from './run';
import { isCliWorkerInput, serveAsWorker } from './workers';

/** Entry point of the `failpath` command (bundled to dist/cli.js); the same file serves as its worker threads. */
if (!isMainThread && isCliWorkerInput(workerData)) {
  serveAsWorker(workerData);
} else {
  void main();
}

async function main(): Promise<void> {
  let code: number;
  try {
    code = await run(process.argv.slice(2), {
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      workerScript: __filename,
    });
  } catch (error) {
    process.stderr.write(`failpath: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.argv.includes('--debug') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    code = EXIT_ERROR;
  }
  process.exitCode = code;
}
