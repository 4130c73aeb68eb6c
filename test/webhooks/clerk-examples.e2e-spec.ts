import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLED_EVENT_TYPES } from '../../src/clerk/clerk-event.schema';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { StoredDocument, withClient } from '../support/database';
import { postWebhook } from '../support/http';
import { signedDelivery } from '../support/payloads';

/**
 * Clerk's own examples, signed with the svix package and replayed: every example of Clerk's
 * webhook description (test/fixtures/clerk/webhooks, see its README) and the `user.created`
 * sample of Clerk's docs. Synced types are applied and every stored field matches the payload;
 * every other type is acknowledged as ignored, whatever its data holds.
 */
type Json = Record<string, any>;
const FIXTURES = join(__dirname, '..', 'fixtures', 'clerk');
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8'));
const examples = new Map(
  readdirSync(join(FIXTURES, 'webhooks'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => readJson(join(FIXTURES, 'webhooks', file)))
    .map((example) => [example.type as string, example]),
);
const docsSample = readJson(join(FIXTURES, 'docs', 'user.created.json'));
const SYNCED: ReadonlySet<string> = new Set(HANDLED_EVENT_TYPES);

/** One object's life as Clerk sends it: memberships while their organization lives, deletions last. */
const SYNCED_ORDER = [
  'organization.created',
  'organization.updated',
  'organizationMembership.created',
  'organizationMembership.updated',
  'organizationMembership.deleted',
  'organization.deleted',
  'user.created',
  'user.updated',
  'user.deleted',
];

const bed = ClerkTestBed.use('clerk-examples');
const send = (payload: Json) => postWebhook(bed.app.url, signedDelivery(bed.secret, payload));
const stored = (collection: string, id: string) =>
  withClient(bed.app.dbUri, (client) => client.db().collection<StoredDocument>(collection).findOne({ _id: id }));
/** A stored document without the service's own bookkeeping: what came from Clerk, field by field. */
async function clerkFieldsOf(collection: string, id: string): Promise<Json | null> {
  const document = await stored(collection, id);
  if (!document) return null;
  const { createdAt: _c, updatedAt: _u, writtenBy: _w, writers: _ws, favoriteColor: _f, ...fields } = document;
  return fields;
}

/** What the service holds of Clerk's objects (delivery records aside), for "nothing changed" checks. */
const clerkObjects = () =>
  withClient(bed.app.dbUri, async (client) =>
    JSON.stringify(
      await Promise.all(
        ['users', 'organizations', 'organization_memberships'].map((name) =>
          client.db().collection(name).find().sort({ _id: 1 }).toArray(),
        ),
      ),
    ),
  );

const time = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));
const json = (metadata: unknown) => JSON.stringify(metadata ?? {});

/** What the service must store for a Clerk user, derived here from the payload alone. */
const expectedUser = (user: Json) => ({
  _id: user.id,
  email:
    (user.email_addresses as Json[]).find((address) => address.id === user.primary_email_address_id)?.email_address ??
    null,
  phoneNumber:
    (user.phone_numbers as Json[]).find((phone) => phone.id === user.primary_phone_number_id)?.phone_number ?? null,
  firstName: user.first_name ?? null,
  lastName: user.last_name ?? null,
  username: user.username ?? null,
  imageUrl: user.image_url ?? null,
  externalId: user.external_id ?? null,
  publicMetadataJson: json(user.public_metadata),
  privateMetadataJson: json(user.private_metadata),
  lastSignInAt: time(user.last_sign_in_at),
  clerkCreatedAt: time(user.created_at),
  clerkUpdatedAt: user.updated_at,
  deletedAt: null,
});

const expectedOrganization = (organization: Json) => ({
  _id: organization.id,
  name: organization.name ?? null,
  slug: organization.slug ?? null,
  imageUrl: organization.image_url ?? null,
  publicMetadataJson: json(organization.public_metadata),
  privateMetadataJson: json(organization.private_metadata),
  clerkCreatedAt: time(organization.created_at),
  clerkUpdatedAt: organization.updated_at,
  deletedAt: null,
});

