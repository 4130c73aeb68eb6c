import { PERSONAL_FIELDS } from '../src/users/user.schema';
import { startTestApp, TestApp } from './support/app';
import { postWebhook } from './support/http';
import {
  deliveryCount,
  dumpDatabase,
  storedUser as storedUserIn,
  updateStoredUser,
  userCount,
} from './support/database';
import { clerkUser, deletedEvent, newUserId, newWebhookSecret, signedDelivery, userEvent } from './support/webhooks';

const secret = newWebhookSecret();
const rotatedSecret = newWebhookSecret();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp('webhooks', { CLERK_WEBHOOK_SIGNING_SECRET: `${secret}, ${rotatedSecret}` });
});
afterAll(async () => {
  await t?.close();
});

const send = (payload: unknown, options?: { svixId?: string; timestamp?: Date }) =>
  postWebhook(t.url, signedDelivery(secret, payload, options));
const storedUser = (id: string) => storedUserIn(t.dbUri, id);

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
  const everything = JSON.stringify(await dumpDatabase(t.dbUri));
  for (const value of versions.flatMap(personalValues)) expect(everything).not.toContain(value);
}

async function expectTombstone(id: string) {
  const doc = await storedUser(id);
  expect(doc).not.toBeNull();
  expect(doc!.deletedAt).toBeInstanceOf(Date);
  for (const field of [...PERSONAL_FIELDS, 'favoriteColor']) {
    expect(doc).not.toHaveProperty(field);
  }
}

describe('user sync', () => {
  it('stores a new user with the primary email, its names and a random favourite colour', async () => {
    const user = clerkUser({ emails: ['first@example.test', 'primary@example.test'], primary: 1, username: 'ada' });
    const response = await send(userEvent('user.created', user));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, outcome: 'applied' });
    const doc = await storedUser(user.id);
    expect(doc).toMatchObject({
      email: 'primary@example.test',
      firstName: 'Ada',
      lastName: 'Lovelace',
      username: 'ada',
      imageUrl: user.image_url,
      clerkUpdatedAt: user.updated_at,
    });
    expect(['RED', 'GREEN', 'BLUE']).toContain(doc!.favoriteColor);
  });

  it.each([
    ['phone-only (no email, no names)', { emails: [], primary: null, firstName: null, lastName: null }],
    ['username-only', { emails: [], primary: null, firstName: null, lastName: null, username: 'only_a_name' }],
    [
      'web3 (nothing but the id)',
      {
        emails: [],
        primary: null,
        firstName: null,
        lastName: null,
        extra: { web3_wallets: [{ web3_wallet: '0xabc' }], image_url: null },
      },
    ],
    ['SSO with emails but none primary', { emails: ['sso@example.test'], primary: null }],
  ])('stores a %s user', async (_, options) => {
    const user = clerkUser(options);
    expect((await send(userEvent('user.created', user))).body.outcome).toBe('applied');
    const doc = await storedUser(user.id);
    expect(doc).toMatchObject({ _id: user.id, email: null });
    expect(doc!.username).toBe((options as { username?: string }).username ?? null);
  });

  it('keeps the newest version whatever the order, and answers stale for older ones', async () => {
    const id = newUserId();
    const newer = clerkUser({ id, firstName: 'Newer', updatedAt: 1_700_000_002_000 });
    const older = clerkUser({ id, firstName: 'Older', updatedAt: 1_700_000_001_000 });
    expect((await send(userEvent('user.updated', newer))).body.outcome).toBe('applied');
    expect((await send(userEvent('user.updated', older))).body.outcome).toBe('stale');
    expect((await storedUser(id))!.firstName).toBe('Newer');
  });

  it('answers duplicate to a redelivery of a processed svix-id and changes nothing', async () => {
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    expect((await postWebhook(t.url, delivery)).body.outcome).toBe('applied');
    expect((await postWebhook(t.url, delivery)).body).toEqual({ received: true, outcome: 'duplicate' });
  });

  it('a redelivery to another instance (nothing in its memory) is still duplicate, whatever the first outcome was', async () => {
    const id = newUserId();
    const applied = signedDelivery(secret, userEvent('user.created', clerkUser({ id, updatedAt: 1_700_000_001_000 })));
    const newer = signedDelivery(
      secret,
      userEvent('user.updated', clerkUser({ id, firstName: 'Newer', updatedAt: 1_700_000_002_000 })),
    );
    const stale = signedDelivery(
      secret,
      userEvent('user.updated', clerkUser({ id, firstName: 'Older', updatedAt: 1_700_000_000_000 })),
    );
    const ignored = signedDelivery(secret, {
      type: 'session.created',
      data: { id: 'sess_1', user_id: id },
      object: 'event',
    });
    const firstOutcomes = [];
    for (const delivery of [applied, newer, stale, ignored])
      firstOutcomes.push((await postWebhook(t.url, delivery)).body.outcome);
    expect(firstOutcomes).toEqual(['applied', 'applied', 'stale', 'ignored']);

    const other = await startTestApp('webhooks-other', { CLERK_WEBHOOK_SIGNING_SECRET: secret }, { dbUri: t.dbUri });
    try {
      for (const delivery of [applied, newer, stale, ignored]) {
        expect((await postWebhook(other.url, delivery)).body).toEqual({ received: true, outcome: 'duplicate' });
      }
    } finally {
      await other.close({ keepDatabase: true });
    }
    expect(await storedUser(id)).toMatchObject({ firstName: 'Newer', clerkUpdatedAt: 1_700_000_002_000 });
  });

  it('never lets a Clerk event change the app-owned favourite colour', async () => {
    const user = clerkUser();
    await send(userEvent('user.created', user));
    await updateStoredUser(t.dbUri, user.id, { $set: { favoriteColor: 'GREEN' } });
    const update = clerkUser({
      id: user.id,
      updatedAt: user.updated_at + 1000,
      extra: { favoriteColor: 'RED', favorite_color: 'BLUE' },
    });
    expect((await send(userEvent('user.updated', update))).body.outcome).toBe('applied');
    expect((await storedUser(user.id))!.favoriteColor).toBe('GREEN');
  });
});

