import { ClerkTestBed } from '../support/clerk-test-bed';
import { userCount } from '../support/database';
import {
  clerkUser,
  deletedEvent,
  nestedJson,
  newUserId,
  newWebhookSecret,
  signedDelivery,
  userEvent,
} from '../support/payloads';

/**
 * What a delivery must be to be taken: Svix's headers and a signature over the exact bytes (any
 * configured secret), a timestamp within tolerance, then Clerk JSON the service can use. Every
 * refusal is a 4xx that says what is wrong in the sender's terms and changes nothing.
 */
const rotatedSecret = newWebhookSecret();
const bed = ClerkTestBed.use('verification', (bed) => ({
  CLERK_WEBHOOK_SIGNING_SECRET: `${bed.secret}, ${rotatedSecret}`,
}));
const validDelivery = () => signedDelivery(bed.secret, userEvent('user.created', clerkUser()));

describe('bad input gets a 4xx and changes nothing', () => {
  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('missing %s: 400', async (header) => {
    const delivery = validDelivery();
    delete delivery.headers[header];
    await bed.expectRefusedUnchanged(() => bed.postDelivery(delivery), 400, new RegExp(header));
  });

  it('a signature made with another secret: 400, with no svix internals', async () => {
    const response = await bed.expectRefusedUnchanged(
      () => bed.postDelivery(signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()))),
      400,
    );
    expect(response.body.message).not.toMatch(/No matching signature|WebhookVerificationError/);
  });

  it('the body changed by one byte: 400', async () => {
    const delivery = validDelivery();
    const body = Buffer.from(delivery.body);
    body[body.indexOf('Ada')] = 'E'.charCodeAt(0);
    await bed.expectRefusedUnchanged(() => bed.postDelivery({ ...delivery, body }), 400);
  });

  it.each([
    ['6 minutes old', -6],
    ['6 minutes ahead', 6],
  ])('a timestamp %s: 400', async (_, minutes) => {
    const timestamp = new Date(Date.now() + minutes * 60_000);
    await bed.expectRefusedUnchanged(
      () => bed.postDelivery(signedDelivery(bed.secret, userEvent('user.created', clerkUser()), { timestamp })),
      400,
    );
  });

  it('a delivery signed with the second configured secret is accepted (rotation)', async () => {
    const user = clerkUser();
    const response = await bed.postDelivery(signedDelivery(rotatedSecret, userEvent('user.created', user)));
    expect(response.body).toEqual({ received: true, outcome: 'applied' });
    expect(await bed.storedUser(user.id)).not.toBeNull();
  });

  it('a signed body that is not JSON: 400', async () => {
    await bed.expectRefusedUnchanged(
      () => bed.postDelivery(signedDelivery(bed.secret, '{"type": "user.created", data: nope')),
      400,
      /JSON/,
    );
  });

  it('a 2 MiB body: 413', async () => {
    const user = clerkUser({ extra: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    await bed.expectRefusedUnchanged(
      () => bed.postDelivery(signedDelivery(bed.secret, userEvent('user.created', user))),
      413,
    );
  });

  it.each([
    ['user.created without data.id', userEvent('user.created', { ...clerkUser(), id: undefined })],
    ['user.updated with an operator object as id', userEvent('user.updated', { ...clerkUser(), id: { $ne: null } })],
    ['user.deleted without data.id', { type: 'user.deleted', data: { deleted: true }, object: 'event' }],
    ['an event without data', { type: 'user.created', object: 'event' }],
    ['an event without type', { data: clerkUser(), object: 'event' }],
  ])('%s: 422', async (_, payload) => {
    await bed.expectRefusedUnchanged(() => bed.postWebhook(payload), 422);
  });

  it('an unknown event type: 200 ignored, and no user is written', async () => {
    const before = await userCount(bed.app.dbUri);
    const response = await bed.postWebhook({
      type: 'session.created',
      data: { id: 'sess_1', user_id: newUserId() },
      object: 'event',
    });
    expect(response.body).toEqual({ received: true, outcome: 'ignored' });
    expect(await userCount(bed.app.dbUri)).toBe(before);
  });
  it('a svix-id that is not a short printable id: 400, nothing recorded', async () => {
    for (const svixId of [`msg_${'a'.repeat(300)}`, 'msg with spaces']) {
      await bed.expectRefusedUnchanged(
        () => bed.postWebhook(userEvent('user.created', clerkUser()), { svixId }),
        400,
        /^svix-id must be at most 256 printable ASCII characters$/,
      );
    }
  });

  it('a bad signature and a stale timestamp are told apart', async () => {
    const other = signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()));
    expect((await bed.postDelivery(other)).body.message).toBe(
      'The webhook signature matches none of the configured secrets',
    );
    const old = signedDelivery(bed.secret, userEvent('user.created', clerkUser()), {
      timestamp: new Date(Date.now() - 10 * 60_000),
    });
    expect((await bed.postDelivery(old)).body.message).toBe(
      "The svix-timestamp is outside Svix's tolerance of 5 minutes",
    );
  });
});

