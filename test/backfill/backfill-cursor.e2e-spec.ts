import { createClerkClient } from '@clerk/backend';
import { BackfillBed } from '../support/backfill-bed';
import { storedUser, userCount } from '../support/database';
import { clerkMembership, clerkOrganization, clerkUser } from '../support/payloads';

/**
 * Users are listed by Clerk's `starting_after` cursor, so that no offset grows with the instance:
 * Clerk's deep offsets get slower and time out. On a stand-in whose offsets past 200 fail as
 * Clerk's do, the backfill and the reconciliation still complete over 700 users.
 */
jest.setTimeout(180_000);
const DEEP_OFFSET = 200;
const USERS = 700; // 3.5 times the depth at which an offset listing fails
const base = 1_700_000_000_000;
const users = Array.from({ length: USERS }, (_, i) =>
  clerkUser({ createdAt: base + i * 1000, updatedAt: base + i * 1000 + 1 }),
);
const organizations = Array.from({ length: 3 }, (_, i) => clerkOrganization({ createdAt: base + i }));

const bed = BackfillBed.use('backfill-cursor', (clerk) => {
  clerk.deepOffsetThreshold = DEEP_OFFSET;
  clerk.deepOffsetDelayMs = 200;
  for (const user of users) clerk.putUser(user);
  for (const organization of organizations) clerk.putOrganization(organization);
  clerk.putMembership(clerkMembership({ userId: users[0].id, organization: organizations[0] }));
});
const { clerk, dbUri } = bed;
const userListRequests = () => clerk.listRequests.filter(({ path }) => path === '/v1/users');

it(`an offset listing past ${DEEP_OFFSET} fails on the stand-in as on Clerk: a 5xx after a delay`, async () => {
  const api = createClerkClient({ secretKey: 'sk_test_stand_in', apiUrl: clerk.url });
  await expect(api.users.getUserList({ offset: DEEP_OFFSET, limit: 100 })).resolves.toMatchObject({
    data: expect.any(Array),
  });
  const started = Date.now();
  await expect(api.users.getUserList({ offset: DEEP_OFFSET + 100, limit: 100 })).rejects.toMatchObject({
    status: 504,
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
});

it(`the backfill copies all ${USERS} users by cursor, oldest first, never by offset`, async () => {
  const before = userListRequests().length;
  const result = await bed.backfill('--page-size', '100');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(
    `Backfill done: ${USERS} users from Clerk; created ${USERS}, updated 0, unchanged 0, skipped (deleted) 0, removed 0.`,
  );
  expect(result.stdout).toMatch(/Backfill done: 3 organizations from Clerk; created 3,/);
  expect(result.stdout).toMatch(/Backfill done: 1 memberships from Clerk; created 1,/);
  expect(await userCount(dbUri, { deletedAt: null })).toBe(USERS);

  // Eight pages (700 is a multiple of 100: the eighth is empty), each after the last user of the one before.
  const requests = userListRequests()
    .slice(before)
    .map(({ query }) => new URLSearchParams(query));
  expect(requests).toHaveLength(8);
  expect(requests.every((query) => !query.has('offset') && query.get('order_by') === '+created_at')).toBe(true);
  expect(requests.map((query) => query.get('starting_after'))).toEqual([
    null,
    ...[99, 199, 299, 399, 499, 599, 699].map((index) => users[index].id),
  ]);
});

it('the reconciliation completes over the same list and removes what Clerk no longer has', async () => {
  const gone = users.filter((_, i) => i % 25 === 3); // 28, spread over every page
  for (const user of gone) clerk.users.delete(user.id);
  const result = await bed.backfill('--page-size', '100');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(
    `Backfill done: ${USERS - gone.length} users from Clerk; created 0, updated 0, unchanged ${USERS - gone.length}, skipped (deleted) 0, removed ${gone.length}.`,
  );
  for (const user of gone) expect(await storedUser(dbUri, user.id)).toMatchObject({ deletedAt: expect.any(Date) });
  expect(await userCount(dbUri, { deletedAt: null })).toBe(USERS - gone.length);
});

it('at page size 500 too, and a dry run counts the same without writing', async () => {
  const newcomer = clerkUser({ createdAt: base + USERS * 1000 });
  clerk.putUser(newcomer);
  const dry = await bed.backfill('--dry-run', '--page-size', '500');
  expect(dry.stdout).toContain(`created 1, updated 0, unchanged ${clerk.users.size - 1}`);
  expect(await storedUser(dbUri, newcomer.id)).toBeNull();
  const run = await bed.backfill('--page-size', '500');
  expect(run.code).toBe(0);
  expect(await storedUser(dbUri, newcomer.id)).toMatchObject({ deletedAt: null });
});