describe('ordering and deletion', () => {
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
      const response = await send(events[type]);
      expect(response.status).toBe(200);
      outcomes.push(response.body.outcome);
    }
    // Everything after the deletion is refused as stale: deleted stays deleted.
    expect(outcomes.slice(order.indexOf('user.deleted') + 1).every((outcome) => outcome === 'stale')).toBe(true);
    await expectTombstone(id);
    await expectNoPersonalDataLeft(created, updated);
  });

  it.each([
    ['created then updated', ['user.created', 'user.updated']],
    ['updated then created', ['user.updated', 'user.created']],
  ])('%s ends with the updated version', async (_, order) => {
    const id = newUserId();
    const created = clerkUser({ id, firstName: 'First' });
    const updated = clerkUser({ id, firstName: 'Second', updatedAt: created.updated_at + 1 });
    const versions: Record<string, unknown> = {
      'user.created': userEvent('user.created', created),
      'user.updated': userEvent('user.updated', updated),
    };
    for (const type of order) await send(versions[type]);
    expect(await storedUser(id)).toMatchObject({ firstName: 'Second', clerkUpdatedAt: updated.updated_at });
  });

  it('a replayed creation after the deletion does not bring the user back', async () => {
    const user = clerkUser();
    const creation = signedDelivery(secret, userEvent('user.created', user));
    await postWebhook(t.url, creation);
    expect((await send(deletedEvent(user.id))).body.outcome).toBe('applied');
    expect((await postWebhook(t.url, creation)).body.outcome).toBe('duplicate');
    const replayedLater = clerkUser({ ...user, id: user.id, updatedAt: user.updated_at + 60_000 });
    expect((await send(userEvent('user.updated', replayedLater))).body.outcome).toBe('stale');
    await expectTombstone(user.id);
  });

  it('a second deletion of the same user is stale', async () => {
    const id = newUserId();
    expect((await send(deletedEvent(id))).body.outcome).toBe('applied');
    expect((await send(deletedEvent(id))).body.outcome).toBe('stale');
  });
});

describe('concurrency', () => {
  it('the same delivery 20 times at once has one effect: one applied, the rest duplicate', async () => {
    const user = clerkUser();
    const delivery = signedDelivery(secret, userEvent('user.created', user));
    const responses = await Promise.all(Array.from({ length: 20 }, () => postWebhook(t.url, delivery)));
    const outcomes = responses.map((response) => response.body.outcome).sort();
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(19);
    expect(await userCount(t.dbUri, { _id: user.id })).toBe(1);
    // An applied delivery is kept on the user it changed, in the same write: no second record.
    expect((await storedUser(user.id))!.writers).toEqual([delivery.headers['svix-id']]);
    expect(await deliveryCount(t.dbUri, { _id: delivery.headers['svix-id'] })).toBe(0);
  });

  it('20 versions of one user delivered at once in random order: the newest wins', async () => {
    const id = newUserId();
    const versions = Array.from({ length: 20 }, (_, index) =>
      clerkUser({ id, firstName: `Version ${index}`, updatedAt: 1_700_000_000_000 + index * 1000 }),
    );
    const shuffled = [...versions].sort(() => Math.random() - 0.5);
    const responses = await Promise.all(shuffled.map((version) => send(userEvent('user.updated', version))));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(await storedUser(id)).toMatchObject({ firstName: 'Version 19', clerkUpdatedAt: versions[19].updated_at });
    expect(responses.filter((response) => response.body.outcome === 'applied').length).toBeGreaterThanOrEqual(1);
  });
});

