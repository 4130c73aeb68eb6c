import { startTestApp, TestApp } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { request } from '../support/http';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';
import { clerkUser } from '../support/payloads';

/**
 * The guard keeps the tokens it verified (by a digest of the whole token) until their exp: what it
 * accepts from memory must be exactly what verification would accept at that moment.
 */
jest.setTimeout(60_000);
const key = createSigningKey();
const clerk = new ClerkStandIn();
const FRONTEND = 'http://localhost:5173';
const apps: TestApp[] = [];

async function app(parties = FRONTEND): Promise<TestApp> {
  const started = await startTestApp('session_cache', {
    CLERK_JWT_KEY: key.publicKeyPem,
    CLERK_SECRET_KEY: 'sk_test_stand_in',
    CLERK_API_URL: clerk.url,
    CLERK_AUTHORIZED_PARTIES: parties,
  });
  apps.push(started);
  return started;
}

const getMe = (t: TestApp, token: string) => request(`${t.url}/me`, { headers: { authorization: `Bearer ${token}` } });

function signedInUser(): string {
  const user = clerkUser();
  clerk.putUser(user);
  return user.id;
}

beforeAll(() => clerk.start());
afterAll(async () => {
  for (const t of apps) await t.close();
  await clerk.stop();
});

it('an expired token is refused even though it was verified and kept', async () => {
  const t = await app();
  const now = Math.floor(Date.now() / 1000);
  const token = mintToken(key, sessionClaims(signedInUser(), { exp: now + 1, azp: FRONTEND }));
  expect((await getMe(t, token)).status).toBe(200);
  expect((await getMe(t, token)).status).toBe(200);
  // Past exp and the SDK's 5 s of clock skew: verification would refuse it, so must memory.
  await new Promise((done) => setTimeout(done, 7_000));
  expect(await getMe(t, token)).toMatchObject({ status: 401 });
});

it('a kept token with one byte changed is refused', async () => {
  const t = await app();
  const token = mintToken(key, sessionClaims(signedInUser(), { azp: FRONTEND }));
  expect((await getMe(t, token)).status).toBe(200);
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  const changed = `${token.slice(0, -2)}${last}${token.at(-1)}`;
  expect((await getMe(t, changed)).status).toBe(401);
  // The claims part changed instead: another subject, same signature.
  const [head, body, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'user_someone_else' })).toString('base64url')}.${signature}`;
  expect((await getMe(t, forged)).status).toBe(401);
  expect((await getMe(t, token)).status).toBe(200);
});

it('after a restart with other CLERK_AUTHORIZED_PARTIES, a token for the old party is refused', async () => {
  const token = mintToken(key, sessionClaims(signedInUser(), { azp: FRONTEND }));
  const before = await app(FRONTEND);
  expect((await getMe(before, token)).status).toBe(200);
  await before.close();
  apps.splice(apps.indexOf(before), 1);
  const after = await app('https://app.example.com');
  expect((await getMe(after, token)).status).toBe(401);
});
