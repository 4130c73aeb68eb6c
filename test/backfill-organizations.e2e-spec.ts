import { BackfillBed } from './support/backfill-bed';
import { withClient } from './support/database';
import {
  clerkMembership,
  clerkOrganization,
  deletedOrganizationEvent,
  membershipEvent,
  newUserId,
  organizationEvent,
} from './support/payloads';

/** `npm run users:backfill -- --only organizations`: organizations and memberships beside live webhooks. */
const ORGANIZATIONS = 40;
const MEMBERSHIPS = 300;
jest.setTimeout(120_000);
const base = 1_700_000_000_000;
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
const backfill = (...args: string[]) => bed.backfill(...args);
const webhook = async (payload: unknown) => (await bed.webhook(payload)).body.outcome;
const count = (collection: string, filter: object = {}) =>
  withClient(dbUri, (client) => client.db().collection(collection).countDocuments(filter));

it('--dry-run counts every organization and membership and writes nothing; --only organizations lists no users', async () => {
  const usersListed = clerk.calls.listUsers;
  const result = await backfill('--dry-run', '--only', 'organizations');
  expect(result.stdout).toContain(
    `Dry run done: ${ORGANIZATIONS} organizations from Clerk; created ${ORGANIZATIONS}, updated 0`,
  );
  expect(result.stdout).toContain(
    `Dry run done: ${MEMBERSHIPS} memberships from Clerk; created ${MEMBERSHIPS}, updated 0`,
  );
  expect(await count('organizations')).toBe(0);
  expect(await count('organization_memberships')).toBe(0);
  expect(clerk.calls.listUsers).toBe(usersListed);
});

it('copies organizations and a few hundred memberships through a 429, beside live webhooks, keeping tombstones', async () => {
  // Deleted by webhook before the run: the backfill must not bring them back.
  const deletedOrganization = organizations[5];
  expect(await webhook(deletedOrganizationEvent(deletedOrganization.id))).toBe('applied');
  const deletedMembership = memberships[123];
  expect(
    await webhook(
      membershipEvent('organizationMembership.deleted', { ...deletedMembership, updated_at: base + 900_000 }),
    ),
  ).toBe('applied');
  // Renamed by webhook while the run lists memberships: the newer name must survive.
  const renamed = { ...organizations[7], name: 'Renamed live', updated_at: base + 800_000 };
  clerk.onListPage = async (offset, list) => {
    if (list !== 'memberships') return;
    if (offset === 0) expect(await webhook(organizationEvent('organization.updated', renamed))).toBe('applied');
    if (offset === 100) clerk.failures.push({ status: 429, retryAfter: 1 });
  };
  const result = await backfill('--only', 'organizations');
  clerk.onListPage = undefined;
  expect(result.stderr).toMatch(/429\): waiting 1s as Retry-After asks/);
  // The membership's deletion event carried its organization, which was stored then: unchanged.
  expect(result.stdout).toContain(
    `Backfill done: ${ORGANIZATIONS} organizations from Clerk; created ${ORGANIZATIONS - 2}, updated 0, unchanged 1, skipped (deleted) 1, removed 0.`,
  );
  expect(result.stdout).toContain(
    `Backfill done: ${MEMBERSHIPS} memberships from Clerk; created ${MEMBERSHIPS - 1}, updated 0, unchanged 0, skipped (deleted) 1, removed 0.`,
  );
  expect(await count('organizations', { deletedAt: null })).toBe(ORGANIZATIONS - 1);
  expect(await count('organization_memberships', { deletedAt: null })).toBe(MEMBERSHIPS - 1);
  const stored = await withClient(dbUri, (client) =>
    client
      .db()
      .collection('organizations')
      .findOne({ _id: renamed.id as never }),
  );
  expect(stored).toMatchObject({ name: 'Renamed live' });

  const again = await backfill('--only', 'organizations', '--page-size', '500');
  expect(again.stdout).toContain('Nothing changed: every organization is already up to date.');
  expect(again.stdout).toContain('Nothing changed: every membership is already up to date.');
});

it('refuses an unknown --only', async () => {
  const result = await backfill('--only', 'teams');
  expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('--only must be users or organizations') });
});
