import ConnectionString from 'mongodb-connection-string-url';
import type { Document } from 'bson';
import { startTestApp, TestApp } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { uniqueDatabaseUri, withClient } from '../support/database';
import { postWebhook, request } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  deletedEvent,
  membershipEvent,
  newWebhookSecret,
  organizationEvent,
  signedDelivery,
  userEvent,
} from '../support/payloads';
import { commandOf, writeCommandsOf } from '../support/wire';

/** The wire protocol's message of a command (OP_MSG). */
const OP_MSG = 2013;

/**
 * Every write an answer depends on asks for `{w: "majority", j: true}`, read from the commands
 * on the wire (the app reaches the database through a proxy that records them); a URI that sets
 * its own write concern keeps it.
 */
const key = createSigningKey();
const secret = newWebhookSecret();
const clerk = new ClerkStandIn();

interface WiredApp extends TestApp {
  proxy: TcpProxy;
}

/** `uri` with the options of `query` (`?w=1&…`) added to its own. */
function withOptions(uri: string, query: string): string {
  const cs = new ConnectionString(uri);
  for (const [name, value] of new URLSearchParams(query)) cs.searchParams.set(name, value);
  return cs.toString();
}

/** The app behind a recording proxy; `uriOptions` are added to the URI it connects with. */
async function startWiredApp(label: string, uriOptions = '', dbUri = uniqueDatabaseUri(label)): Promise<WiredApp> {
  const proxy = await TcpProxy.forUri(dbUri).start();
  const app = await startTestApp(
    label,
    {
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: clerk.url,
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
    },
    { dbUri, connectUri: withOptions(proxy.rewrite(dbUri), uriOptions) },
  );
  return { ...app, proxy };
}

/** Each kind of write the service makes, once: webhooks of every kind, PATCH /me and lazy sync. */
async function everyKindOfWrite({ url }: TestApp): Promise<void> {
  const send = async (event: object) =>
    expect((await postWebhook(url, signedDelivery(secret, event))).status).toBe(200);
  const user = clerkUser({ updatedAt: 1_700_000_000_100 });
  await send(userEvent('user.created', user)); // conditional upsert
  await send(userEvent('user.updated', { ...user, updated_at: 1_700_000_000_000 })); // stale: a delivery record
  const organization = clerkOrganization();
  await send(organizationEvent('organization.created', organization));
  await send(membershipEvent('organizationMembership.created', clerkMembership({ userId: user.id, organization })));
  const bearer = (userId: string) => ({ authorization: `Bearer ${mintToken(key, sessionClaims(userId))}` });
  const patched = await request(`${url}/me`, {
    method: 'PATCH',
    headers: { ...bearer(user.id), 'content-type': 'application/json' },
    body: JSON.stringify({ favoriteColor: 'BLUE' }),
  });
  expect(patched.status).toBe(200);
  const lazy = clerkUser();
  clerk.putUser(lazy);
  expect((await request(`${url}/me`, { headers: bearer(lazy.id) })).status).toBe(200); // lazy sync
  await send(deletedEvent(user.id)); // tombstone
}

/** The write commands recorded, as "command collection" with the write concern each asked for. */
function writeConcerns(proxy: TcpProxy): Map<string, Document[]> {
  const byKind = new Map<string, Document[]>();
  for (const command of writeCommandsOf(proxy.messages)) {
    // The command's name is its first key (a findAndModify also has an `update` field).
    const name = Object.keys(command)[0];
    const kind = `${name} ${command[name]}`;
    byKind.set(kind, [...(byKind.get(kind) ?? []), command.writeConcern]);
  }
  return byKind;
}

beforeAll(() => clerk.start());
afterAll(() => clerk.stop());

it('every kind of write asks for w: "majority" and j: true', async () => {
  const t = await startWiredApp('durable_wire');
  try {
    t.proxy.recording = true;
    await everyKindOfWrite(t);
    t.proxy.recording = false;
    const concerns = writeConcerns(t.proxy);
    expect([...concerns.keys()].sort()).toEqual(
      expect.arrayContaining([
        'findAndModify users', // PATCH /me
        'insert webhook_deliveries', // a stale delivery's record
        'update organization_memberships',
        'update organizations',
        'update users', // webhooks, lazy sync, the tombstone
      ]),
    );
    for (const [kind, each] of concerns) {
      for (const writeConcern of each)
        expect({ kind, writeConcern }).toEqual({ kind, writeConcern: { w: 'majority', j: true } });
    }
  } finally {
    await t.close();
    await t.proxy.stop();
  }
});

it('a URI that sets its own write concern keeps it (for those who know better)', async () => {
  const t = await startWiredApp('durable_override', '?w=1&journal=false');
  try {
    t.proxy.recording = true;
    await everyKindOfWrite(t);
    t.proxy.recording = false;
    const concerns = [...writeConcerns(t.proxy).values()].flat();
    expect(concerns.length).toBeGreaterThan(5);
    for (const writeConcern of concerns) expect(writeConcern).toEqual({ w: 1, j: false });
  } finally {
    await t.close();
    await t.proxy.stop();
  }
});

/** The commands a request sent, without the driver's own monitoring and session commands. */
function requestCommands(proxy: TcpProxy): string[] {
  return proxy.messages
    .filter((message) => message.readInt32LE(12) === OP_MSG)
    .map(commandOf)
    .map((command) => Object.keys(command)[0])
    .filter((name) => !['hello', 'isMaster', 'ismaster', 'ping', 'endSessions'].includes(name));
}

