import { ClerkTestBed } from '../support/clerk-test-bed';
import { dumpDatabase, storedDocument } from '../support/database';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  deletedOrganizationEvent,
  membershipEvent,
  newOrganizationId,
  newUserId,
  organizationEvent,
  signedDelivery,
  userEvent,
} from '../support/payloads';

/**
 * Organizations and memberships from real signed webhooks, with the guarantees users have: the
 * newest version wins in any order, a deletion is final and leaves no descriptive data, and GET /me
 * lists the user's live memberships of live organizations.
 */
const bed = ClerkTestBed.use('organizations');
const storedOrganization = (id: string) => storedDocument(bed.app.dbUri, 'organizations', id);
const storedMembership = (id: string) => storedDocument(bed.app.dbUri, 'organization_memberships', id);

/** A user stored by its webhook, and GET /me as that user (with an active organization in the session). */
async function signedInUser() {
  const user = clerkUser();
  expect(await bed.outcomeOf(userEvent('user.created', user))).toBe('applied');
  const me = async (orgId?: string) => (await bed.getMe(bed.tokenFor(user.id, { org_id: orgId }))).body;
  return { id: user.id, me };
}

const permutations = <T>(items: T[]): T[][] =>
  items.length <= 1
    ? [items]
    : items.flatMap((item, i) => permutations(items.filter((_, j) => j !== i)).map((rest) => [item, ...rest]));

describe('organizations', () => {
  it.each(permutations(['created', 'updated', 'deleted']).map((order) => [order.join(' → '), order]))(
    'in the order %s: deleted, with no descriptive data left, and late versions stale',
    async (_, order) => {
      const id = newOrganizationId();
      const v1 = clerkOrganization({
        id,
        name: 'Initech',
        slug: 'initech',
        updatedAt: 1_700_000_001_000,
        extra: { public_metadata: { plan: 'gold' }, private_metadata: { billing: 'acct_hidden' } },
      });
      const v2 = clerkOrganization({ id, name: 'Initrode', slug: 'initrode', updatedAt: 1_700_000_002_000 });
      const events: Record<string, unknown> = {
        created: organizationEvent('organization.created', v1),
        updated: organizationEvent('organization.updated', v2),
        deleted: deletedOrganizationEvent(id),
      };
      const outcomes = [];
      for (const step of order) outcomes.push(await bed.outcomeOf(events[step]));
      const afterDelete = outcomes.slice(order.indexOf('deleted') + 1);
      expect(outcomes[order.indexOf('deleted')]).toBe('applied');
      expect(afterDelete.every((outcome) => outcome === 'stale')).toBe(true);
      const tombstone = await storedOrganization(id);
      expect(tombstone).toMatchObject({ _id: id, deletedAt: expect.any(Date) });
      for (const field of ['name', 'slug', 'imageUrl', 'publicMetadataJson', 'privateMetadataJson', 'clerkCreatedAt']) {
        expect(tombstone).not.toHaveProperty(field);
      }
      const everything = JSON.stringify(await dumpDatabase(bed.app.dbUri));
      for (const value of ['Initech', 'Initrode', 'initech', 'gold', 'acct_hidden', v1.image_url]) {
        expect(everything).not.toContain(value);
      }
    },
  );

  it.each([
    ['created then updated', ['created', 'updated']],
    ['updated then created', ['updated', 'created']],
  ])('%s: the newest version is stored', async (_, order) => {
    const id = newOrganizationId();
    const events: Record<string, unknown> = {
      created: organizationEvent(
        'organization.created',
        clerkOrganization({ id, name: 'Old', updatedAt: 1_700_000_001_000 }),
      ),
      updated: organizationEvent(
        'organization.updated',
        clerkOrganization({ id, name: 'New', updatedAt: 1_700_000_002_000 }),
      ),
    };
    const outcomes = [];
    for (const step of order) outcomes.push(await bed.outcomeOf(events[step]));
    expect(outcomes).toEqual(order[0] === 'created' ? ['applied', 'applied'] : ['applied', 'stale']);
    expect(await storedOrganization(id)).toMatchObject({ name: 'New', clerkUpdatedAt: 1_700_000_002_000 });
  });

  it('a redelivery is duplicate; an event Clerk could not have sent is 422 and stores nothing', async () => {
    const delivery = signedDelivery(bed.secret, organizationEvent('organization.created', clerkOrganization()));
    expect((await bed.postDelivery(delivery)).body.outcome).toBe('applied');
    expect((await bed.postDelivery(delivery)).body.outcome).toBe('duplicate');
    const bad = clerkOrganization({ id: 'user_not_an_org' });
    expect(await bed.postWebhook(organizationEvent('organization.created', bad))).toMatchObject({
      status: 422,
      body: { message: 'organization.created: data.id must be a Clerk org id (org_...)' },
    });
    expect(await storedOrganization('user_not_an_org')).toBeNull();
  });
});

