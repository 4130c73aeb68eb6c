import { BackfillBed } from '../support/backfill-bed';
import { countDocuments, storedDocument, storedUser, storedUsers, userCount } from '../support/database';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  deletedEvent,
  deletedOrganizationEvent,
  membershipEvent,
  newUserId,
  organizationEvent,
  userEvent,
} from '../support/payloads';

/**
 * The backfill: `npm run users:backfill` as an operator runs it (the built command against the
 * Clerk stand-in), copying what Clerk has beside live webhooks. What the reconciliation tombstones
 * after it: reconciliation.e2e-spec.ts.
 */
jest.setTimeout(180_000);
const base = 1_700_000_000_000;

describe('users', () => {
  const USERS = 1_050;
  const users = Array.from({ length: USERS }, (_, i) =>
    clerkUser({ createdAt: base + i * 1000, updatedAt: base + i * 1000 + 1 }),
  );

  const bed = BackfillBed.use('backfill', (clerk) => {
    for (const user of users) clerk.putUser(user);
  });
  const { clerk, dbUri } = bed;

  it('--dry-run reports what would change and writes nothing', async () => {
    const result = await bed.backfill('--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Dry run done: ${USERS} users from Clerk; created ${USERS}, updated 0, unchanged 0, skipped (deleted) 0, removed 0.`,
    );
    expect(await userCount(dbUri)).toBe(0);
  });

  it('stores 1,050 users once through 429s and a 500, beside live webhooks, keeping tombstones', async () => {
    // Deleted by webhook before the backfill reaches it.
    const deleted = users[700];
    await bed.webhook(userEvent('user.created', deleted));
    expect((await bed.webhook(deletedEvent(deleted.id))).body.outcome).toBe('applied');
    // Updated by webhook to a newer version while the backfill runs, before its page comes.
    const raced = users[450];
    const newer = clerkUser({
      id: raced.id,
      firstName: 'Newer',
      createdAt: raced.created_at as number,
      updatedAt: raced.updated_at + 60_000,
    });

    const seen = new Set<number>();
    clerk.onListPage = async (offset) => {
      // Once per page: a retried page must not meet the same failure again.
      if (seen.has(offset)) return;
      seen.add(offset);
      if (offset === 100) clerk.failures.push({ status: 429, retryAfter: 1 });
      if (offset === 300) expect((await bed.webhook(userEvent('user.updated', newer))).body.outcome).toBe('applied');
      if (offset === 500) clerk.failures.push({ status: 500 });
      if (offset === 800) clerk.failures.push({ status: 429, retryAfter: 1 });
    };
    const listCallsBefore = clerk.calls.listUsers;
    const result = await bed.backfill();
    clerk.onListPage = undefined;

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /429\): waiting 1s as Retry-After asks[\s\S]*HTTP 500\): retry 1\/4[\s\S]*429\): waiting 1s/,
    );
    expect(result.stdout).toContain(
      // The raced user was stored by its webhook first: the backfill finds it newer and leaves it.
      `Backfill done: ${USERS} users from Clerk; created ${USERS - 2}, updated 0, unchanged 1, skipped (deleted) 1, removed 0.`,
    );
    expect(clerk.calls.listUsers - listCallsBefore).toBeGreaterThanOrEqual(11 + 3);

    expect(await userCount(dbUri, { deletedAt: null })).toBe(USERS - 1);
    expect(await userCount(dbUri, { writtenBy: 'backfill' })).toBe(USERS - 2);
    expect(result.stdout).toContain(`${USERS - 2} users were written.`);
    const ids = (await storedUsers(dbUri)).map((user) => user._id);
    expect(new Set(ids.map(String))).toEqual(new Set(users.map((user) => user.id)));
    expect(await storedUser(dbUri, raced.id)).toMatchObject({ firstName: 'Newer', clerkUpdatedAt: newer.updated_at });
    const tombstone = await storedUser(dbUri, deleted.id);
    expect(tombstone).toMatchObject({ deletedAt: expect.any(Date) });
    expect(tombstone).not.toHaveProperty('email');
  });

  it('a second run changes nothing and says so', async () => {
    const before = await storedUsers(dbUri);
    const result = await bed.backfill('--page-size', '500');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`created 0, updated 0, unchanged ${USERS - 1}, skipped (deleted) 1, removed 0.`);
    expect(result.stdout).toContain('Nothing changed: every user is already up to date.');
    expect(await storedUsers(dbUri)).toEqual(before);
  });

  it('a newer version in Clerk is brought in', async () => {
    const changed = clerkUser({
      id: users[3].id,
      firstName: 'Changed',
      createdAt: users[3].created_at as number,
      updatedAt: users[3].updated_at + 5,
    });
    clerk.putUser(changed);
    const result = await bed.backfill('--page-size', '500');
    expect(result.stdout).toContain(`created 0, updated 1, unchanged ${USERS - 2}, skipped (deleted) 1, removed 0.`);
    expect(await storedUser(dbUri, changed.id)).toMatchObject({ firstName: 'Changed' });
  });

  it("stays within its half of a development key's rate limit (50 requests in 10 s), counting each HTTP request", async () => {
    const from = clerk.requestTimes.length;
    // 53 pages of 20 by cursor and one count: 54 requests, more than one window allows.
    const result = await bed.backfill('--page-size', '20');
    expect(result.code).toBe(0);
    const times = clerk.requestTimes.slice(from);
    expect(times.length).toBeGreaterThan(50);
    const busiestWindow = Math.max(
      ...times.map((start) => times.filter((t) => t >= start && t < start + 10_000).length),
    );
    expect(busiestWindow).toBeLessThanOrEqual(50);
  });

  it('stops with a clear message and exit code 1 when Clerk keeps failing; nothing is half-written', async () => {
    clerk.down = true;
    try {
      const result = await bed.backfill();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Clerk's Backend API failed at the start of the list (network error");
      expect(result.stderr).toContain(
        'after 4 retries. Nothing written is lost; run the backfill again, it is safe to repeat.',
      );
    } finally {
      clerk.down = false;
    }
  });

  it('refuses to start without CLERK_SECRET_KEY, or with a bad option', async () => {
    const noKey = await bed.backfillWith({ CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('CLERK_SECRET_KEY is not set');
    const badOption = await bed.backfill('--page-size', '0');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('--page-size must be a whole number from 1 to 500');
  });
});