const expectedMembership = (membership: Json) => ({
  _id: membership.id,
  organizationId: membership.organization.id,
  userId: membership.public_user_data.user_id,
  role: membership.role,
  permissions: membership.permissions,
  publicUserData: {
    firstName: membership.public_user_data.first_name,
    lastName: membership.public_user_data.last_name,
    username: membership.public_user_data.username ?? null,
    imageUrl: membership.public_user_data.image_url,
    identifier: membership.public_user_data.identifier,
  },
  clerkCreatedAt: time(membership.created_at),
  clerkUpdatedAt: membership.updated_at,
  deletedAt: null,
});

/** A tombstone: the id and when it was deleted, nothing personal or descriptive. */
const tombstone = (id: string) => ({ _id: id, deletedAt: expect.any(Date) });

/** After each synced example: everything stored from Clerk, as the payload says it should be. */
async function expectStoredAsIn(example: Json): Promise<void> {
  const data = example.data;
  switch (example.type) {
    case 'user.created':
    case 'user.updated':
      return expect(await clerkFieldsOf('users', data.id)).toEqual(expectedUser(data));
    case 'user.deleted':
      return expect(await clerkFieldsOf('users', data.id)).toEqual(tombstone(data.id));
    case 'organization.created':
    case 'organization.updated':
      return expect(await clerkFieldsOf('organizations', data.id)).toEqual(expectedOrganization(data));
    case 'organization.deleted':
      return expect(await clerkFieldsOf('organizations', data.id)).toEqual(tombstone(data.id));
    case 'organizationMembership.created':
    case 'organizationMembership.updated':
      expect(await clerkFieldsOf('organization_memberships', data.id)).toEqual(expectedMembership(data));
      // The organization copy it carries is stored only when newer: here it never is.
      return expect(await clerkFieldsOf('organizations', data.organization.id)).toEqual(
        expectedOrganization(examples.get('organization.updated')!.data),
      );
    case 'organizationMembership.deleted':
      return expect(await clerkFieldsOf('organization_memberships', data.id)).toEqual(tombstone(data.id));
    default:
      throw new Error(`not a synced type: ${example.type}`);
  }
}

it('holds every example of the description, a synced type each at least once', () => {
  expect(examples.size).toBe(46);
  for (const type of SYNCED) expect(examples.has(type)).toBe(true);
  // Clerk's description gives the envelope timestamp in seconds; its docs sample in milliseconds.
  expect([...examples.values()].every((example) => example.timestamp === 1_716_883_200)).toBe(true);
  expect(docsSample.timestamp).toBe(1_654_012_591_835);
});

it('applies every synced example in the order of an object’s life, storing every field as the payload has it', async () => {
  for (const type of SYNCED_ORDER) {
    const example = examples.get(type)!;
    const response = await send(example);
    expect({ type, status: response.status, body: response.body }).toEqual({
      type,
      status: 200,
      body: { received: true, outcome: 'applied' },
    });
    await expectStoredAsIn(example);
  }
});

it('applies the user.created sample of Clerk’s docs, storing every field as the payload has it', async () => {
  expect((await send(docsSample)).body).toEqual({ received: true, outcome: 'applied' });
  expect(await clerkFieldsOf('users', docsSample.data.id)).toEqual(expectedUser(docsSample.data));
  expect(expectedUser(docsSample.data)).toMatchObject({ email: 'example@example.org', externalId: '567772' });
});

it('acknowledges every example of a type it does not sync as ignored, and stores nothing of it', async () => {
  const before = await clerkObjects();
  const unsynced = [...examples.values()].filter((example) => !SYNCED.has(example.type));
  expect(unsynced).toHaveLength(37);
  for (const example of unsynced) {
    const response = await send(example);
    expect({ type: example.type, status: response.status, body: response.body }).toEqual({
      type: example.type,
      status: 200,
      body: { received: true, outcome: 'ignored' },
    });
  }
  expect(await clerkObjects()).toBe(before);
});

it('answers stale to every synced example sent again (each object is deleted, or has this version)', async () => {
  const before = await clerkObjects();
  for (const example of [...SYNCED_ORDER.map((type) => examples.get(type)!), docsSample]) {
    const response = await send(example);
    expect({ type: example.type, body: response.body }).toEqual({
      type: example.type,
      body: { received: true, outcome: 'stale' },
    });
  }
  expect(await clerkObjects()).toBe(before);
});
