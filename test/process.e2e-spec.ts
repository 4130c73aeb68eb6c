import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from './support/http';
import { logLinesOf, runService, ServiceProcess, waitForOutput } from './support/service-process';
import { ClerkStandIn } from './support/clerk-stand-in';
import { dropDatabase, uniqueDatabaseUri } from './support/database';
import { TcpProxy } from './support/tcp-proxy';
import { createSigningKey, mintToken, sessionClaims } from './support/tokens';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from './support/payloads';

/**
 * The built service as an operator runs it (`node dist/src/main.js`), from an empty directory
 * so that no .env is read. `npm test` builds first.
 */
const run = runService;
type Run = ServiceProcess;

describe('bad configuration stops the start with one message', () => {
  it('names a bad PORT and a malformed webhook secret together, with no stack trace', async () => {
    const started = run({
      PORT: '99999',
      CLERK_WEBHOOK_SIGNING_SECRET: 'not-a-secret',
      MONGODB_URI: 'mongodb://127.0.0.1:1/x',
    });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message).toMatch(
      /^Invalid configuration \(PORT, CLERK_WEBHOOK_SIGNING_SECRET\):\n {2}- PORT .*\n {2}- CLERK_WEBHOOK_SIGNING_SECRET .*$/,
    );
    expect(message).not.toContain('not-a-secret');
    expect(message).not.toMatch(/^\s+at /m);
  });

  it('a NODE_ENV typo (prod) gets production rules: the missing Clerk variables stop the start', async () => {
    const started = run({ NODE_ENV: 'prod', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(await started.exited).toBe(1);
    expect(started.stderr()).toMatch(/^Invalid configuration \(CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY\)/);
    expect(started.stderr()).toContain('is required when NODE_ENV=prod');
  });

  it('in production, names the missing Clerk variables', async () => {
    const started = run({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message).toMatch(
      /^Invalid configuration \(CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY\):\n {2}- .*\n {2}- .*$/,
    );
    expect(message).not.toMatch(/^\s+at /m);
  });

  it("no MONGODB_URI and no embedded MongoDB: our advice comes first, the embedded server's reason after", async () => {
    // A mongod binary that does not exist stands for a machine where MongoDB cannot be downloaded.
    const started = run({ MONGOMS_SYSTEM_BINARY: join(tmpdir(), 'no-such-dir', 'no-such-mongod') });
    expect(await started.exited).toBe(1);
    const [first, second] = started.stderr().trim().split('\n');
    expect(first).toBe('MONGODB_URI is not set and the embedded MongoDB (mongodb-memory-server) could not start.');
    expect(second).toMatch(
      /^Set MONGODB_URI to any running MongoDB, e\.g\. MONGODB_URI=mongodb:\/\/127\.0\.0\.1:27017\/\S+ npm start$/,
    );
    expect(started.stderr()).toMatch(/mongodb-memory-server said: .+/);
  });

  it('an unreachable database is one message with the password masked', async () => {
    const started = run({ MONGODB_URI: 'mongodb://app:hunter2@127.0.0.1:1/app?serverSelectionTimeoutMS=500' });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Cannot connect to MongoDB at mongodb:\/\/app:\*\*\*\*@127\.0\.0\.1:1\/app/);
    expect(message).not.toContain('hunter2');
  });
});

it('in development starts without Clerk variables, warns once naming them, and leaves health checks out of the log', async () => {
  const dbUri = uniqueDatabaseUri('process_dev');
  const service = run({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: dbUri, LOG_LEVEL: 'info' });
  try {
    await waitForOutput(service, /Listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.stdout())![1];
    expect((await request(`${url}/health/ready`)).status).toBe(200);
    expect(
      await request(`${url}/webhooks/clerk`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({
      status: 503,
      body: { message: 'Webhook verification is not configured: set CLERK_WEBHOOK_SIGNING_SECRET' },
    });
    await waitForOutput(service, /"url":"\/webhooks\/clerk"/);
    const warnings = service
      .stdout()
      .split('\n')
      .filter((line) => line.includes('Not set: CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY'));
    expect(warnings).toHaveLength(1);
    expect(service.stdout()).not.toContain('"url":"/health/ready"');
  } finally {
    service.child.kill('SIGKILL');
    await dropDatabase(dbUri);
  }
});

it('LOG_FORMAT=pretty prints readable lines, not JSON', async () => {
  const dbUri = uniqueDatabaseUri('process_pretty');
  const service = run({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: dbUri, LOG_FORMAT: 'pretty' });
  try {
    await waitForOutput(service, /Listening on http:\/\/127\.0\.0\.1:\d+/);
    const line = service
      .stdout()
      .split('\n')
      .find((text) => text.includes('Listening on'))!;
    expect(() => JSON.parse(line)).toThrow();
    expect(line).toMatch(/INFO/);
  } finally {
    service.child.kill('SIGKILL');
    await dropDatabase(dbUri);
  }
});

it('a 5xx is logged with the real error and its stack', async () => {
  const dbUri = uniqueDatabaseUri('process_5xx');
  const proxy = await TcpProxy.forUri(dbUri).start();
  const secret = newWebhookSecret();
  const env = { PORT: '0', HOST: '127.0.0.1', MONGODB_URI: proxy.rewrite(dbUri), CLERK_WEBHOOK_SIGNING_SECRET: secret };
  const service = run(env);
  try {
    await waitForOutput(service, /Listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.stdout())![1];
    await proxy.stop();
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    expect((await request(`${url}/webhooks/clerk`, { method: 'POST', ...delivery })).status).toBe(503);
    await waitForOutput(service, /"statusCode":503/);
    const entry = service
      .stdout()
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text))
      .find((line) => line.res?.statusCode === 503);
    expect(entry.level).toBe(50);
    expect(entry.err.type).toMatch(/^Mongo\w*(ServerSelection|Network)\w*Error$/);
    expect(entry.err.stack).toMatch(/\n\s+at /);
    expect(entry.err.stack).not.toMatch(/failed with status code/);
  } finally {
    service.child.kill('SIGKILL');
    await proxy.start();
    await dropDatabase(dbUri);
    await proxy.stop();
  }
});

describe('a running service', () => {
  const key = createSigningKey();
  const secret = newWebhookSecret();
  const clerk = new ClerkStandIn();
  let dbUri: string;
  let service: Run;
  let url: string;

  beforeAll(async () => {
    await clerk.start();
    dbUri = uniqueDatabaseUri('process');
    service = run({
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: dbUri,
      LOG_LEVEL: 'info',
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_API_URL: clerk.url,
    });
    await waitForOutput(service, /Listening on http:\/\/127\.0\.0\.1:\d+/);
    url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.stdout())![1];
  });
  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await clerk.stop();
    await dropDatabase(dbUri);
  });

  it('logs JSON lines, says which database it uses, and never logs credentials', async () => {
    const token = mintToken(key, sessionClaims('user_unknown_to_clerk'));
    await request(`${url}/me`, { headers: { authorization: `Bearer ${token}`, cookie: `__session=${token}` } });
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    await request(`${url}/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    await waitForOutput(service, /"url":"\/webhooks\/clerk"[\s\S]*"statusCode":200/);
    const lines = service.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(service.stdout()).toContain(`Database: ${dbUri} (MONGODB_URI)`);
    expect(service.stdout()).not.toContain(token);
    expect(service.stdout()).not.toContain(delivery.headers['svix-signature']);
    // Request lines keep the allowed headers only.
    const webhookLine = lines
      .map((line) => JSON.parse(line) as { req?: { url: string; headers: Record<string, string> } })
      .find((line) => line.req?.url === '/webhooks/clerk');
    expect(webhookLine!.req!.headers).toEqual(
      expect.objectContaining({ 'svix-id': delivery.headers['svix-id'], 'content-type': 'application/json' }),
    );
    for (const name of ['authorization', 'cookie', 'svix-signature', 'svix-timestamp'])
      expect(webhookLine!.req!.headers).not.toHaveProperty(name);
  });

  const logLines = () => logLinesOf(service);

  it('logs one line per webhook delivery: svix-id, type, object id and outcome or reason, no personal data', async () => {
    const user = clerkUser({ emails: ['ada.lovelace@example.test'], firstName: 'Augusta' });
    const applied = signedDelivery(secret, userEvent('user.created', user));
    const refused = signedDelivery(secret, userEvent('user.created', { ...user, updated_at: 1e308 }));
    for (const delivery of [applied, applied, refused]) {
      await request(`${url}/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    }
    await waitForOutput(service, new RegExp(`"svixId":"${refused.headers['svix-id']}"`));
    const deliveries = logLines().filter((line) => line.msg === 'Webhook delivery');
    const lineOf = (svixId: string) => deliveries.filter((line) => line.svixId === svixId);
    expect(lineOf(applied.headers['svix-id'])).toEqual([
      expect.objectContaining({ level: 30, type: 'user.created', objectId: user.id, outcome: 'applied' }),
      expect.objectContaining({ level: 30, type: 'user.created', objectId: user.id, outcome: 'duplicate' }),
    ]);
    expect(lineOf(refused.headers['svix-id'])).toEqual([
      expect.objectContaining({ level: 40, objectId: user.id, outcome: 'rejected', reason: 'payload', status: 422 }),
    ]);
    const logged = JSON.stringify(deliveries);
    for (const personal of ['ada.lovelace@example.test', 'Augusta', 'Lovelace']) expect(logged).not.toContain(personal);
  });

  it('logs a failed lazy sync once, with the status, Clerk trace id and what to check, never the key', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    clerk.failures.push({ status: 401, traceId: 'trace_for_support' });
    const token = mintToken(key, sessionClaims(user.id));
    expect((await request(`${url}/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(502);
    await waitForOutput(service, /trace_for_support/);
    const failures = logLines().filter((line) => line.traceId === 'trace_for_support');
    expect(failures).toEqual([
      expect.objectContaining({
        level: 50,
        userId: user.id,
        failure: 'refused',
        status: 401,
        msg: expect.stringContaining('check that it is the secret key'),
      }),
    ]);
    expect(service.stdout()).not.toContain('sk_test_stand_in');
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    clerk.delayMs = 1_500;
    const inFlight = request(`${url}/me`, {
      headers: { authorization: `Bearer ${mintToken(key, sessionClaims(user.id))}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    service.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.profile.id).toBe(user.id);
    expect(await service.exited).toBe(0);
    await expect(request(`${url}/health/live`)).rejects.toThrow();
    const messages = logLines().map((line) => String(line.msg));
    const begins = messages.findIndex((msg) => msg.startsWith('Shutting down on SIGTERM'));
    const ends = messages.findIndex((msg) => /^Shut down in \d+ ms/.test(msg));
    expect(begins).toBeGreaterThanOrEqual(0);
    expect(ends).toBeGreaterThan(begins);
  });
});
