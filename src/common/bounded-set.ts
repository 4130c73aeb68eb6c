/** A set that keeps only its newest `capacity` members: the oldest is evicted first. */
export class BoundedSet<T> {
  private readonly members = new Set<T>();

  constructor(private readonly capacity: number) {}

  has(value: T): boolean {
    return this.members.has(value);
  }

  add(value: T): void {
    this.members.delete(value);
    this.members.add(value);
    if (this.members.size > this.capacity) this.members.delete(this.members.values().next().value as T);
  }

  get size(): number {
    return this.members.size;
  }
}