describe.each([
  ['a version', () => userEvent('user.created', clerkUser())],
  ['a deletion', () => deletedEvent(clerkUser().id)],
])('a redelivery of %s that applied', (_kind, event) => {
  it('costs one command on the wire when it comes back to the process that applied it', async () => {
    const t = await startWiredApp('redelivery_wire');
    try {
      const delivery = signedDelivery(secret, event());
      expect((await postWebhook(t.url, delivery)).body).toEqual({ received: true, outcome: 'applied' });
      t.proxy.recording = true;
      const again = await postWebhook(t.url, delivery);
      t.proxy.recording = false;
      expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
      expect(requestCommands(t.proxy)).toEqual(['update']);
      // The probe alone: no upsert of the whole version that would fail on the duplicate key.
      const [probe] = writeCommandsOf(t.proxy.messages);
      expect(probe.updates).toHaveLength(1);
      expect(probe.updates[0].upsert).toBeFalsy();
      expect(probe.updates[0].q.writers).toBe(delivery.headers['svix-id']);
    } finally {
      await t.close();
      await t.proxy.stop();
    }
  });

  it('costs the conditional write and one read in a process that never saw it', async () => {
    const first = await startWiredApp('redelivery_first');
    const delivery = signedDelivery(secret, event());
    try {
      expect((await postWebhook(first.url, delivery)).body).toEqual({ received: true, outcome: 'applied' });
    } finally {
      await first.close({ keepDatabase: true });
      await first.proxy.stop();
    }
    const t = await startWiredApp('redelivery_other', '', first.dbUri);
    try {
      t.proxy.recording = true;
      const again = await postWebhook(t.url, delivery);
      t.proxy.recording = false;
      expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
      expect(requestCommands(t.proxy)).toEqual(['update', 'find']);
    } finally {
      await t.close();
      await t.proxy.stop();
    }
  });
});

describe.each([
  ['the service default', '', { w: 'majority', j: true }],
  ['a URI that sets its own', '?w=1&journal=false', { w: 1, j: false }],
])('a redelivery sent with its probe (%s)', (_name, uriOptions, expected) => {
  it('asks for the same write concern as every other write', async () => {
    const t = await startWiredApp('redelivery_concern', uriOptions);
    try {
      const user = clerkUser();
      const organization = clerkOrganization();
      const deliveries = [
        userEvent('user.created', user),
        organizationEvent('organization.created', organization),
        membershipEvent('organizationMembership.created', clerkMembership({ userId: user.id, organization })),
        deletedEvent(clerkUser().id),
      ].map((event) => signedDelivery(secret, event));
      for (const delivery of deliveries) expect((await postWebhook(t.url, delivery)).body.outcome).toBe('applied');
      t.proxy.recording = true;
      for (const delivery of deliveries) expect((await postWebhook(t.url, delivery)).body.outcome).toBe('duplicate');
      t.proxy.recording = false;
      const probed = writeCommandsOf(t.proxy.messages).filter((command) =>
        command.updates?.some((statement: { q: Record<string, unknown> }) => 'writers' in statement.q),
      );
      expect(probed.map((command) => command.update).sort()).toEqual([
        'organization_memberships',
        'organizations',
        'users',
        'users',
      ]);
      for (const command of writeCommandsOf(t.proxy.messages)) expect(command.writeConcern).toEqual(expected);
    } finally {
      await t.close();
      await t.proxy.stop();
    }
  });
});

describe('a redelivery whose write loses its reply (a failover’s usual effect)', () => {
  // A standalone server has no retryable writes: there the lost reply is a 503, and Svix retries.
  const onReplicaSet = async () =>
    Boolean(
      (await withClient(uniqueDatabaseUri('topology'), (client) => client.db().admin().command({ hello: 1 }))).setName,
    );

  it('in a process that never saw it: the driver retries the write (on a replica set), and the answer is duplicate', async () => {
    if (!(await onReplicaSet())) return;
    const first = await startWiredApp('lost_reply_first');
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    try {
      expect((await postWebhook(first.url, delivery)).body).toEqual({ received: true, outcome: 'applied' });
    } finally {
      await first.close({ keepDatabase: true });
      await first.proxy.stop();
    }
    const t = await startWiredApp('lost_reply_other', '', first.dbUri);
    try {
      t.proxy.cutBeforeReply('update');
      expect((await postWebhook(t.url, delivery)).body).toEqual({ received: true, outcome: 'duplicate' });
    } finally {
      await t.close();
      await t.proxy.stop();
    }
  });

  it('in the process that applied it: the driver retries its probe (on a replica set), and the answer is the same', async () => {
    if (!(await onReplicaSet())) return;
    const t = await startWiredApp('lost_reply_same');
    try {
      const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
      expect((await postWebhook(t.url, delivery)).body).toEqual({ received: true, outcome: 'applied' });
      t.proxy.cutBeforeReply('update');
      const again = await postWebhook(t.url, delivery);
      expect({ status: again.status, body: again.body }).toEqual({
        status: 200,
        body: { received: true, outcome: 'duplicate' },
      });
    } finally {
      await t.close();
      await t.proxy.stop();
    }
  });
});