describe('bad input gets a 4xx and changes nothing', () => {
  async function expectUnchanged(run: () => Promise<{ status: number; body: any }>, status: number, message?: RegExp) {
    const before = JSON.stringify(await dumpDatabase(t.dbUri));
    const response = await run();
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    if (message) expect(response.body.message).toMatch(message);
    expect(JSON.stringify(await dumpDatabase(t.dbUri))).toBe(before);
    return response;
  }
  const validDelivery = () => signedDelivery(secret, userEvent('user.created', clerkUser()));

  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('missing %s: 400', async (header) => {
    const delivery = validDelivery();
    delete delivery.headers[header];
    await expectUnchanged(() => postWebhook(t.url, delivery), 400, new RegExp(header));
  });

  it('a signature made with another secret: 400, with no svix internals', async () => {
    const response = await expectUnchanged(
      () => postWebhook(t.url, signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()))),
      400,
    );
    expect(response.body.message).not.toMatch(/No matching signature|WebhookVerificationError/);
  });

  it('the body changed by one byte: 400', async () => {
    const delivery = validDelivery();
    const body = Buffer.from(delivery.body);
    body[body.indexOf('Ada')] = 'E'.charCodeAt(0);
    await expectUnchanged(() => postWebhook(t.url, { ...delivery, body }), 400);
  });

  it.each([
    ['6 minutes old', -6],
    ['6 minutes ahead', 6],
  ])('a timestamp %s: 400', async (_, minutes) => {
    const timestamp = new Date(Date.now() + minutes * 60_000);
    await expectUnchanged(
      () => postWebhook(t.url, signedDelivery(secret, userEvent('user.created', clerkUser()), { timestamp })),
      400,
    );
  });

  it('a delivery signed with the second configured secret is accepted (rotation)', async () => {
    const user = clerkUser();
    const response = await postWebhook(t.url, signedDelivery(rotatedSecret, userEvent('user.created', user)));
    expect(response.body).toEqual({ received: true, outcome: 'applied' });
    expect(await storedUser(user.id)).not.toBeNull();
  });

  it('a signed body that is not JSON: 400', async () => {
    await expectUnchanged(
      () => postWebhook(t.url, signedDelivery(secret, '{"type": "user.created", data: nope')),
      400,
      /JSON/,
    );
  });

  it('a 2 MiB body: 413', async () => {
    const user = clerkUser({ extra: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    await expectUnchanged(() => postWebhook(t.url, signedDelivery(secret, userEvent('user.created', user))), 413);
  });

  it.each([
    ['user.created without data.id', userEvent('user.created', { ...clerkUser(), id: undefined })],
    ['user.updated with an operator object as id', userEvent('user.updated', { ...clerkUser(), id: { $ne: null } })],
    ['user.deleted without data.id', { type: 'user.deleted', data: { deleted: true }, object: 'event' }],
    ['an event without data', { type: 'user.created', object: 'event' }],
    ['an event without type', { data: clerkUser(), object: 'event' }],
  ])('%s: 422', async (_, payload) => {
    await expectUnchanged(() => send(payload), 422);
  });

  it('an unknown event type: 200 ignored, and no user is written', async () => {
    const before = await userCount(t.dbUri);
    const response = await send({
      type: 'session.created',
      data: { id: 'sess_1', user_id: newUserId() },
      object: 'event',
    });
    expect(response.body).toEqual({ received: true, outcome: 'ignored' });
    expect(await userCount(t.dbUri)).toBe(before);
  });

  it('$-prefixed keys and __proto__ in the payload are data, never operators', async () => {
    const id = newUserId();
    const user = clerkUser({ id, firstName: '$set', lastName: '{"$gt": ""}', username: '__proto__' });
    const json = JSON.stringify(userEvent('user.created', user)).replace(
      '"object":"user"',
      '"object":"user","$set":{"favoriteColor":"RED","deletedAt":"2020-01-01"},"__proto__":{"polluted":true},"$where":"sleep(1000)","public_metadata":{"$inc":{"x":1}}',
    );
    const response = await send(json);
    expect(response.body).toEqual({ received: true, outcome: 'applied' });
    const doc = await storedUser(id);
    expect(doc).toMatchObject({ firstName: '$set', lastName: '{"$gt": ""}', username: '__proto__' });
    expect(doc!.deletedAt ?? null).toBeNull();
    expect(Object.keys(doc!).some((key) => key.startsWith('$') || key === 'polluted')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
