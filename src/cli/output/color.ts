/** Decide whether to colour output: --no-color, NO_COLOR, FORCE_COLOR, and whether stdout is a terminal. */

export interface ColorInputs {
  flag: boolean | undefined;
  env: Record<string, string | undefined>;
  isTTY: boolean;
}

/** True when output should be coloured (flag > NO_COLOR > FORCE_COLOR > terminal). */
export function wantColor({ flag, env, isTTY }: ColorInputs): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY && env.TERM !== 'dumb';
}
