/** A tiny concurrency limiter (p-limit's idea): at most `n` tasks run at once, in call order. */

/** Run async tasks with at most `n` in flight. */
export function createLimiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    active--;
    queue.shift()?.();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        active++;
        task().then(resolve, reject).finally(next);
      };
      if (active < Math.max(1, n)) run();
      else queue.push(run);
    });
}
