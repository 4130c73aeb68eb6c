import { request as httpRequest } from 'node:http';
import { MAX_ERROR_MESSAGE } from '../../src/http/error-message';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { storedUser } from '../support/database';
import { postWebhook, request } from '../support/http';
import { mintToken, sessionClaims } from '../support/tokens';
import { clerkUser, signedDelivery, userEvent } from '../support/payloads';

/**
 * Bounded work per request: a body with more keys or items than any the service takes is refused
 * before anything walks it (PATCH /me, and webhooks once their signature verifies), quickly and
 * with a message that names the limit, while the event loop stays free; error messages stay
 * short; headers are bounded by Node's 16 KiB.
 */
const bed = ClerkTestBed.use('body_limits');
const { key, secret, clerk } = bed;

const keys = (count: number, width = 6) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${String(i).padStart(width, '0')}`, 1]));
const authorized = (userId: string) => ({ authorization: `Bearer ${mintToken(key, sessionClaims(userId))}` });
const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};
const knownUser = async () => {
  const user = clerkUser();
  clerk.putUser(user);
  expect((await request(`${bed.app.url}/me`, { headers: authorized(user.id) })).status).toBe(200);
  return user;
};

it('PATCH /me with 90,000 unknown keys (979 kB): 400 within 100 ms, and /health/live within 100 ms meanwhile', async () => {
  const user = await knownUser();
  const body = JSON.stringify(keys(90_000, 5));
  expect(body.length).toBeGreaterThan(900_000);
  // Warm the route so the figure is the request's own cost.
  await request(`${bed.app.url}/health/live`);
  const attempt = () =>
    Promise.all([
      timed(() =>
        request(`${bed.app.url}/me`, {
          method: 'PATCH',
          headers: { ...authorized(user.id), 'content-type': 'application/json' },
          body,
        }),
      ),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() => timed(() => request(`${bed.app.url}/health/live`))),
    ]);
  // The best of three: a busy machine can stall one attempt, but work that grows with the body
  // (8-11 s for this one before) would stall all three.
  const attempts = [await attempt(), await attempt(), await attempt()];
  for (const [patch, live] of attempts) {
    expect(patch.result).toMatchObject({
      status: 400,
      body: { statusCode: 400, message: 'The request body has an object with more than 32 keys' },
    });
    expect(live.result.status).toBe(200);
  }
  expect(Math.min(...attempts.map(([patch]) => patch.ms))).toBeLessThan(100);
  expect(Math.min(...attempts.map(([, live]) => live.ms))).toBeLessThan(100);
  expect(await storedUser(bed.app.dbUri, user.id)).toMatchObject({ favoriteColor: expect.any(String) });
});

it.each([
  [
    'an array of 100 items',
    JSON.stringify({ favoriteColor: Array.from({ length: 100 }, () => 'RED') }),
    /array of more than 32 items/,
  ],
  [
    '300 keys nested in objects of 30',
    JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`o${i}`, keys(29)]))),
    /more than 256 keys and array items in all/,
  ],
])('PATCH /me with %s: 400 naming the limit', async (_, body, message) => {
  const user = await knownUser();
  const response = await request(`${bed.app.url}/me`, {
    method: 'PATCH',
    headers: { ...authorized(user.id), 'content-type': 'application/json' },
    body,
  });
  expect(response).toMatchObject({ status: 400, body: { message: expect.stringMatching(message) } });
});

it(`an error message is at most ${MAX_ERROR_MESSAGE} characters, even naming 30 long unknown fields`, async () => {
  const user = await knownUser();
  const body = JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${'x'.repeat(200)}${i}`, 1])));
  const response = await request(`${bed.app.url}/me`, {
    method: 'PATCH',
    headers: { ...authorized(user.id), 'content-type': 'application/json' },
    body,
  });
  expect(response.status).toBe(400);
  expect(response.body.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
  expect(response.body.message).toMatch(/should not exist/);
});

it('a signed webhook whose metadata has 90,000 keys: 400 after the signature is checked, nothing stored', async () => {
  const user = clerkUser({ extra: { public_metadata: keys(90_000, 5) } });
  const delivery = signedDelivery(secret, userEvent('user.created', user));
  const { result, ms } = await timed(() => postWebhook(bed.app.url, delivery));
  expect(result).toMatchObject({
    status: 400,
    body: { statusCode: 400, message: 'The request body has an object with more than 5000 keys' },
  });
  // Counted on the text, never walked (a generous bound: the signature over 1 MB is checked first).
  expect(ms).toBeLessThan(1_000);
  expect(await storedUser(bed.app.dbUri, user.id)).toBeNull();
  // Unsigned, the same body is refused for its signature: nothing is counted before that.
  const forged = await postWebhook(bed.app.url, {
    ...delivery,
    headers: { ...delivery.headers, 'svix-signature': 'v1,AAAA' },
  });
  expect(forged.body.message).toMatch(/signature/);
});

it('a webhook with generous metadata (2,000 keys) is still taken', async () => {
  const user = clerkUser({ extra: { public_metadata: keys(2_000) } });
  expect((await postWebhook(bed.app.url, signedDelivery(secret, userEvent('user.created', user)))).body).toEqual({
    received: true,
    outcome: 'applied',
  });
});

it('headers: 1,500 cookies in 11 kB are answered 401 at once; over 16 KiB is 431', async () => {
  const cookie = Array.from({ length: 1_500 }, (_, i) => `c${i}=v`).join('; ');
  const { result, ms } = await timed(() => request(`${bed.app.url}/me`, { headers: { cookie } }));
  expect(result.status).toBe(401);
  expect(ms).toBeLessThan(100);
  const status = await new Promise<number>((resolve, reject) => {
    const outgoing = httpRequest(`${bed.app.url}/me`, { headers: { cookie: 'a=' + 'x'.repeat(17_000) } });
    outgoing.on('response', (response) => resolve(response.statusCode ?? 0)).on('error', reject);
    outgoing.end();
  });
  expect(status).toBe(431);
});
