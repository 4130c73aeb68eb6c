import { randomBytes } from 'node:crypto';
import { mapLimited } from '../../src/common/map-limited';
import { startTestApp, TestApp } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { withClient } from '../support/database';
import { request } from '../support/http';
import { clerkUser } from '../support/payloads';
import { createSigningKey, mintToken, SigningKey, sessionClaims } from '../support/tokens';

/**
 * Without CLERK_JWT_KEY, session tokens are checked against Clerk's JWKS as Clerk publishes it
 * now: a fetch replaces the known keys, tokens with unknown kids fetch at most once per few
 * seconds for the whole process, failed fetches back off, and every fetch is counted in the key's
 * Backend API budget. The guard's other JWKS cases: guard.e2e-spec.ts.
 */
const clerk = new ClerkStandIn();
const [a, b] = [createSigningKey(), createSigningKey()];
const userId = clerkUser().id;
let t: TestApp;

beforeAll(async () => {
  await clerk.start();
  clerk.putUser(clerkUser({ id: userId }));
  t = await startTestApp('jwks_refresh', { CLERK_SECRET_KEY: 'sk_test_jwks_refresh', CLERK_API_URL: clerk.url });
});
afterEach(() => clerk.reset());
afterAll(async () => {
  await t?.close();
  await clerk.stop();
});

const getMe = (token: string) => request(`${t.url}/me`, { headers: { authorization: `Bearer ${token}` } });
const tokenOf = (key: Pick<SigningKey, 'kid' | 'privateKey'>) => mintToken(key, sessionClaims(userId));
const junkKey = createSigningKey();
/** A token signed by a key nobody publishes, with a random kid. */
const junk = () => tokenOf({ ...junkKey, kid: `ins_${randomBytes(8).toString('hex')}` });
/** Waits out the interval between fetches for unknown kids. */
const pastTheInterval = () => new Promise((resolve) => setTimeout(resolve, 5_100));

it('a key Clerk retires is refused from the next fetch on, while junk kids keep arriving', async () => {
  clerk.jwks = [a.jwk, b.jwk];
  expect((await getMe(tokenOf(a))).status).toBe(200);
  clerk.retireKey(a.kid);
  await pastTheInterval();
  const fetches = clerk.calls.jwks;
  expect(await getMe(junk())).toMatchObject({ status: 401 });
  expect(clerk.calls.jwks).toBe(fetches + 1);
  const retired = await getMe(tokenOf(a));
  expect(retired.status).toBe(401);
  expect(retired.headers.get('x-clerk-auth-reason')).toBe('jwk-kid-mismatch');
  expect((await getMe(tokenOf(b))).status).toBe(200);
});

it('300 tokens with random kids make at most one JWKS fetch, and each is a 401', async () => {
  await pastTheInterval();
  const fetches = clerk.calls.jwks;
  const statuses = await mapLimited(
    Array.from({ length: 300 }, junk),
    16,
    async (token) => (await getMe(token)).status,
  );
  expect(statuses.filter((status) => status !== 401)).toEqual([]);
  expect(clerk.calls.jwks - fetches).toBeLessThanOrEqual(1);
});

it('with the JWKS answering 500, 20 unknown-kid requests make one fetch (no retries), then back off', async () => {
  await pastTheInterval();
  for (let i = 0; i < 100; i++) clerk.failures.push({ status: 500 });
  const fetches = clerk.calls.jwks;
  const answers = await mapLimited(Array.from({ length: 20 }, junk), 4, (token) => getMe(token));
  expect(clerk.calls.jwks - fetches).toBe(1);
  expect(answers.map(({ status }) => status).sort()).toEqual([...Array(19).fill(401), 503].sort());
  const unavailable = answers.find(({ status }) => status === 503)!;
  expect(unavailable.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  // Known keys keep working meanwhile.
  expect((await getMe(tokenOf(b))).status).toBe(200);
});

it('a rotation to a new kid is accepted at once, and the new kid then needs no fetch', async () => {
  await pastTheInterval();
  const rotated = createSigningKey();
  clerk.jwks = [b.jwk, rotated.jwk];
  expect((await getMe(tokenOf(rotated))).status).toBe(200);
  const fetches = clerk.calls.jwks;
  expect((await getMe(tokenOf(rotated))).status).toBe(200);
  expect(clerk.calls.jwks).toBe(fetches);
});

it('every request to Clerk, each JWKS fetch included, is counted in the key’s shared Backend API budget', async () => {
  const counted = () =>
    withClient(t.dbUri, async (client) => {
      const seconds = await client.db().collection<{ count: number }>('clerk_budget').find().toArray();
      return seconds.reduce((total, { count }) => total + count, 0);
    });
  expect(clerk.calls.jwks).toBeGreaterThan(3);
  expect(await counted()).toBe(clerk.calls.total);
  const metrics = await request(`${t.url}/metrics`);
  expect(metrics.body).toMatch(/clerk_backend_api_requests_total\{operation="getJwks",status="200"\} [1-9]/);
  expect(metrics.body).toMatch(/clerk_backend_api_requests_total\{operation="getJwks",status="500"\} 1/);
});

it('with the JWKS down at start and back later, tokens are 503 meanwhile and accepted once it is back', async () => {
  const fresh = new ClerkStandIn();
  await fresh.start();
  fresh.jwks = [a.jwk];
  fresh.putUser(clerkUser({ id: userId }));
  fresh.down = true;
  const app = await startTestApp('jwks_down', { CLERK_SECRET_KEY: 'sk_test_jwks_down', CLERK_API_URL: fresh.url });
  try {
    const get = (token: string) => request(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await get(tokenOf(a))).toMatchObject({ status: 503 });
    fresh.down = false;
    let status = 0;
    for (const started = Date.now(); status !== 200 && Date.now() - started < 5_000;) {
      status = (await get(tokenOf(a))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  } finally {
    await app.close();
    await fresh.stop();
  }
});
