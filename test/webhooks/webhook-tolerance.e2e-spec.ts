import { ClerkTestBed } from '../support/clerk-test-bed';
import { StoredDocument, storedUser, withClient } from '../support/database';
import { postWebhook, request } from '../support/http';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  newSvixId,
  signedDelivery,
  userEvent,
} from '../support/payloads';

/**
 * Strict where the service relies on a field, tolerant elsewhere: a verified event of a type the
 * service does not sync is acknowledged whatever its data holds, the envelope timestamp may be in
 * seconds or milliseconds (or unusable: the lag metric skips it), and both header families verify.
 */
const bed = ClerkTestBed.use('webhook-tolerance');
const send = (payload: unknown) => postWebhook(bed.app.url, signedDelivery(bed.secret, payload));
const clerkObjects = () =>
  withClient(bed.app.dbUri, async (client) =>
    JSON.stringify(
      await Promise.all(
        ['users', 'organizations', 'organization_memberships'].map((name) =>
          client.db().collection<StoredDocument>(name).find().sort({ _id: 1 }).toArray(),
        ),
      ),
    ),
  );

/** The lag histogram's count and sum, as GET /metrics shows them. */
async function lagMetric(): Promise<{ count: number; sum: number }> {
  const text = (await request<string>(`${bed.app.url}/metrics`)).body;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { count: value('clerk_webhook_lag_seconds_count'), sum: value('clerk_webhook_lag_seconds_sum') };
}

describe('a type the service does not sync', () => {
  it.each([
    ['data null', { type: 'session.created', data: null }],
    ['data a string', { type: 'email.created', data: 'not an object' }],
    ['data an array', { type: 'role.updated', data: [1, 2, 3] }],
    ['no data at all', { type: 'waitlistEntry.created' }],
    ['data with a numeric id', { type: 'organizationInvitation.accepted', data: { id: 42 } }],
    ['a type nobody has heard of, and no timestamp', { type: 'future.thing', data: { anything: true } }],
    ['a timestamp that is text', { type: 'sms.created', data: {}, timestamp: 'yesterday' }],
  ])('%s: 200 ignored, nothing stored', async (_, event) => {
    const before = await clerkObjects();
    expect(await send({ object: 'event', ...event })).toMatchObject({
      status: 200,
      body: { received: true, outcome: 'ignored' },
    });
    expect(await clerkObjects()).toBe(before);
  });

  it('an envelope without a type string: 422 naming it, nothing stored', async () => {
    const before = await clerkObjects();
    for (const [event, message] of [
      [{ data: {} }, /body\.type is missing/],
      [{ type: 42, data: {} }, /body\.type must be a string/],
      [{ type: '', data: {} }, /body\.type must not be empty/],
    ] as const) {
      const response = await send(event);
      expect(response).toMatchObject({ status: 422, body: { message: expect.stringMatching(message) } });
    }
    expect(await clerkObjects()).toBe(before);
  });
});

describe('the envelope timestamp: only the lag metric reads it', () => {
  it('seconds, milliseconds, missing or unusable: the user is applied; the lag counts only usable ones, scaled', async () => {
    const before = await lagMetric();
    const timestamps: [unknown, boolean][] = [
      [Math.floor(Date.now() / 1000), true],
      [Date.now(), true],
      [undefined, false],
      [null, false],
      ['2024-05-28T00:00:00Z', false],
      [1e20, false],
      [-5, false],
      [Date.now() + 7 * 24 * 3600 * 1000, false],
    ];
    for (const [timestamp, _] of timestamps) {
      const user = clerkUser({ updatedAt: Date.now() });
      const response = await send({ ...userEvent('user.created', user), timestamp });
      expect({ timestamp, outcome: response.body.outcome }).toEqual({ timestamp, outcome: 'applied' });
      expect(await storedUser(bed.app.dbUri, user.id)).toMatchObject({ clerkUpdatedAt: user.updated_at });
    }
    const after = await lagMetric();
    expect(after.count - before.count).toBe(timestamps.filter(([, usable]) => usable).length);
    // Seconds read as milliseconds would be a lag of decades; both are seconds here.
    expect(after.sum - before.sum).toBeLessThan(60);
  });
});

describe('synced types stay strict on what identity and ordering need', () => {
  const { id: _, ...userWithoutId } = clerkUser();
  const { updated_at: __, ...userWithoutVersion } = clerkUser();
  const organization = clerkOrganization();
  const membership = clerkMembership({ userId: clerkUser().id, organization });
  it.each([
    ['user.created without data.id', userEvent('user.created', userWithoutId), /^user\.created: data\.id is missing$/],
    [
      'user.updated without data.updated_at',
      userEvent('user.updated', userWithoutVersion),
      /^user\.updated: data\.updated_at is missing$/,
    ],
    [
      'user.updated with updated_at in seconds',
      userEvent('user.updated', { ...clerkUser(), updated_at: Math.floor(Date.now() / 1000) }),
      /^user\.updated: data\.updated_at must be whole epoch milliseconds/,
    ],
    [
      'organization.updated with updated_at as text',
      { type: 'organization.updated', data: { ...organization, updated_at: 'now' } },
      /^organization\.updated: data\.updated_at must be a number/,
    ],
    [
      'organizationMembership.created without data.id',
      { type: 'organizationMembership.created', data: { ...membership, id: undefined } },
      /^organizationMembership\.created: data\.id is missing$/,
    ],
  ])('%s: 422 naming the field, nothing stored', async (_, event, message) => {
    const before = await clerkObjects();
    const response = await send({ ...event, timestamp: Math.floor(Date.now() / 1000) });
    expect(response).toMatchObject({ status: 422, body: { statusCode: 422, message: expect.stringMatching(message) } });
    expect(await clerkObjects()).toBe(before);
  });
});

describe('Standard Webhooks header names', () => {
  /** The same signed delivery under the webhook-* names. */
  const standard = (payload: unknown, svixId = newSvixId()) => {
    const { headers, body } = signedDelivery(bed.secret, payload, { svixId });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': headers['svix-id'],
        'webhook-timestamp': headers['svix-timestamp'],
        'webhook-signature': headers['svix-signature'],
      },
    };
  };

  it('verify through the svix package: applied, then duplicate for a redelivery of the same webhook-id', async () => {
    const user = clerkUser({ updatedAt: Date.now() });
    const delivery = standard(userEvent('user.created', user));
    expect((await postWebhook(bed.app.url, delivery)).body).toEqual({ received: true, outcome: 'applied' });
    expect((await postWebhook(bed.app.url, delivery)).body).toEqual({ received: true, outcome: 'duplicate' });
    expect(await storedUser(bed.app.dbUri, user.id)).toMatchObject({ writers: [delivery.headers['webhook-id']] });
  });

  it('a bad signature or a missing header is refused as under the svix-* names', async () => {
    const delivery = standard(userEvent('user.created', clerkUser()));
    const forged = { ...delivery, headers: { ...delivery.headers, 'webhook-signature': 'v1,Zm9yZ2Vk' } };
    expect((await postWebhook(bed.app.url, forged)).status).toBe(400);
    const { 'webhook-signature': _, ...unsigned } = delivery.headers;
    expect(await postWebhook(bed.app.url, { ...delivery, headers: unsigned })).toMatchObject({
      status: 400,
      body: { message: 'Missing Svix header(s): svix-signature (or webhook-signature)' },
    });
  });
});
