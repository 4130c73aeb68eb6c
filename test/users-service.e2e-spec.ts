import { toClerkUserSnapshot } from '../src/clerk/clerk-user.schema';
import { WRITERS_KEPT } from '../src/sync/clerk-object.repository';
import { UsersRepository } from '../src/users/users.repository';
import { startTestApp, TestApp } from './support/app';
import { clerkUser, newUserId } from './support/webhooks';

/**
 * The rule's writes to users under real concurrency, with no HTTP in between to spread the
 * writes out: this is where a non-atomic read-modify-write would lose updates.
 */
let t: TestApp;
let users: UsersRepository;

beforeAll(async () => {
  t = await startTestApp('users-service');
  users = t.app.get(UsersRepository);
});
afterAll(async () => {
  await t?.close();
});

const version = (id: string, index: number) =>
  toClerkUserSnapshot(clerkUser({ id, firstName: `Version ${index}`, updatedAt: 1_700_000_000_000 + index }));

it('20 concurrent versions of one user: the newest is stored, each outcome accounted for', async () => {
  const id = newUserId();
  const order = Array.from({ length: 20 }, (_, index) => index).sort(() => Math.random() - 0.5);
  const results = await Promise.all(order.map((index) => users.syncVersion(version(id, index), `src_${index}`)));
  expect(await users.findById(id)).toMatchObject({
    firstName: 'Version 19',
    clerkUpdatedAt: 1_700_000_000_019,
    writtenBy: 'src_19',
  });
  expect(results.filter((result) => result.found === 'nothing')).toHaveLength(1);
  expect(results.every((result) => ['applied', 'stale'].includes(result.outcome))).toBe(true);
});

it('colour changes and Clerk updates racing on one user lose neither', async () => {
  const id = newUserId();
  await users.syncVersion(version(id, 0), 'seed');
  await Promise.all([
    ...Array.from({ length: 10 }, (_, index) => users.syncVersion(version(id, index + 1), `src_${index}`)),
    users.setFavoriteColor(id, 'BLUE'),
  ]);
  expect(await users.findById(id)).toMatchObject({ firstName: 'Version 10', favoriteColor: 'BLUE' });
});

it('the same version twice is stale and names who wrote it', async () => {
  const id = newUserId();
  expect(await users.syncVersion(version(id, 1), 'first')).toEqual({ outcome: 'applied', found: 'nothing' });
  expect(await users.syncVersion(version(id, 1), 'second')).toEqual({
    outcome: 'stale',
    found: 'live',
    writers: ['first'],
  });
  expect(await users.syncVersion(version(id, 0), 'third')).toEqual({
    outcome: 'stale',
    found: 'live',
    writers: ['first'],
  });
});

it(`keeps the last ${WRITERS_KEPT} writers that changed the user, oldest first`, async () => {
  const id = newUserId();
  const writers = Array.from({ length: WRITERS_KEPT + 4 }, (_, index) => `msg_${index}`);
  for (const [index, writer] of writers.entries()) await users.syncVersion(version(id, index), writer);
  expect(await users.syncVersion(version(id, 0), 'late')).toEqual({
    outcome: 'stale',
    found: 'live',
    writers: writers.slice(4),
  });
  expect(await users.tombstone(id, 'msg_deleted')).toEqual({ outcome: 'applied', found: 'live' });
  expect(await users.tombstone(id, 'again')).toEqual({
    outcome: 'stale',
    found: 'tombstone',
    writers: [...writers.slice(5), 'msg_deleted'],
  });
});

it('a tombstone refuses new versions and colour changes', async () => {
  const id = newUserId();
  await users.syncVersion(version(id, 1), 'created');
  expect(await users.tombstone(id, 'deleted')).toEqual({ outcome: 'applied', found: 'live' });
  expect((await users.syncVersion(version(id, 2), 'late')).found).toBe('tombstone');
  expect(await users.setFavoriteColor(id, 'RED')).toBeNull();
  expect(await users.tombstone(id, 'again')).toEqual({
    outcome: 'stale',
    found: 'tombstone',
    writers: ['created', 'deleted'],
  });
});

it('keeps the schema timestamps: createdAt at the first write, updatedAt at each change', async () => {
  const id = newUserId();
  await users.syncVersion(version(id, 1), 'first');
  const created = (await users.findById(id))!;
  expect(created.createdAt).toBeInstanceOf(Date);
  expect(created.updatedAt).toEqual(created.createdAt);
  // A read for serving leaves the bookkeeping and the private metadata in the database.
  expect(created).not.toHaveProperty('writers');
  expect(created).not.toHaveProperty('privateMetadataJson');
  await new Promise((done) => setTimeout(done, 5));
  await users.syncVersion(version(id, 2), 'second');
  const updated = (await users.findById(id))!;
  expect(updated.createdAt).toEqual(created.createdAt);
  expect(updated.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
  await users.tombstone(id, 'deleted');
  expect((await users.findById(id))!.updatedAt.getTime()).toBeGreaterThan(updated.updatedAt.getTime());
});
