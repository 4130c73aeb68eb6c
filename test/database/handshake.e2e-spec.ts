import { startTestAppBehindProxy } from '../support/app';
import { withClient } from '../support/database';
import { commandOf } from '../support/wire';

/**
 * A real mongod refuses a connection whose handshake lacks `client.driver` (the driver sends an
 * empty `client` document under Jest unless given its runtime adapters). FerretDB does not check,
 * so the handshake itself is captured here, for the service's connection and the tests' clients.
 */
it('every connection the service and the test clients open sends full client metadata', async () => {
  const t = await startTestAppBehindProxy('handshake', {});
  try {
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
    await withClient(t.proxy.rewrite(t.dbUri), (client) => client.db().command({ ping: 1 }));
    const handshakes = t.proxy.firstMessages.map(commandOf);
    // The service's monitoring and pool connections, and the test client's.
    expect(handshakes.length).toBeGreaterThanOrEqual(3);
    for (const hello of handshakes) {
      expect(hello).toMatchObject({
        client: {
          driver: { name: expect.stringMatching(/nodejs/), version: expect.any(String) },
          os: { type: expect.any(String), name: expect.any(String), architecture: expect.any(String) },
        },
      });
    }
  } finally {
    await t.close();
  }
});
