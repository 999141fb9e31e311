/** Resolves with the promise's value, or undefined after `ms` (or if it rejects); never rejects. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    const done = (v: T | undefined): void => {
      clearTimeout(t);
      resolve(v);
    };
    p.then(done, () => done(undefined));
  });
}
