import { run, EXIT_ERROR } from './run';

/** Entry point of the `failpath` command (bundled to dist/cli.js). */
let code: number;
try {
  code = run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  process.stderr.write(`failpath: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.argv.includes('--debug') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  code = EXIT_ERROR;
}
process.exitCode = code;
