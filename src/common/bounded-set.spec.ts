import { BoundedSet } from './bounded-set';

describe('BoundedSet', () => {
  it('keeps the newest members up to its capacity, evicting the oldest first', () => {
    const set = new BoundedSet<string>(3);
    for (const id of ['a', 'b', 'c', 'd']) set.add(id);
    expect(set.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((id) => set.has(id))).toEqual([false, true, true, true]);
  });

  it('adding a member again makes it the newest', () => {
    const set = new BoundedSet<string>(2);
    set.add('a');
    set.add('b');
    set.add('a');
    set.add('c');
    expect([set.has('a'), set.has('b'), set.has('c')]).toEqual([true, false, true]);
  });
});
