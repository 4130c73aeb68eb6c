import { PERSONAL_FIELDS } from '../../src/users/user.schema';
import { UsersRepository } from '../../src/users/users.repository';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { dumpDatabase, storedDocument } from '../support/database';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  deletedEvent,
  membershipEvent,
  newUserId,
  signedDelivery,
  userEvent,
  userVersion,
} from '../support/payloads';

/**
 * Deleted stays deleted: a deletion in any order leaves a tombstone (what it keeps:
 * `ClerkObjectRepository.tombstone`) and no personal data anywhere, and no later or replayed
 * event brings the user back.
 */
const bed = ClerkTestBed.use('deletion');

/** Personal values of a user: none may remain anywhere once it is deleted. */
const personalValues = (user: Record<string, any>) =>
  [
    user.first_name,
    user.last_name,
    user.username,
    user.image_url,
    user.external_id,
    ...user.email_addresses.map((e: any) => e.email_address),
    ...user.phone_numbers.map((p: any) => p.phone_number),
    ...Object.values(user.public_metadata ?? {}),
    ...Object.values(user.private_metadata ?? {}),
  ].filter((value) => typeof value === 'string');

async function expectNoPersonalDataLeft(...versions: Record<string, any>[]) {
  const everything = JSON.stringify(await dumpDatabase(bed.app.dbUri));
  for (const value of versions.flatMap(personalValues)) expect(everything).not.toContain(value);
}

async function expectTombstone(id: string) {
  const doc = await bed.storedUser(id);
  expect(doc).not.toBeNull();
  expect(doc!.deletedAt).toBeInstanceOf(Date);
  for (const field of [...PERSONAL_FIELDS, 'favoriteColor']) {
    expect(doc).not.toHaveProperty(field);
  }
}

describe('through webhooks', () => {
  const orders = [
    ['user.created', 'user.updated', 'user.deleted'],
    ['user.created', 'user.deleted', 'user.updated'],
    ['user.updated', 'user.created', 'user.deleted'],
    ['user.updated', 'user.deleted', 'user.created'],
    ['user.deleted', 'user.created', 'user.updated'],
    ['user.deleted', 'user.updated', 'user.created'],
  ];

  it.each(orders)('%s → %s → %s ends deleted, with no personal data left anywhere', async (...order) => {
    const id = newUserId();
    const created = clerkUser({
      id,
      firstName: 'Grace',
      lastName: 'Hopper',
      username: `gh_${id.slice(-6)}`,
      emails: [`grace.${id}@example.test`],
      phone: `+1555${id.slice(-7)}`,
      extra: {
        external_id: `ext_${id}`,
        public_metadata: { team: `team_${id}` },
        private_metadata: { vault: `vault_${id}` },
        last_sign_in_at: 1_700_000_100_000,
      },
    });
    const updated = clerkUser({
      id,
      firstName: 'Amazing',
      lastName: 'Grace',
      username: `ag_${id.slice(-6)}`,
      emails: [`amazing.${id}@example.test`],
      updatedAt: created.updated_at + 5_000,
    });
    const events: Record<string, unknown> = {
      'user.created': userEvent('user.created', created),
      'user.updated': userEvent('user.updated', updated),
      'user.deleted': deletedEvent(id),
    };
    const outcomes: string[] = [];
    for (const type of order) {
      const response = await bed.postWebhook(events[type]);
      expect(response.status).toBe(200);
      outcomes.push(response.body.outcome);
    }
    // Everything after the deletion is refused as stale: deleted stays deleted.
    expect(outcomes.slice(order.indexOf('user.deleted') + 1).every((outcome) => outcome === 'stale')).toBe(true);
    await expectTombstone(id);
    await expectNoPersonalDataLeft(created, updated);
  });

  it('a replayed creation after the deletion does not bring the user back', async () => {
    const user = clerkUser();
    const creation = signedDelivery(bed.secret, userEvent('user.created', user));
    await bed.postDelivery(creation);
    expect((await bed.postWebhook(deletedEvent(user.id))).body.outcome).toBe('applied');
    expect((await bed.postDelivery(creation)).body.outcome).toBe('duplicate');
    const replayedLater = clerkUser({ ...user, id: user.id, updatedAt: user.updated_at + 60_000 });
    expect((await bed.postWebhook(userEvent('user.updated', replayedLater))).body.outcome).toBe('stale');
    await expectTombstone(user.id);
  });

  it("a membership of a user deleted here is stale and stores nothing, not even its organization's copy", async () => {
    const user = clerkUser();
    await bed.postWebhook(userEvent('user.created', user));
    await bed.postWebhook(deletedEvent(user.id));
    const organization = clerkOrganization();
    const membership = clerkMembership({ userId: user.id, organization });
    expect((await bed.postWebhook(membershipEvent('organizationMembership.created', membership))).body.outcome).toBe(
      'stale',
    );
    expect(await storedDocument(bed.app.dbUri, 'organization_memberships', membership.id)).toBeNull();
    expect(await storedDocument(bed.app.dbUri, 'organizations', organization.id)).toBeNull();
  });

  it('a second deletion of the same user is stale', async () => {
    const id = newUserId();
    expect((await bed.postWebhook(deletedEvent(id))).body.outcome).toBe('applied');
    expect((await bed.postWebhook(deletedEvent(id))).body.outcome).toBe('stale');
  });
});

it('the repository: a tombstone refuses new versions and colour changes', async () => {
  const users = bed.app.app.get(UsersRepository);
  const id = newUserId();
  await users.syncVersion(userVersion(id, 1), 'created');
  expect(await users.tombstone(id, 'deleted')).toEqual({ outcome: 'applied', found: 'live' });
  expect((await users.syncVersion(userVersion(id, 2), 'late')).found).toBe('tombstone');
  expect(await users.setFavoriteColor(id, 'RED')).toBeNull();
  expect(await users.tombstone(id, 'again')).toEqual({
    outcome: 'stale',
    found: 'tombstone',
    writers: ['created', 'deleted'],
  });
});