describe('memberships', () => {
  it.each(permutations(['created', 'updated', 'deleted']).map((order) => [order.join(' → '), order]))(
    'in the order %s: the membership ends deleted and /me no longer lists it',
    async (_, order) => {
      const user = await signedInUser();
      const organization = clerkOrganization({ name: 'Hooli' });
      const v1 = clerkMembership({ userId: user.id, organization, role: 'org:member', updatedAt: 1_700_000_001_000 });
      const v2 = { ...v1, role: 'org:admin', updated_at: 1_700_000_002_000 };
      const events: Record<string, unknown> = {
        created: membershipEvent('organizationMembership.created', v1),
        updated: membershipEvent('organizationMembership.updated', v2),
        deleted: membershipEvent('organizationMembership.deleted', { ...v2, updated_at: 1_700_000_003_000 }),
      };
      const outcomes = [];
      for (const step of order) outcomes.push(await bed.outcomeOf(events[step]));
      expect(outcomes.slice(order.indexOf('deleted') + 1).every((outcome) => outcome === 'stale')).toBe(true);
      expect(await storedMembership(v1.id)).toMatchObject({ deletedAt: expect.any(Date) });
      expect(await storedMembership(v1.id)).not.toHaveProperty('role');
      expect((await user.me()).organizations).toEqual([]);
    },
  );

  it('a membership before its organization shows the organization it carried; newer organization versions win', async () => {
    const user = await signedInUser();
    const organization = clerkOrganization({ name: 'Pied Piper', slug: 'pied-piper', updatedAt: 1_700_000_001_000 });
    const membership = clerkMembership({
      userId: user.id,
      organization,
      role: 'org:admin',
      updatedAt: 1_700_000_001_000,
    });
    expect(await bed.outcomeOf(membershipEvent('organizationMembership.created', membership))).toBe('applied');
    expect((await user.me(organization.id)).organizations).toEqual([
      {
        id: organization.id,
        name: 'Pied Piper',
        slug: 'pied-piper',
        imageUrl: organization.image_url,
        role: 'org:admin',
        permissions: [],
      },
    ]);
    expect((await user.me(organization.id)).orgId).toBe(organization.id);
    // The organization's own event for the same version changes nothing; a newer one renames it.
    expect(await bed.outcomeOf(organizationEvent('organization.created', organization))).toBe('stale');
    const renamed = { ...organization, name: 'Pied Piper Inc', updated_at: 1_700_000_002_000 };
    expect(await bed.outcomeOf(organizationEvent('organization.updated', renamed))).toBe('applied');
    // A later membership update carrying the older organization copy leaves the name alone.
    const promoted = { ...membership, role: 'org:owner', updated_at: 1_700_000_003_000 };
    expect(await bed.outcomeOf(membershipEvent('organizationMembership.updated', promoted))).toBe('applied');
    expect((await user.me()).organizations).toEqual([
      expect.objectContaining({ name: 'Pied Piper Inc', role: 'org:owner' }),
    ]);
  });

  it('/me lists live memberships of live organizations only, by name, with no private metadata', async () => {
    const user = await signedInUser();
    const other = newUserId();
    const zeta = clerkOrganization({ name: 'Zeta', extra: { private_metadata: { secret: 'zeta-private' } } });
    const alpha = clerkOrganization({ name: 'Alpha' });
    const gone = clerkOrganization({ name: 'Gone' });
    const left = clerkOrganization({ name: 'Left' });
    for (const organization of [zeta, alpha, gone, left]) {
      const membership = clerkMembership({ userId: user.id, organization, role: 'org:member' });
      expect(await bed.outcomeOf(membershipEvent('organizationMembership.created', membership))).toBe('applied');
      if (organization === left) {
        expect(
          await bed.outcomeOf(
            membershipEvent('organizationMembership.deleted', { ...membership, updated_at: 1_700_000_009_000 }),
          ),
        ).toBe('applied');
      }
    }
    await bed.outcomeOf(
      membershipEvent('organizationMembership.created', clerkMembership({ userId: other, organization: alpha })),
    );
    expect(await bed.outcomeOf(deletedOrganizationEvent(gone.id))).toBe('applied');
    const me = await user.me();
    expect(me.organizations.map((organization: { name: string }) => organization.name)).toEqual(['Alpha', 'Zeta']);
    expect(JSON.stringify(me)).not.toContain('zeta-private');
    expect(JSON.stringify(await storedOrganization(zeta.id))).toContain('zeta-private');
  });

  it('a concurrent burst of mixed versions of an organization and its memberships ends in the newest state', async () => {
    const user = await signedInUser();
    const id = newOrganizationId();
    const versions = Array.from({ length: 15 }, (_, i) =>
      clerkOrganization({ id, name: `Version ${i}`, updatedAt: 1_700_000_000_000 + i * 1_000 }),
    );
    const memberships = Array.from({ length: 15 }, (_, i) =>
      clerkMembership({
        id: 'orgmem_burst_' + user.id.slice(5),
        userId: user.id,
        organization: versions[i],
        role: `org:role_${i}`,
        updatedAt: 1_700_000_000_000 + i * 1_000,
      }),
    );
    const deliveries = [
      ...versions.map((version) => organizationEvent('organization.updated', version)),
      ...memberships.map((membership) => membershipEvent('organizationMembership.updated', membership)),
    ].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(deliveries.map((delivery) => bed.postWebhook(delivery)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await storedOrganization(id)).toMatchObject({ name: 'Version 14', clerkUpdatedAt: 1_700_000_014_000 });
    expect(await storedMembership(memberships[0].id)).toMatchObject({ role: 'org:role_14' });
    expect((await user.me()).organizations).toEqual([
      expect.objectContaining({ id, name: 'Version 14', role: 'org:role_14' }),
    ]);
  });

  it('a membership event without a user id is 422 and stores nothing', async () => {
    const membership = clerkMembership({ userId: newUserId() });
    const broken = { ...membership, public_user_data: { identifier: 'x@example.test' } };
    expect(
      await bed.postWebhook(membershipEvent('organizationMembership.created', broken as unknown as typeof membership)),
    ).toMatchObject({
      status: 422,
      body: { message: 'organizationMembership.created: data.public_user_data.user_id is missing' },
    });
    expect(await storedMembership(membership.id)).toBeNull();
  });
});
