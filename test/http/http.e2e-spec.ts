import { SHUTDOWN_GRACE_MS } from '../../src/http/graceful-shutdown';
import { startTestApp, TestApp } from '../support/app';
import { request } from '../support/http';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp('http');
});
afterAll(async () => {
  await t?.close();
});

describe('health', () => {
  it('live and ready answer 200 with the database up', async () => {
    expect((await request(`${t.url}/health/live`)).status).toBe(200);
    const ready = await request(`${t.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });
});

describe('documentation', () => {
  it('serves the OpenAPI spec with every route of the contract', async () => {
    const spec = await request(`${t.url}/docs/json`);
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths).sort()).toEqual(
      [
        '/health/live',
        '/health/ready',
        '/me',
        '/me/organizations',
        '/metrics',
        '/organizations/{orgId}/members',
        '/user/favoriteColor',
        '/users',
        '/users/{userId}',
        '/webhooks/clerk',
      ].sort(),
    );
    expect(Object.keys(spec.body.paths['/me']).sort()).toEqual(['get', 'patch']);
  });

  it('serves the Swagger UI page and its assets under the security headers', async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('swagger-ui');
    const bundle = await fetch(`${t.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe('errors', () => {
  it('an unknown route is a JSON 404 in the contract shape', async () => {
    const response = await request(`${t.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /no/such/route' });
  });

  it('malformed JSON on a JSON route is a 400 without parser internals', async () => {
    const response = await request(`${t.url}/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"favoriteColor":',
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON',
    });
  });

  it('sets security headers on API answers; HSTS only over HTTPS', async () => {
    const response = await request(`${t.url}/health/live`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toBeNull();
    // Also on answers no route matched.
    expect((await request(`${t.url}/no-such-route`)).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('shutdown', () => {
  it(
    'a client that stops reading its answer cannot hold the shutdown open: its connection is cut after the grace period',
    async () => {
      const other = await startTestApp('http_shutdown');
      // The answer (Swagger UI's 1.4 MB bundle) is never read: the socket stays busy, never idle.
      const unread = await fetch(`${other.url}/docs/swagger-ui-bundle.js`);
      expect(unread.status).toBe(200);
      const started = Date.now();
      await other.close();
      // Without the grace period this waits for Fastify's 72 s keep-alive timeout.
      expect(Date.now() - started).toBeLessThan(SHUTDOWN_GRACE_MS + 5_000);
    },
    SHUTDOWN_GRACE_MS + 30_000,
  );
});
