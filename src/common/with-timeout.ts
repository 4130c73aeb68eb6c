/**
 * `work`, or the error of `onTimeout` once `ms` have passed without an answer. The work itself goes
 * on (the Clerk SDK and the driver take no abort signal); only the caller stops waiting for it.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
