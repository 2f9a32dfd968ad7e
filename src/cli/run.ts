/** Process entry: real stdio, signals, exit status. Everything else is in main.ts. */
import { ExitCode } from '../errors.js';
import { tuneV8 } from '../fetch/v8-tuning.js';
import { main } from './main.js';

/** Run the CLI on process.argv and set the exit status. */
export async function run(): Promise<void> {
  // Process-wide V8 flags for lean downloads belong to the process owner, not the library.
  tuneV8();
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
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
