import { BackfillBed } from '../support/backfill-bed';
import { countDocuments, dumpDatabase, storedDocument, storedUser, userCount } from '../support/database';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  membershipEvent,
  newUserId,
  organizationEvent,
} from '../support/payloads';

/**
 * The reconciliation: after its backfill, `npm run users:backfill` tombstones what Clerk deleted
 * while no webhook came, each confirmed gone by a direct lookup, and only after a complete
 * listing. The same on the service's timer: reconciliation-schedule.e2e-spec.ts.
 */
jest.setTimeout(120_000);
const base = 1_700_000_000_000;
const user = (i: number) =>
  clerkUser({
    emails: [`person${i}.${newUserId().slice(-6)}@example.test`],
    firstName: `First${i}`,
    createdAt: base + i * 1000,
    updatedAt: base + i * 1000 + 1,
  });
const users = Array.from({ length: 200 }, (_, i) => user(i));
const organizations = Array.from({ length: 6 }, (_, i) =>
  clerkOrganization({ name: `Team ${i}`, createdAt: base + i }),
);
const memberships = users
  .slice(0, 30)
  .map((member, i) => clerkMembership({ userId: member.id, organization: organizations[i % 6], createdAt: base + i }));

const bed = BackfillBed.use('reconcile', (clerk) => {
  for (const each of users) clerk.putUser(each);
  for (const organization of organizations) clerk.putOrganization(organization);
  for (const membership of memberships) clerk.putMembership(membership);
});
const { clerk, dbUri } = bed;

beforeAll(async () => {
  const first = await bed.backfill();
  expect(first.code).toBe(0);
  expect(await userCount(dbUri, { deletedAt: null })).toBe(200);
});

it('objects deleted in Clerk while no webhook came: --dry-run counts them and writes nothing; a run tombstones them', async () => {
  const goneUsers = users.slice(40, 52);
  for (const gone of goneUsers) clerk.users.delete(gone.id);
  clerk.organizations.delete(organizations[5].id);
  const goneMemberships = memberships.slice(0, 3);
  for (const gone of goneMemberships) clerk.memberships.delete(gone.id);

  const before = JSON.stringify(await dumpDatabase(dbUri));
  const dry = await bed.backfill('--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain(
    'Dry run done: 188 users from Clerk; created 0, updated 0, unchanged 188, skipped (deleted) 0, removed 12.',
  );
  expect(dry.stdout).toContain('removed 1.');
  expect(dry.stdout).toContain(
    'Dry run done: 27 memberships from Clerk; created 0, updated 0, unchanged 27, skipped (deleted) 0, removed 3.',
  );
  expect(JSON.stringify(await dumpDatabase(dbUri))).toBe(before);

  const run = await bed.backfill();
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(
    'Backfill done: 188 users from Clerk; created 0, updated 0, unchanged 188, skipped (deleted) 0, removed 12.',
  );
  expect(run.stdout).toContain('12 users were written.');
  for (const gone of goneUsers) {
    const tombstone = await storedUser(dbUri, gone.id);
    expect(tombstone).toMatchObject({ deletedAt: expect.any(Date), writtenBy: 'reconcile' });
    expect(tombstone).not.toHaveProperty('email');
  }
  const everything = JSON.stringify(await dumpDatabase(dbUri));
  for (const gone of goneUsers) {
    for (const value of [
      gone.first_name,
      ...(gone.email_addresses as { email_address: string }[]).map((e) => e.email_address),
    ]) {
      expect(everything).not.toContain(value);
    }
  }
  expect(everything).not.toContain('Team 5');
  expect(await countDocuments(dbUri, 'users', { deletedAt: null })).toBe(188);
  expect(await countDocuments(dbUri, 'organizations', { deletedAt: null })).toBe(5);
  expect(await countDocuments(dbUri, 'organization_memberships', { deletedAt: null })).toBe(27);

  const again = await bed.backfill();
  expect(again.stdout).toContain(
    'Backfill done: 188 users from Clerk; created 0, updated 0, unchanged 188, skipped (deleted) 0, removed 0.',
  );
});

it('an object Clerk still has but the listing missed is kept: only a 404 removes', async () => {
  const missed = users[60];
  clerk.missingFromLists.add(missed.id);
  const lookups = clerk.calls.getUser;
  try {
    const run = await bed.backfill('--only', 'users');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('removed 0.');
    expect(clerk.calls.getUser).toBe(lookups + 1);
    expect(await storedUser(dbUri, missed.id)).toMatchObject({ deletedAt: null });
  } finally {
    clerk.missingFromLists.delete(missed.id);
  }
});

