/**
 * Runs the tasks for one key one after another within this process; different keys run in
 * parallel. A key's entry is dropped as soon as its queue drains, so memory follows the work in
 * flight, not the number of keys ever seen.
 */
export class KeyedQueue {
  /** The tail of each key's queue. */
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }
}
