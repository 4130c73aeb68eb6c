import { randomBytes } from 'node:crypto';
import { mapLimited } from '../../src/common/map-limited';
import { startTestApp, TestApp } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { request } from '../support/http';
import { newUserId } from '../support/payloads';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';

/**
 * Every call to Clerk ends at CLERK_API_TIMEOUT_SECONDS, its connection with it: after a storm
 * against a Clerk that accepts connections and never answers, none is left open. The answers'
 * statuses and timing: test/database/outages-timeouts.e2e-spec.ts.
 */
const clerk = new ClerkStandIn();
const key = createSigningKey();
let jwksApp: TestApp;
let pemApp: TestApp;

beforeAll(async () => {
  await clerk.start();
  clerk.silent = true;
  const common = { CLERK_SECRET_KEY: 'sk_test_silent', CLERK_API_URL: clerk.url, CLERK_API_TIMEOUT_SECONDS: '1' };
  jwksApp = await startTestApp('deadlines_jwks', common);
  pemApp = await startTestApp('deadlines_pem', { ...common, CLERK_JWT_KEY: key.publicKeyPem });
});
afterAll(async () => {
  await jwksApp?.close();
  await pemApp?.close();
  await clerk.stop();
});

const get = (app: TestApp, token: string) =>
  request(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

it('100 tokens with unknown kids against a silent Clerk leave no connection open', async () => {
  const tokens = Array.from({ length: 100 }, () =>
    mintToken({ ...key, kid: `ins_${randomBytes(6).toString('hex')}` }, sessionClaims(newUserId())),
  );
  const statuses = await mapLimited(tokens, 20, async (token) => (await get(jwksApp, token)).status);
  expect(statuses.every((status) => status === 503)).toBe(true);
  await settle();
  expect(clerk.openConnections).toBe(0);
});

it('100 first-time GET /me (lazy sync) against a silent Clerk answer 503 and leave no connection open', async () => {
  const requestsBefore = clerk.calls.total;
  const tokens = Array.from({ length: 100 }, () => mintToken(key, sessionClaims(newUserId())));
  const statuses = await mapLimited(tokens, 20, async (token) => (await get(pemApp, token)).status);
  expect(statuses.every((status) => status === 503)).toBe(true);
  expect(clerk.calls.total - requestsBefore).toBe(100);
  await settle();
  expect(clerk.openConnections).toBe(0);
});
