import { MongoClient } from 'mongodb';
import { MONGO_DRIVER_OPTIONS } from '../../src/database/mongo-driver';
import { startTestApp } from '../support/app';
import { storedUser } from '../support/database';
import { postWebhook } from '../support/http';
import { findOutsideTool, SECANTUSD } from '../support/outside-tools';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';
import { SecantusProcess } from '../support/secantus-process';
import { TcpProxy } from '../support/tcp-proxy';
import { writeCommandsOf } from '../support/wire';

/**
 * The topology of Atlas and of every production MongoDB, a replica set (here SecantusDB's
 * single-node one), beside a standalone server: what the service relies on behaves as it does on
 * Atlas. A write whose reply is lost (a failover's usual effect) is retried by the driver and
 * applied once; `w: "majority"` is acknowledged; change streams work. Servers of the test's own,
 * so that both topologies are checked whichever one the suite runs against.
 */
const binary = findOutsideTool(SECANTUSD, 'test/database/replica-set.e2e-spec.ts');
const describeWithSecantus = binary ? describe : describe.skip;

describeWithSecantus('a single-node replica set and a standalone server', () => {
  const servers: Record<'replicaSet' | 'standalone', SecantusProcess> = {} as never;
  const proxies: TcpProxy[] = [];
  const clients: MongoClient[] = [];

  beforeAll(async () => {
    [servers.replicaSet, servers.standalone] = await Promise.all([
      new SecantusProcess(binary!, true, 'replicaSet').start(),
      new SecantusProcess(binary!, true, 'standalone').start(),
    ]);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await Promise.all(Object.values(servers).map((server) => server?.stop()));
  });

  /** A client of `server` through a proxy that can lose a reply; retryable writes are the driver's default. */
  async function connectThroughProxy(server: SecantusProcess) {
    const proxy = await TcpProxy.forUri(server.uri()).start();
    proxies.push(proxy);
    const client = await MongoClient.connect(proxy.rewrite(server.uri()), MONGO_DRIVER_OPTIONS);
    clients.push(client);
    return { proxy, counters: client.db().collection<{ _id: string; n: number }>('counters') };
  }

  it('the replica set advertises itself: the driver sees a primary of a named set', async () => {
    const client = new MongoClient(servers.replicaSet.uri(), MONGO_DRIVER_OPTIONS);
    clients.push(client);
    let topology = '';
    client.on('topologyDescriptionChanged', (event) => (topology = event.newDescription.type));
    await client.connect();
    const hello = await client.db().admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, setName: expect.any(String) });
    expect(topology).toBe('ReplicaSetWithPrimary');
  });

  it('on the replica set, a write whose reply is lost is retried and applied exactly once', async () => {
    const { proxy, counters } = await connectThroughProxy(servers.replicaSet);
    await counters.insertOne({ _id: 'retried', n: 0 });
    proxy.cutBeforeReply('update');
    proxy.recording = true;
    await counters.updateOne({ _id: 'retried' }, { $inc: { n: 1 } }, { writeConcern: { w: 'majority', j: true } });
    proxy.recording = false;
    // Sent twice, on two connections, as one transaction number: the server applied it once.
    const sent = writeCommandsOf(proxy.messages).filter((command) => 'update' in command);
    expect(sent).toHaveLength(2);
    expect(sent[1].txnNumber).toEqual(sent[0].txnNumber);
    expect(await counters.findOne({ _id: 'retried' })).toEqual({ _id: 'retried', n: 1 });
  });

  it('on a standalone server the same write is not retried: the caller gets the error', async () => {
    const { proxy, counters } = await connectThroughProxy(servers.standalone);
    await counters.insertOne({ _id: 'lost', n: 0 });
    proxy.cutBeforeReply('update');
    await expect(counters.updateOne({ _id: 'lost' }, { $inc: { n: 1 } })).rejects.toThrow();
    // It was applied all the same: only the answer was lost.
    expect(await counters.findOne({ _id: 'lost' })).toEqual({ _id: 'lost', n: 1 });
  });

  it('acknowledges w: "majority" and streams changes on the replica set', async () => {
    const client = await MongoClient.connect(servers.replicaSet.uri(), MONGO_DRIVER_OPTIONS);
    clients.push(client);
    const events = client.db().collection('events');
    const stream = events.watch();
    try {
      const next = stream.next();
      const inserted = await events.insertOne({ kind: 'majority' }, { writeConcern: { w: 'majority', j: true } });
      expect(inserted.acknowledged).toBe(true);
      expect(await next).toMatchObject({ operationType: 'insert', documentKey: { _id: inserted.insertedId } });
    } finally {
      await stream.close();
    }
  });

  it('the service applies a delivery on the replica set, its durable writes acknowledged', async () => {
    const secret = newWebhookSecret();
    const app = await startTestApp(
      'replica_set',
      { CLERK_WEBHOOK_SIGNING_SECRET: secret },
      { dbUri: servers.replicaSet.uri('replica_set') },
    );
    try {
      const user = clerkUser();
      const answer = await postWebhook(app.url, signedDelivery(secret, userEvent('user.created', user)));
      expect(answer.body).toEqual({ received: true, outcome: 'applied' });
      expect(await storedUser(app.dbUri, user.id)).toMatchObject({ _id: user.id });
    } finally {
      await app.close();
    }
  });
});