/** `--only organizations`: organizations and memberships beside live webhooks. */
describe('organizations and memberships', () => {
  const ORGANIZATIONS = 40;
  const MEMBERSHIPS = 300;
  const organizations = Array.from({ length: ORGANIZATIONS }, (_, i) =>
    clerkOrganization({ name: `Org ${i}`, createdAt: base + i * 1000, updatedAt: base + i * 1000 + 1 }),
  );
  const userIds = Array.from({ length: 100 }, () => newUserId());
  const memberships = Array.from({ length: MEMBERSHIPS }, (_, i) =>
    clerkMembership({
      userId: userIds[i % userIds.length],
      organization: organizations[i % ORGANIZATIONS],
      role: i % 7 ? 'org:member' : 'org:admin',
      createdAt: base + i * 1000,
      updatedAt: base + i * 1000 + 1,
    }),
  );

  const bed = BackfillBed.use('backfill_orgs', (clerk) => {
    for (const organization of organizations) clerk.putOrganization(organization);
    for (const membership of memberships) clerk.putMembership(membership);
  });
  const { clerk, dbUri } = bed;

  it('--dry-run counts every organization and membership and writes nothing; --only organizations lists no users', async () => {
    const usersListed = clerk.calls.listUsers;
    const result = await bed.backfill('--dry-run', '--only', 'organizations');
    expect(result.stdout).toContain(
      `Dry run done: ${ORGANIZATIONS} organizations from Clerk; created ${ORGANIZATIONS}, updated 0`,
    );
    expect(result.stdout).toContain(
      `Dry run done: ${MEMBERSHIPS} memberships from Clerk; created ${MEMBERSHIPS}, updated 0`,
    );
    expect(await countDocuments(dbUri, 'organizations')).toBe(0);
    expect(await countDocuments(dbUri, 'organization_memberships')).toBe(0);
    expect(clerk.calls.listUsers).toBe(usersListed);
  });

  it('copies organizations and a few hundred memberships through a 429, beside live webhooks, keeping tombstones', async () => {
    // Deleted by webhook before the run: the backfill must not bring them back.
    const deletedOrganization = organizations[5];
    expect(await bed.outcomeOf(deletedOrganizationEvent(deletedOrganization.id))).toBe('applied');
    const deletedMembership = memberships[123];
    expect(
      await bed.outcomeOf(
        membershipEvent('organizationMembership.deleted', { ...deletedMembership, updated_at: base + 900_000 }),
      ),
    ).toBe('applied');
    // Renamed by webhook while the run lists memberships: the newer name must survive.
    const renamed = { ...organizations[7], name: 'Renamed live', updated_at: base + 800_000 };
    clerk.onListPage = async (offset, list) => {
      if (list !== 'memberships' || offset !== 0) return;
      expect(await bed.outcomeOf(organizationEvent('organization.updated', renamed))).toBe('applied');
      // The next request is a page listed after this one is answered (pages listed ahead are sent
      // together, so a failure queued while one of them is answered can miss them all).
      clerk.failures.push({ status: 429, retryAfter: 1 });
    };
    const result = await bed.backfill('--only', 'organizations');
    clerk.onListPage = undefined;
    expect(result.stderr).toMatch(/429\): waiting 1s as Retry-After asks/);
    // The membership's deletion event carried its organization, which was stored then: unchanged.
    expect(result.stdout).toContain(
      `Backfill done: ${ORGANIZATIONS} organizations from Clerk; created ${ORGANIZATIONS - 2}, updated 0, unchanged 1, skipped (deleted) 1, removed 0.`,
    );
    expect(result.stdout).toContain(
      `Backfill done: ${MEMBERSHIPS} memberships from Clerk; created ${MEMBERSHIPS - 1}, updated 0, unchanged 0, skipped (deleted) 1, removed 0.`,
    );
    expect(await countDocuments(dbUri, 'organizations', { deletedAt: null })).toBe(ORGANIZATIONS - 1);
    expect(await countDocuments(dbUri, 'organization_memberships', { deletedAt: null })).toBe(MEMBERSHIPS - 1);
    expect(await storedDocument(dbUri, 'organizations', renamed.id)).toMatchObject({ name: 'Renamed live' });

    const again = await bed.backfill('--only', 'organizations', '--page-size', '500');
    expect(again.stdout).toContain('Nothing changed: every organization is already up to date.');
    expect(again.stdout).toContain('Nothing changed: every membership is already up to date.');
  });

  it('refuses an unknown --only', async () => {
    const result = await bed.backfill('--only', 'teams');
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('--only must be users or organizations') });
  });
});
