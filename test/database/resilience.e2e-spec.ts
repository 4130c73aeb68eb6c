import { randomInt } from 'node:crypto';
import { mapLimited } from '../../src/common/map-limited';
import { startTestApp, TestApp } from '../support/app';
import { postWebhook, request } from '../support/http';
import { storedDeliveries, storedUsers } from '../support/database';
import {
  clerkUser,
  deletedEvent,
  Delivery,
  newUserId,
  newWebhookSecret,
  signedDelivery,
  userEvent,
} from '../support/payloads';

/** Load tests: many deliveries at once, duplicated and shuffled, and garbage mixed into the load. */
const secret = newWebhookSecret();
// Bounded, but FerretDB on two shared cores writes a few hundred documents a second at best.
jest.setTimeout(180_000);
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp('resilience', { CLERK_WEBHOOK_SIGNING_SECRET: secret });
});
afterAll(async () => {
  await t?.close();
});

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const users = () => storedUsers(t.dbUri);

it('2,000 deliveries for 200 users, duplicated and shuffled, 50 at a time: the newest state of every user, no 5xx', async () => {
  const newest = new Map<string, { deleted: boolean; firstName?: string; version: number }>();
  const unique: Delivery[] = [];
  for (let u = 0; u < 200; u++) {
    const id = newUserId();
    const versions = 7;
    for (let v = 0; v < versions; v++) {
      const user = clerkUser({ id, firstName: `v${v}`, updatedAt: 1_700_000_000_000 + v * 1000 });
      unique.push(signedDelivery(secret, userEvent(v === 0 ? 'user.created' : 'user.updated', user)));
    }
    // One user in ten is deleted in the end; the rest end at their last version.
    if (u % 10 === 0) unique.push(signedDelivery(secret, deletedEvent(id)));
    newest.set(
      id,
      u % 10 === 0
        ? { deleted: true, version: 0 }
        : { deleted: false, firstName: `v${versions - 1}`, version: 1_700_000_006_000 },
    );
  }
  const duplicates = Array.from({ length: 2_000 - unique.length }, () => unique[randomInt(unique.length)]);
  const deliveries = shuffle([...unique, ...duplicates]);
  expect(deliveries).toHaveLength(2_000);

  const answers = await mapLimited(deliveries, 50, (delivery) => postWebhook(t.url, delivery));
  const statuses = new Map<number, number>();
  for (const { status } of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  expect(Object.fromEntries(statuses)).toEqual({ 200: 2_000 });

  const stored = new Map((await users()).map((user) => [String(user._id), user]));
  expect(stored.size).toBe(200);
  for (const [id, expected] of newest) {
    const user = stored.get(id)!;
    if (expected.deleted) {
      expect(user.deletedAt).toBeInstanceOf(Date);
      expect(user).not.toHaveProperty('firstName');
    } else {
      expect(user).toMatchObject({ firstName: expected.firstName, clerkUpdatedAt: expected.version, deletedAt: null });
    }
  }
  // Every delivery is recorded exactly once: on the user it changed, or (changing nothing) as a delivery.
  const appliedIds = [...stored.values()].flatMap((user) => user.writers as string[]);
  const unappliedIds = (await storedDeliveries(t.dbUri)).map((delivery) => delivery._id);
  expect([...appliedIds, ...unappliedIds].sort()).toEqual(unique.map((delivery) => delivery.headers['svix-id']).sort());
  const applied = new Map<string, number>();
  for (const [index, { body }] of answers.entries())
    if (body.outcome === 'applied') {
      const svixId = deliveries[index].headers['svix-id'];
      applied.set(svixId, (applied.get(svixId) ?? 0) + 1);
    }
  expect([...applied.keys()].sort()).toEqual([...appliedIds].sort());
  expect([...applied.values()].every((count) => count === 1)).toBe(true);
});

it('100 malformed requests interleaved with valid ones under load: 4xx for each bad one, every valid one stored', async () => {
  const valid = Array.from({ length: 200 }, () => clerkUser());
  const sign = (payload: unknown, options?: { timestamp?: Date }) => signedDelivery(secret, payload, options);
  const good = () => sign(userEvent('user.created', clerkUser()));
  const without = (name: string) => () => {
    const delivery = good();
    delete delivery.headers[name];
    return delivery;
  };
  const malformedKinds: [string, () => Delivery, number][] = [
    ['no svix-id', without('svix-id'), 400],
    ['no svix-timestamp', without('svix-timestamp'), 400],
    ['no svix-signature', without('svix-signature'), 400],
    [
      'signed with another secret',
      () => signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser())),
      400,
    ],
    [
      'body changed by one byte',
      () => {
        const delivery = good();
        return { ...delivery, body: String(delivery.body).replace('"Ada"', '"Adb"') };
      },
      400,
    ],
    [
      'timestamp 6 minutes old',
      () => sign(userEvent('user.created', clerkUser()), { timestamp: new Date(Date.now() - 6 * 60_000) }),
      400,
    ],
    [
      'timestamp 6 minutes ahead',
      () => sign(userEvent('user.created', clerkUser()), { timestamp: new Date(Date.now() + 6 * 60_000) }),
      400,
    ],
    ['signed but not JSON', () => sign('{"type": "user.created", "data": '), 400],
    ['signed, no data.id', () => sign({ type: 'user.created', data: { first_name: 'No id' } }), 422],
    ['signed, data not an object', () => sign({ type: 'user.updated', data: 'x' }), 422],
    [
      '2 MiB body',
      () => sign(userEvent('user.created', clerkUser({ extra: { padding: 'x'.repeat(2 * 1024 * 1024) } }))),
      413,
    ],
    ['empty body', () => ({ ...good(), body: '' }), 400],
  ];
  type Item = { kind: string; delivery: Delivery; expected?: number; user?: { id: string } };
  const items: Item[] = valid.map((user) => ({ kind: 'valid', delivery: sign(userEvent('user.created', user)), user }));
  for (let i = 0; i < 100; i++) {
    const [kind, make, expected] = malformedKinds[i % malformedKinds.length];
    items.push({ kind, delivery: make(), expected });
  }
  const answers = await mapLimited(shuffle(items), 30, (item) =>
    postWebhook(t.url, item.delivery).then((answer) => ({ ...answer, item })),
  );

  for (const answer of answers as { status: number; body: any; item: Item }[]) {
    if (answer.item.kind === 'valid')
      expect([answer.item.kind, answer.status, answer.body.outcome]).toEqual(['valid', 200, 'applied']);
    else expect([answer.item.kind, answer.status]).toEqual([answer.item.kind, answer.item.expected]);
  }
  const storedIds = new Set((await users()).map((user) => String(user._id)));
  for (const user of valid) expect(storedIds.has(user.id)).toBe(true);
  expect((await request(`${t.url}/health/ready`)).status).toBe(200);
});
