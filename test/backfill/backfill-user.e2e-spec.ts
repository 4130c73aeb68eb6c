import { BackfillBed } from '../support/backfill-bed';
import { dumpDatabase, storedUser, userCount } from '../support/database';
import { clerkUser, deletedEvent, newUserId, userEvent } from '../support/payloads';

/**
 * `npm run users:backfill -- --user user_…` (repeatable): an operator fixes one account now,
 * without a full run, by the same rules: created, updated, left alone, or tombstoned when Clerk
 * has no such user.
 */
jest.setTimeout(120_000);
const base = 1_700_000_000_000;
const inClerk = (firstName: string, i: number) =>
  clerkUser({ firstName, createdAt: base + i, updatedAt: base + 10_000 + i });
const fresh = inClerk('Fresh', 1); // in Clerk, not stored here
const older = inClerk('Newer in Clerk', 2); // stored at an older version
const same = inClerk('Same', 3); // stored at this version
const ahead = inClerk('Behind', 4); // stored at a newer version (a webhook was faster)
const deletedHere = inClerk('Deleted here', 5); // deleted here, still in Clerk
const goneFromClerk = clerkUser({ firstName: 'Gone', createdAt: base + 6 }); // stored live, Clerk has no such user
const nowhere = newUserId(); // in neither
const bystanders = Array.from({ length: 5 }, (_, i) => inClerk('Bystander', 10 + i));

const bed = BackfillBed.use('backfill-user', (clerk) => {
  for (const user of [fresh, older, same, ahead, deletedHere, ...bystanders]) clerk.putUser(user);
});
const { clerk, dbUri } = bed;
const ids = [fresh, older, same, ahead, deletedHere, goneFromClerk].map((user) => user.id).concat(nowhere);
const args = ids.flatMap((id) => ['--user', id]);

beforeAll(async () => {
  const applied = async (payload: unknown) => expect((await bed.webhook(payload)).body.outcome).toBe('applied');
  await applied(userEvent('user.created', { ...older, first_name: 'Old', updated_at: older.updated_at - 5_000 }));
  await applied(userEvent('user.created', same));
  await applied(userEvent('user.created', { ...ahead, first_name: 'Ahead', updated_at: ahead.updated_at + 5_000 }));
  await applied(userEvent('user.created', deletedHere));
  await applied(deletedEvent(deletedHere.id));
  await applied(userEvent('user.created', goneFromClerk));
});

it('--dry-run says what each would do, and writes nothing', async () => {
  const before = JSON.stringify(await dumpDatabase(dbUri));
  const result = await bed.backfill('--dry-run', ...args);
  expect(result.code).toBe(0);
  expect(result.stdout.trim().split('\n')).toEqual([
    `${fresh.id}: would be created`,
    `${older.id}: would be updated`,
    `${same.id}: unchanged: Clerk's version or a newer one is stored`,
    `${ahead.id}: unchanged: Clerk's version or a newer one is stored`,
    `${deletedHere.id}: skipped: deleted here, stays deleted`,
    `${goneFromClerk.id}: would be tombstoned: Clerk has no such user`,
    `${nowhere}: would be tombstoned: Clerk has no such user`,
    'Dry run done: 7 user(s); 4 would be written.',
  ]);
  expect(JSON.stringify(await dumpDatabase(dbUri))).toBe(before);
});

it('syncs just those users now by the same rules, with a lookup each and no listing', async () => {
  const [lookups, listings] = [clerk.calls.getUser, clerk.calls.listUsers];
  const result = await bed.backfill(...args);
  expect(result.code).toBe(0);
  expect(result.stdout.trim().split('\n')).toEqual([
    `${fresh.id}: created`,
    `${older.id}: updated`,
    `${same.id}: unchanged: Clerk's version or a newer one is stored`,
    `${ahead.id}: unchanged: Clerk's version or a newer one is stored`,
    `${deletedHere.id}: skipped: deleted here, stays deleted`,
    `${goneFromClerk.id}: tombstoned: Clerk has no such user`,
    // A tombstone for an id never stored, as for a user.deleted webhook: no late event brings it in.
    `${nowhere}: tombstoned: Clerk has no such user`,
    'Sync done: 7 user(s); 4 written.',
  ]);
  expect([clerk.calls.getUser - lookups, clerk.calls.listUsers - listings]).toEqual([7, 0]);

  expect(await storedUser(dbUri, fresh.id)).toMatchObject({
    firstName: 'Fresh',
    clerkUpdatedAt: fresh.updated_at,
    writtenBy: 'backfill',
    deletedAt: null,
  });
  expect(await storedUser(dbUri, older.id)).toMatchObject({ firstName: 'Newer in Clerk', writtenBy: 'backfill' });
  expect(await storedUser(dbUri, same.id)).toMatchObject({ firstName: 'Same', clerkUpdatedAt: same.updated_at });
  expect(await storedUser(dbUri, ahead.id)).toMatchObject({ firstName: 'Ahead' });
  const tombstone = { deletedAt: expect.any(Date) };
  expect(await storedUser(dbUri, deletedHere.id)).toMatchObject(tombstone);
  expect(await storedUser(dbUri, deletedHere.id)).not.toHaveProperty('firstName');
  expect(await storedUser(dbUri, goneFromClerk.id)).toMatchObject({ ...tombstone, writtenBy: 'reconcile' });
  expect(await storedUser(dbUri, goneFromClerk.id)).not.toHaveProperty('email');
  expect(await storedUser(dbUri, nowhere)).toMatchObject(tombstone);
  // The other users of Clerk were not touched.
  for (const bystander of bystanders) expect(await storedUser(dbUri, bystander.id)).toBeNull();
  expect(await userCount(dbUri)).toBe(7);
});

it('a second run changes nothing', async () => {
  const before = JSON.stringify(await dumpDatabase(dbUri));
  const result = await bed.backfill('--user', fresh.id, '--user', goneFromClerk.id);
  expect(result.stdout).toContain(`${fresh.id}: unchanged: Clerk's version or a newer one is stored`);
  expect(result.stdout).toContain(`${goneFromClerk.id}: already deleted here: Clerk has no such user`);
  expect(JSON.stringify(await dumpDatabase(dbUri))).toBe(before);
});

it('refuses an id that is not a Clerk user id, and --only or --page-size beside --user', async () => {
  const badId = await bed.backfill('--user', 'org_2abc');
  expect(badId.code).toBe(2);
  expect(badId.stderr).toContain('--user needs a Clerk user id (user_...), not "org_2abc"');
  const withOnly = await bed.backfill('--user', fresh.id, '--only', 'users');
  expect(withOnly.code).toBe(2);
  expect(withOnly.stderr).toContain('--user syncs just those users: it takes no --only or --page-size');
});

it('stops with exit code 1 and a clear message when Clerk cannot be reached', async () => {
  clerk.down = true;
  try {
    const result = await bed.backfill('--user', fresh.id);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Clerk's Backend API failed fetching ${fresh.id} (network error`);
  } finally {
    clerk.down = false;
  }
});
