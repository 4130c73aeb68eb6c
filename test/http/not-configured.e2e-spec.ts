import { startTestApp, TestApp } from '../support/app';
import { request } from '../support/http';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';

/**
 * In development the service starts without Clerk's variables; each part that needs one answers
 * 503, with Retry-After, and a message that names the variable to set.
 */
const key = createSigningKey();
let bare: TestApp;
let tokensOnly: TestApp;

beforeAll(async () => {
  bare = await startTestApp('not_configured_bare');
  tokensOnly = await startTestApp('not_configured_tokens', { CLERK_JWT_KEY: key.publicKeyPem });
});
afterAll(async () => {
  await bare?.close();
  await tokensOnly?.close();
});

const token = () => `Bearer ${mintToken(key, sessionClaims(clerkUser().id))}`;

it.each([
  [
    'a webhook without CLERK_WEBHOOK_SIGNING_SECRET',
    () => {
      const delivery = signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()));
      return request(`${bare.url}/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    },
    'Webhook verification is not configured: set CLERK_WEBHOOK_SIGNING_SECRET',
  ],
  [
    'a session token without CLERK_JWT_KEY or CLERK_SECRET_KEY',
    () => request(`${bare.url}/me`, { headers: { authorization: token() } }),
    'Session verification is not configured: set CLERK_JWT_KEY or CLERK_SECRET_KEY',
  ],
  [
    "a new user's lazy sync without CLERK_SECRET_KEY",
    () => request(`${tokensOnly.url}/me`, { headers: { authorization: token() } }),
    "Clerk's Backend API is not configured: set CLERK_SECRET_KEY",
  ],
])('%s: 503 naming the variable, with Retry-After', async (_what, call, message) => {
  const response = await call();
  expect(response.status).toBe(503);
  expect(response.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message });
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
});
