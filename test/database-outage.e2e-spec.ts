import { postWebhook, request, startTestApp, TestApp } from './support/app';
import { uniqueDatabaseUri, withClient } from './support/database';
import { TcpProxy } from './support/tcp-proxy';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from './support/webhooks';

/** The app reaches the database through a proxy the test can cut, as if the server stopped. */
const secret = newWebhookSecret();
let proxy: TcpProxy;
let t: TestApp;

beforeAll(async () => {
  const dbUri = uniqueDatabaseUri('outage');
  proxy = await TcpProxy.forUri(dbUri).start();
  t = await startTestApp('outage', { CLERK_WEBHOOK_SIGNING_SECRET: secret }, { dbUri, connectUri: proxy.rewrite(dbUri) });
});
afterAll(async () => {
  await proxy?.start();
  await t?.close();
  await proxy?.stop();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

it('readiness goes 503 while the database is away and 200 when it is back, with no restart', async () => {
  expect((await request(`${t.url}/health/ready`)).status).toBe(200);
  await proxy.stop();
  const down = await request(`${t.url}/health/ready`);
  expect(down.status).toBe(503);
  expect(down.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The database did not answer a ping' });
  expect((await request(`${t.url}/health/live`)).status).toBe(200);
  await proxy.start();
  await waitFor(async () => (await request(`${t.url}/health/ready`)).status === 200, 15_000);
});

it('a webhook while the database is away gets 503, and the same delivery is applied once it is back', async () => {
  const user = clerkUser();
  const delivery = signedDelivery(secret, userEvent('user.created', user));
  await proxy.stop();
  const refused = await postWebhook(t.url, delivery);
  expect(refused.status).toBe(503);
  expect(refused.body).toMatchObject({ statusCode: 503, message: 'The database is unavailable; try again later' });
  await proxy.start();
  await waitFor(async () => (await request(`${t.url}/health/ready`)).status === 200, 15_000);
  const retried = await postWebhook(t.url, delivery);
  expect(retried.body).toEqual({ received: true, outcome: 'applied' });
  const stored = await withClient(t.dbUri, (client) => client.db().collection('users').findOne({ _id: user.id as never }));
  expect(stored).toMatchObject({ firstName: 'Ada' });
});
