/** Located registry problems and how they print. Kept free of the YAML parser, so printing costs nothing at start-up. */

/** One located problem. */
export interface RegistryProblem {
  file: string;
  line: number;
  column: number;
  /** Dot-path such as projects[4].checkpoints[0].sources[1].host ('' for the document). */
  path: string;
  message: string;
}

/** Format a path like projects[4].checkpoints[0].host. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg),
    '',
  );
}

/** Render a problem as `file:line:col: path: message`. */
export function formatProblem(problem: RegistryProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}
