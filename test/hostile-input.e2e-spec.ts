import { ClerkTestBed } from './support/clerk-test-bed';
import { dumpDatabase, storedUser } from './support/database';
import { postWebhook, request } from './support/http';
import { mintToken, sessionClaims } from './support/tokens';
import { clerkUser, deletedEvent, newUserId, newWebhookSecret, signedDelivery, userEvent } from './support/webhooks';

/**
 * Classes of hostile or odd input, each with real signatures and real tokens: every one gets a
 * 4xx that says what is wrong in the client's terms, changes nothing, and leaves the process
 * healthy.
 */
const bed = ClerkTestBed.use('hostile');
const { key, secret, clerk } = bed;

const send = (payload: unknown, options?: { svixId?: string }) =>
  postWebhook(bed.app.url, signedDelivery(secret, payload, options));
const knownUser = () => {
  const user = clerkUser();
  clerk.putUser(user);
  return user;
};
const authorized = (userId: string) => ({ authorization: `Bearer ${mintToken(key, sessionClaims(userId))}` });
const patchMe = (userId: string, body: string) =>
  request(`${bed.app.url}/me`, {
    method: 'PATCH',
    headers: { ...authorized(userId), 'content-type': 'application/json' },
    body,
  });
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Runs `act`, expects the status and message, and that the database is exactly as before. */
async function expectRefusedUnchanged(
  act: () => Promise<{ status: number; body: any }>,
  status: number,
  message: RegExp,
) {
  const before = JSON.stringify(await dumpDatabase(bed.app.dbUri));
  const response = await act();
  expect(response).toMatchObject({ status, body: { statusCode: status, message: expect.stringMatching(message) } });
  expect(JSON.stringify(await dumpDatabase(bed.app.dbUri))).toBe(before);
  expect((await request(`${bed.app.url}/health/live`)).status).toBe(200);
}

describe('JSON nested without bound', () => {
  const TOO_DEEP = /^The request body nests deeper than 64 levels$/;

  it.each([
    ['arrays', nestedArrays(5_000)],
    ['objects', nestedObjects(5_000)],
    ['a value inside an allowed field', `{"favoriteColor":${nestedArrays(3_000)}}`],
  ])('PATCH /me with %s thousands deep: 400 naming the problem', async (_, body) => {
    const user = knownUser();
    expect((await request(`${bed.app.url}/me`, { headers: authorized(user.id) })).status).toBe(200);
    await expectRefusedUnchanged(() => patchMe(user.id, body), 400, TOO_DEEP);
    expect((await patchMe(user.id, '{"favoriteColor":"RED"}')).status).toBe(200);
  });

  it('a signed webhook nested thousands deep: 400, after the signature is checked', async () => {
    const user = clerkUser();
    const body = JSON.stringify(userEvent('user.created', user)).replace(
      '"public_metadata":{}',
      `"public_metadata":{"x":${nestedArrays(5_000)}}`,
    );
    await expectRefusedUnchanged(() => postWebhook(bed.app.url, signedDelivery(secret, body)), 400, TOO_DEEP);
    expect(await storedUser(bed.app.dbUri, user.id)).toBeNull();
  });

  it('depth within the bound is fine', async () => {
    const user = clerkUser({ extra: { public_metadata: JSON.parse(nestedObjects(40)) } });
    expect((await send(userEvent('user.created', user))).body.outcome).toBe('applied');
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
    await expectRefusedUnchanged(() => send(userEvent('user.created', user)), 422, message);
  });

  it('a user without updated_at: 422 naming it (the envelope timestamp never stands in for it)', async () => {
    const { updated_at: _, ...user } = clerkUser();
    const event = { ...userEvent('user.created', user), timestamp: Date.now() };
    await expectRefusedUnchanged(() => send(event), 422, /^user\.created: data\.updated_at is missing$/);
  });

  it('user.deleted with an id of 10 kB: 422 naming data.id', async () => {
    const event = deletedEvent(`user_${'x'.repeat(10_240)}`);
    await expectRefusedUnchanged(() => send(event), 422, /^user\.deleted: data\.id must be a Clerk user id/);
  });

  it('a refused out-of-range version does not freeze the user: a genuine update still applies', async () => {
    const id = newUserId();
    expect((await send(userEvent('user.created', clerkUser({ id, updatedAt: 1_700_000_000_000 })))).status).toBe(200);
    expect(
      (await send(userEvent('user.updated', clerkUser({ id, firstName: 'Frozen', updatedAt: 1e308 })))).status,
    ).toBe(422);
    const genuine = clerkUser({ id, firstName: 'Genuine', updatedAt: Date.now() });
    expect((await send(userEvent('user.updated', genuine))).body.outcome).toBe('applied');
    expect(await storedUser(bed.app.dbUri, id)).toMatchObject({ firstName: 'Genuine' });
  });
});

describe('messages in the client’s terms', () => {
  it('PATCH /me with a __proto__ key names the forbidden key', async () => {
    const user = knownUser();
    await expectRefusedUnchanged(
      () => patchMe(user.id, '{"favoriteColor":"RED","__proto__":{"admin":true}}'),
      400,
      /^The request body has a forbidden key \(__proto__ or constructor\.prototype\)$/,
    );
  });

  it('an Authorization header that is not "Bearer <token>" says so', async () => {
    for (const header of ['Bearer a b', 'Basic dXNlcjpwYXNz', 'Bearer']) {
      expect(await request(`${bed.app.url}/me`, { headers: { authorization: header } })).toMatchObject({
        status: 401,
        body: { statusCode: 401, message: 'The Authorization header must be "Bearer <session token>"' },
      });
    }
  });

  it('the rate limit says what the limit is, not the library', async () => {
    const user = knownUser();
    let limited;
    for (let i = 0; i < 61; i++) limited = await patchMe(user.id, '{"favoriteColor":"GREEN"}');
    expect(limited).toMatchObject({
      status: 429,
      body: {
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Too many changes: at most 60 a minute for one user; try again later',
      },
    });
  });

  it('a svix-id that is not a short printable id: 400, nothing recorded', async () => {
    for (const svixId of [`msg_${'a'.repeat(300)}`, 'msg with spaces']) {
      await expectRefusedUnchanged(
        () => send(userEvent('user.created', clerkUser()), { svixId }),
        400,
        /^svix-id must be at most 256 printable ASCII characters$/,
      );
    }
  });

  it('a bad signature and a stale timestamp are told apart', async () => {
    const other = signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()));
    expect((await postWebhook(bed.app.url, other)).body.message).toBe(
      'The webhook signature matches none of the configured secrets',
    );
    const old = signedDelivery(secret, userEvent('user.created', clerkUser()), {
      timestamp: new Date(Date.now() - 10 * 60_000),
    });
    expect((await postWebhook(bed.app.url, old)).body.message).toBe(
      "The svix-timestamp is outside Svix's tolerance of 5 minutes",
    );
  });
});
