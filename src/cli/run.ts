/** Process entry: real stdio, signals, exit status. Everything else is in main.ts. */
import { ExitCode } from '../errors.js';
import { commandOf, main } from './main.js';

/** Commands that download, and so get the download V8 tuning. */
const DOWNLOADING = new Set(['get', 'lock', 'cache', 'doctor']);

/** Run the CLI on process.argv and set the exit status. */
export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  // Process-wide V8 flags for lean downloads belong to the process owner, not the library; commands
  // that never download skip loading them (node:v8 costs start-up time).
  const command = commandOf(argv);
  if (command === undefined || DOWNLOADING.has(command)) (await import('../fetch/v8-tuning.js')).tuneV8();
  const onSignal = (): void => {
    process.stderr.write('\ninterrupted\n');
    // Partial downloads stay resumable; temp files are cleaned by `finally` blocks or the next run.
    process.exit(ExitCode.interrupted);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A closed pipe (`openmedlab list | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const code = await main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
