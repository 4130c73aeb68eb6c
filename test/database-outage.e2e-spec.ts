import { startTestAppBehindProxy, TestApp, waitUntilReady } from './support/app';
import { postWebhook, request } from './support/http';
import { storedUser } from './support/database';
import type { TcpProxy } from './support/tcp-proxy';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from './support/webhooks';

/** The app reaches the database through a proxy the test can cut, as if the server stopped. */
const secret = newWebhookSecret();
let t: TestApp & { proxy: TcpProxy };

beforeAll(async () => {
  t = await startTestAppBehindProxy('outage', { CLERK_WEBHOOK_SIGNING_SECRET: secret });
});
afterAll(async () => {
  await t?.close();
});

it('readiness goes 503 while the database is away and 200 when it is back, with no restart', async () => {
  expect((await request(`${t.url}/health/ready`)).status).toBe(200);
  await t.proxy.stop();
  const down = await request(`${t.url}/health/ready`);
  expect(down.status).toBe(503);
  expect(down.body).toEqual({
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'The database did not answer a ping',
  });
  expect((await request(`${t.url}/health/live`)).status).toBe(200);
  await t.proxy.start();
  await waitUntilReady(t.url);
});

it('a webhook while the database is away gets 503, and the same delivery is applied once it is back', async () => {
  const user = clerkUser();
  const delivery = signedDelivery(secret, userEvent('user.created', user));
  await t.proxy.stop();
  const refused = await postWebhook(t.url, delivery);
  expect(refused.status).toBe(503);
  expect(refused.body).toMatchObject({ statusCode: 503, message: 'The database is unavailable; try again later' });
  await t.proxy.start();
  await waitUntilReady(t.url);
  const retried = await postWebhook(t.url, delivery);
  expect(retried.body).toEqual({ received: true, outcome: 'applied' });
  const stored = await storedUser(t.dbUri, user.id);
  expect(stored).toMatchObject({ firstName: 'Ada' });
});

it('a redelivery of what this process stored is answered duplicate even while the database is away', async () => {
  const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
  expect((await postWebhook(t.url, delivery)).body).toEqual({ received: true, outcome: 'applied' });
  await t.proxy.stop();
  try {
    // Svix redelivers when our answer was lost; the effect is stored, so there is nothing to retry.
    const redelivered = await postWebhook(t.url, delivery);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toEqual({ received: true, outcome: 'duplicate' });
  } finally {
    await t.proxy.start();
  }
  await waitUntilReady(t.url);
});
