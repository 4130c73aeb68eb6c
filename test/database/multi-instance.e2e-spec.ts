import { mapLimited } from '../../src/common/map-limited';
import { DELIVERY_RETENTION_SECONDS } from '../../src/webhooks/webhook-delivery.schema';
import { startTestApp, TestApp } from '../support/app';
import { deliveryCount, storedUser, withClient } from '../support/database';
import { postWebhook } from '../support/http';
import { clerkUser, newUserId, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';

/**
 * What a lenient test server would hide: two instances writing the same users at once rely on
 * MongoDB's atomic conditional updates (each instance only orders its own writes), and delivery
 * records expire by the TTL index, not by a sweep.
 */
jest.setTimeout(150_000);
const secret = newWebhookSecret();
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await startTestApp('multi_instance', { CLERK_WEBHOOK_SIGNING_SECRET: secret });
  b = await startTestApp('multi_instance_b', { CLERK_WEBHOOK_SIGNING_SECRET: secret }, { dbUri: a.dbUri });
});
afterAll(async () => {
  await b?.close({ keepDatabase: true });
  await a?.close();
});

it('two instances receiving the same shuffled burst end in the exact newest state', async () => {
  const ids = Array.from({ length: 10 }, () => newUserId());
  const versions = ids.flatMap((id) =>
    Array.from({ length: 12 }, (_, v) =>
      clerkUser({ id, firstName: `v${v}`, updatedAt: 1_700_000_000_000 + v * 1_000 }),
    ),
  );
  // Every delivery goes to both instances at once, as Svix does when an answer is slow.
  const deliveries = versions.map((version) => signedDelivery(secret, userEvent('user.updated', version)));
  const sends = deliveries
    .flatMap((delivery) => [a, b].map((app) => ({ app, delivery })))
    .sort(() => Math.random() - 0.5);
  const answers = await mapLimited(sends, 40, ({ app, delivery }) => postWebhook(app.url, delivery));
  expect(answers.every((answer) => answer.status === 200)).toBe(true);
  for (const id of ids) {
    expect(await storedUser(a.dbUri, id)).toMatchObject({ firstName: 'v11', clerkUpdatedAt: 1_700_000_011_000 });
  }
  // Each delivery applied at most once, whichever instance got it first; the other copy changed nothing.
  const appliedCopies = new Map<string, number>();
  for (const [index, answer] of answers.entries()) {
    expect(['applied', 'duplicate', 'stale']).toContain(answer.body.outcome);
    const svixId = sends[index].delivery.headers['svix-id'];
    if (answer.body.outcome === 'applied') appliedCopies.set(svixId, (appliedCopies.get(svixId) ?? 0) + 1);
  }
  expect([...appliedCopies.values()].every((count) => count === 1)).toBe(true);
  expect(appliedCopies.size).toBeGreaterThanOrEqual(ids.length);
});

it('delivery records expire by the TTL index (the server deletes them; no sweep runs)', async () => {
  const indexes = await withClient(a.dbUri, (client) => client.db().collection('webhook_deliveries').indexes());
  expect(indexes).toContainEqual(
    expect.objectContaining({ key: { processedAt: 1 }, expireAfterSeconds: DELIVERY_RETENTION_SECONDS }),
  );
  const expired = new Date(Date.now() - (DELIVERY_RETENTION_SECONDS + 3_600) * 1_000);
  await withClient(a.dbUri, (client) =>
    client
      .db()
      .collection<{ _id: string; [field: string]: unknown }>('webhook_deliveries')
      .insertOne({ _id: 'msg_expired', type: 'user.created', outcome: 'applied', processedAt: expired }),
  );
  // MongoDB's TTL monitor runs once a minute.
  const deadline = Date.now() + 120_000;
  while ((await deliveryCount(a.dbUri, { _id: 'msg_expired' })) > 0 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 1_000));
  }
  expect(await deliveryCount(a.dbUri, { _id: 'msg_expired' })).toBe(0);
});