describe('JSON nested without bound', () => {
  const TOO_DEEP = /^The request body nests deeper than 64 levels$/;

  it('a signed webhook nested thousands deep: 400, after the signature is checked', async () => {
    const user = clerkUser();
    const body = JSON.stringify(userEvent('user.created', user)).replace(
      '"public_metadata":{}',
      `"public_metadata":{"x":${nestedJson(5_000, 'arrays')}}`,
    );
    await bed.expectRefusedUnchanged(() => bed.postDelivery(signedDelivery(bed.secret, body)), 400, TOO_DEEP);
    expect(await bed.storedUser(user.id)).toBeNull();
  });

  it('depth within the bound is fine', async () => {
    const user = clerkUser({ extra: { public_metadata: JSON.parse(nestedJson(40, 'objects')) } });
    expect((await bed.postWebhook(userEvent('user.created', user))).body.outcome).toBe('applied');
  });
});

describe('numbers and ids out of range in verified events', () => {
  const day = 24 * 60 * 60 * 1000;
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['created_at 1e20', { created_at: 1e20 }, /data\.created_at must be whole epoch milliseconds between 2015-01-01/],
    ['updated_at 1e308', { updated_at: 1e308 }, /data\.updated_at must be whole epoch milliseconds between/],
    ['updated_at -5', { updated_at: -5 }, /data\.updated_at must be whole epoch milliseconds between/],
    [
      'updated_at in seconds',
      { updated_at: 1_700_000_000 },
      /data\.updated_at must be whole epoch milliseconds between/,
    ],
    [
      'updated_at two days ahead',
      { updated_at: Date.now() + 2 * day },
      /data\.updated_at must be whole epoch milliseconds between/,
    ],
    [
      'updated_at with a fraction',
      { updated_at: 1_700_000_000_000.5 },
      /data\.updated_at must be whole epoch milliseconds/,
    ],
    [
      'an id of 10 kB',
      { id: `user_${'a'.repeat(10_240)}` },
      /data\.id must be a Clerk user id \(user_\.\.\.\) of at most 64/,
    ],
    ['an id of another kind', { id: 'org_2abc' }, /data\.id must be a Clerk user id \(user_\.\.\.\)$/],
    ['an id with an operator', { id: 'user_$gt' }, /data\.id must be a Clerk user id/],
  ])('user.created with %s: 422 naming the field, nothing stored', async (_, fields, message) => {
    const user = { ...clerkUser(), ...fields };
    await bed.expectRefusedUnchanged(() => bed.postWebhook(userEvent('user.created', user)), 422, message);
  });

  it('a user without updated_at: 422 naming it (the envelope timestamp never stands in for it)', async () => {
    const { updated_at: _, ...user } = clerkUser();
    const event = { ...userEvent('user.created', user), timestamp: Date.now() };
    await bed.expectRefusedUnchanged(() => bed.postWebhook(event), 422, /^user\.created: data\.updated_at is missing$/);
  });

  it('user.deleted with an id of 10 kB: 422 naming data.id', async () => {
    const event = deletedEvent(`user_${'x'.repeat(10_240)}`);
    await bed.expectRefusedUnchanged(
      () => bed.postWebhook(event),
      422,
      /^user\.deleted: data\.id must be a Clerk user id/,
    );
  });

  it('a refused out-of-range version does not freeze the user: a genuine update still applies', async () => {
    const id = newUserId();
    expect(
      (await bed.postWebhook(userEvent('user.created', clerkUser({ id, updatedAt: 1_700_000_000_000 })))).status,
    ).toBe(200);
    expect(
      (await bed.postWebhook(userEvent('user.updated', clerkUser({ id, firstName: 'Frozen', updatedAt: 1e308 }))))
        .status,
    ).toBe(422);
    const genuine = clerkUser({ id, firstName: 'Genuine', updatedAt: Date.now() });
    expect((await bed.postWebhook(userEvent('user.updated', genuine))).body.outcome).toBe('applied');
    expect(await bed.storedUser(id)).toMatchObject({ firstName: 'Genuine' });
  });
});
