/** The top-level error handler: known errors print message + hint; unknown ones ask for a bug report. */
import { ExitCode, isOmlError } from '../errors.js';
import type { CliIO } from './runtime.js';

export interface ReportOptions {
  io: CliIO;
  json: boolean;
  verbose: boolean;
}

/** Print an error to stderr the way the user asked for, and return the exit status. */
export function reportError(error: unknown, { io, json, verbose }: ReportOptions): number {
  if (isOmlError(error)) {
    if (json) io.stderr.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
    else {
      io.stderr.write(`error: ${error.message}\n`);
      const problems = error.details.problems;
      if (Array.isArray(problems) && problems.length > 1 && verbose)
        io.stderr.write(`  (${problems.length} problems)\n`);
      if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
    }
    if (verbose && error.cause instanceof Error)
      io.stderr.write(`cause: ${error.cause.stack ?? error.cause.message}\n`);
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  if (json)
    io.stderr.write(
      `${JSON.stringify({ error: { code: 'E_INTERNAL', exitCode: ExitCode.internal, message: err.message } })}\n`,
    );
  else {
    io.stderr.write(`error: internal error: ${err.message}\n`);
    if (verbose) io.stderr.write(`${err.stack ?? ''}\n`);
    else io.stderr.write('hint: run again with --verbose for the stack trace\n');
    io.stderr.write(
      'This is a bug in openmedlab; please report it with the command you ran and the output of --verbose.\n',
    );
  }
  return ExitCode.internal;
}
