import { connect, createServer, Server, Socket } from 'node:net';
import { startTestApp, TestApp } from '../support/app';
import { storedUser } from '../support/database';
import { request } from '../support/http';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';
import { newWebhookSecret, newUserId } from '../support/payloads';

/**
 * Every wait has an end: a body trickled in is cut at REQUEST_TIMEOUT_SECONDS (408, connection
 * closed), connections beyond MAX_CONNECTIONS are refused, and a Clerk that accepts and never
 * answers costs CLERK_API_TIMEOUT_SECONDS (503 with Retry-After). Short settings keep the file
 * fast; the defaults are checked on the running server.
 */
const key = createSigningKey();
const secret = newWebhookSecret();
const bearer = (userId: string) => ({ authorization: `Bearer ${mintToken(key, sessionClaims(userId))}` });

/** Sends complete headers, then the body a byte every `everyMs`; resolves with what came back once closed. */
function trickle(url: string, path: string, headers: Record<string, string>, everyMs = 100) {
  const { port } = new URL(url);
  const started = Date.now();
  return new Promise<{ answer: string; closedAfterMs: number }>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    const lines = Object.entries({ host: 'localhost', 'content-length': '4096', ...headers }).map(
      ([n, v]) => `${n}: ${v}`,
    );
    socket.write(`${path.startsWith('/me') ? 'PATCH' : 'POST'} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n{`);
    const drip = setInterval(() => socket.writable && socket.write(' '), everyMs);
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
    setTimeout(() => reject(new Error(`still open after 20 s; received: ${answer}`)), 20_000).unref();
  });
}

/** A "Clerk" that accepts every connection and never answers. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket.on('error', () => undefined)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the request body and the connections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('timeouts_body', {
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
      REQUEST_TIMEOUT_SECONDS: '1',
      MAX_CONNECTIONS: '8',
    });
  });
  afterAll(() => t?.close());

  it.each([
    ['POST /webhooks/clerk, unauthenticated', '/webhooks/clerk', { 'content-type': 'application/json' }],
    ['PATCH /me', '/me', { 'content-type': 'application/json', ...bearer(newUserId()) }],
  ])(
    '%s: a body trickled a byte at a time is answered 408 and its connection closed at the bound',
    async (_, path, headers) => {
      const { answer, closedAfterMs } = await trickle(t.url, path, headers);
      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(answer).toMatch(/\{"error":"Request Timeout","message":".+","statusCode":408\}$/);
      expect(closedAfterMs).toBeGreaterThanOrEqual(900);
      expect(closedAfterMs).toBeLessThan(2_500);
    },
  );

  it('connections beyond MAX_CONNECTIONS are closed as they arrive; the service answers again once they go', async () => {
    const { port } = new URL(t.url);
    const open = (): Promise<Socket> =>
      new Promise((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
        socket.on('error', () => undefined);
      });
    const held = await Promise.all(Array.from({ length: 8 }, open));
    const extra = await open();
    const closed = await new Promise<boolean>((resolve) => {
      extra.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 1_000);
    });
    expect(closed).toBe(true);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await request(`${t.url}/health/live`)).status).toBe(200);
  });

  it('the defaults: 30 s for the whole request, 2,000 connections', async () => {
    const d = await startTestApp('timeouts_defaults');
    try {
      const server = d.app.getHttpServer();
      expect({ requestTimeout: server.requestTimeout, maxConnections: server.maxConnections }).toEqual({
        requestTimeout: 30_000,
        maxConnections: 2_000,
      });
    } finally {
      await d.close();
    }
  });
});

describe('a Clerk that accepts and never answers', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  beforeAll(async () => (silent = await silentServer()));
  afterAll(() => silent?.close());

  const timed = async (url: string, headers: Record<string, string>) => {
    const started = Date.now();
    const response = await request(url, { headers });
    return { ...response, tookMs: Date.now() - started };
  };

  it('lazy sync: 503 with Retry-After once CLERK_API_TIMEOUT_SECONDS have passed, nothing stored', async () => {
    const t = await startTestApp('timeouts_clerk', {
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_silent',
      CLERK_API_URL: silent.url,
      CLERK_API_TIMEOUT_SECONDS: '1',
    });
    try {
      const userId = newUserId();
      const response = await timed(`${t.url}/me`, bearer(userId));
      expect(response).toMatchObject({
        status: 503,
        body: { statusCode: 503, message: 'Clerk could not be reached to fetch the user' },
      });
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.tookMs).toBeGreaterThanOrEqual(950);
      expect(response.tookMs).toBeLessThan(3_000);
      expect(await storedUser(t.dbUri, userId)).toBeNull();
    } finally {
      await t.close();
    }
  });

  it("session check through Clerk's JWKS (no CLERK_JWT_KEY): 503 with Retry-After at the same bound", async () => {
    const t = await startTestApp('timeouts_jwks', {
      CLERK_SECRET_KEY: 'sk_test_silent',
      CLERK_API_URL: silent.url,
      CLERK_API_TIMEOUT_SECONDS: '1',
    });
    try {
      const response = await timed(`${t.url}/me`, bearer(newUserId()));
      expect(response).toMatchObject({
        status: 503,
        body: { statusCode: 503, message: 'Clerk could not be reached to verify the session' },
      });
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.tookMs).toBeLessThan(3_000);
    } finally {
      await t.close();
    }
  });
});
