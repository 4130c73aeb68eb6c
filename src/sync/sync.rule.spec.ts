import { decideWrite, newerVersionFilter, StoredVersion } from './sync.rule';

const V = 1_700_000_000_000;
const live = (version?: number, writers = ['msg_a']): StoredVersion => ({
  _id: 'user_1',
  deletedAt: null,
  clerkUpdatedAt: version,
  writers,
});
const tombstone: StoredVersion = { _id: 'user_1', deletedAt: new Date(V), writers: ['msg_a', 'msg_b'] };

/** The rule's decision table: what is stored × what arrives → write, or why not. */
describe('newest version wins, deleted stays deleted', () => {
  it.each([
    // stored,                    incoming,      decision
    ['nothing', null, V, 'write'],
    ['live, older', live(V - 1), V, 'write'],
    ['live, same version', live(V), V, { outcome: 'stale', found: 'live', writers: ['msg_a'] }],
    ['live, newer', live(V + 1), V, { outcome: 'stale', found: 'live', writers: ['msg_a'] }],
    ['live, no version', live(undefined), V, { outcome: 'stale', found: 'live', writers: ['msg_a'] }],
    [
      'tombstone, incoming newer',
      tombstone,
      V + 10,
      { outcome: 'stale', found: 'tombstone', writers: ['msg_a', 'msg_b'] },
    ],
    [
      'tombstone, incoming older',
      tombstone,
      V - 10,
      { outcome: 'stale', found: 'tombstone', writers: ['msg_a', 'msg_b'] },
    ],
    ['live, same version, lacking a field kept since', { ...live(V), incomplete: true }, V, 'write'],
    [
      'live, newer, lacking a field kept since',
      { ...live(V + 1), incomplete: true },
      V,
      { outcome: 'stale', found: 'live', writers: ['msg_a'] },
    ],
    [
      'tombstone, lacking a field kept since',
      { ...tombstone, incomplete: true },
      V,
      { outcome: 'stale', found: 'tombstone', writers: ['msg_a', 'msg_b'] },
    ],
    ['nothing, deleted', null, 'tombstone', 'write'],
    ['live, deleted', live(V + 1), 'tombstone', 'write'],
    ['live without version, deleted', live(undefined), 'tombstone', 'write'],
    [
      'tombstone, deleted again',
      tombstone,
      'tombstone',
      { outcome: 'stale', found: 'tombstone', writers: ['msg_a', 'msg_b'] },
    ],
  ] as const)('%s', (_case, stored, incoming, decision) => {
    expect(decideWrite(stored, incoming)).toEqual(decision);
  });
});

describe('newerVersionFilter', () => {
  it('matches only older versions when no field is kept since', () => {
    expect(newerVersionFilter('x', V)).toEqual({ _id: 'x', deletedAt: null, clerkUpdatedAt: { $lt: V } });
  });

  it('also matches the same version lacking a field kept since', () => {
    expect(newerVersionFilter('x', V, ['permissions'])).toEqual({
      _id: 'x',
      deletedAt: null,
      $or: [{ clerkUpdatedAt: { $lt: V } }, { clerkUpdatedAt: V, $or: [{ permissions: { $exists: false } }] }],
    });
  });
});