it('a listing that fails part-way removes nothing, says so, and exits non-zero', async () => {
  const gone = users[70];
  clerk.users.delete(gone.id);
  // Pages of 50: the request after the third page's is the fourth page's.
  clerk.onListPage = (offset, list) => {
    if (list === 'users' && offset === 100) clerk.failures.push({ status: 403 });
  };
  try {
    const run = await bed.backfill('--only', 'users', '--page-size', '50');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nothing was removed: removal waits for a complete listing.');
    expect(await storedUser(dbUri, gone.id)).toMatchObject({ deletedAt: null });
  } finally {
    clerk.onListPage = undefined;
  }
  const repaired = await bed.backfill('--only', 'users');
  expect(repaired.stdout).toContain('removed 1.');
});

it('429s during the confirmation lookups are waited out', async () => {
  const gone = users[80];
  clerk.users.delete(gone.id);
  // The last page of users: the requests after it are the confirmation lookups.
  const lastPage = Math.floor(clerk.users.size / 100) * 100;
  let throttled = false;
  clerk.onListPage = (offset, list) => {
    if (list !== 'users' || offset !== lastPage || throttled) return;
    throttled = true;
    clerk.failures.push({ status: 429, retryAfter: 1 }, { status: 429, retryAfter: 1 });
  };
  try {
    const run = await bed.backfill('--only', 'users');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/429\): waiting 1s as Retry-After asks[\s\S]*429\): waiting 1s/);
    expect(run.stdout).toContain('removed 1.');
    expect(await storedUser(dbUri, gone.id)).toMatchObject({ deletedAt: expect.any(Date) });
  } finally {
    clerk.onListPage = undefined;
  }
});

it('users are listed by cursor: deletions mid-run shift nothing, sign-ups after the cursor are listed', async () => {
  expect((await bed.backfill('--only', 'users')).code).toBe(0); // in step before the drift below
  // New sign-ups that sort just after the first page, and deletions on that page once it is read.
  // By offset the second page would start ten users later and the newcomers fall between pages;
  // by cursor it starts after the first page's last user.
  const listed = [...clerk.users.values()].sort((a, b) => Number(a.created_at) - Number(b.created_at));
  const newcomers = Array.from({ length: 10 }, (_, i) =>
    clerkUser({ createdAt: Number(listed[99].created_at) + 1 + i, updatedAt: base + 500_000 + i }),
  );
  for (const newcomer of newcomers) clerk.putUser(newcomer);
  const deletedMidRun = listed.slice(10, 20);
  clerk.onListPage = (offset, list) => {
    if (list === 'users' && offset === 100) for (const gone of deletedMidRun) clerk.users.delete(String(gone.id));
  };
  let first;
  try {
    first = await bed.backfill('--only', 'users');
  } finally {
    clerk.onListPage = undefined;
  }
  expect(first.code).toBe(0);
  // The ten deleted were listed before they went: nothing to remove yet. The newcomers are stored.
  expect(first.stdout).toContain('created 10,');
  expect(first.stdout).toContain('removed 0.');
  expect(await userCount(dbUri, { deletedAt: null })).toBe(clerk.users.size + deletedMidRun.length);

  const second = await bed.backfill('--only', 'users');
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('created 0,');
  expect(second.stdout).toContain('removed 10.');
  for (const newcomer of newcomers) expect(await storedUser(dbUri, newcomer.id)).toMatchObject({ deletedAt: null });
  for (const gone of deletedMidRun)
    expect(await storedUser(dbUri, String(gone.id))).toMatchObject({ deletedAt: expect.any(Date) });
  expect(await userCount(dbUri, { deletedAt: null })).toBe(clerk.users.size);
});

it('an organization and its membership Clerk no longer has are removed; one stored while the run was under way is not', async () => {
  const organization = clerkOrganization({ name: 'Short-lived' });
  const membership = clerkMembership({ userId: users[0].id, organization });
  await bed.webhook(organizationEvent('organization.created', organization));
  await bed.webhook(membershipEvent('organizationMembership.created', membership));
  // Created by webhook once the run has begun, and not in the listing (as if created after its page).
  const newer = clerkOrganization({ name: 'Brand new' });
  clerk.onListPage = async (offset, list) => {
    if (list === 'organizations' && offset === 0) await bed.webhook(organizationEvent('organization.created', newer));
  };
  let run;
  try {
    run = await bed.backfill('--only', 'organizations');
  } finally {
    clerk.onListPage = undefined;
  }
  expect(run.stdout).toContain(
    'organizations from Clerk; created 0, updated 0, unchanged 5, skipped (deleted) 0, removed 1.',
  );
  expect(run.stdout).toMatch(/memberships from Clerk; .*removed 1\./);
  expect(await storedDocument(dbUri, 'organizations', organization.id)).toMatchObject({
    deletedAt: expect.any(Date),
    writtenBy: 'reconcile',
  });
  expect(await storedDocument(dbUri, 'organizations', newer.id)).toMatchObject({ name: 'Brand new', deletedAt: null });
});
