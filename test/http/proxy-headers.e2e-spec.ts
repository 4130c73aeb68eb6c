import { startTestApp, TestApp } from '../support/app';
import { request } from '../support/http';

/**
 * What the service believes of X-Forwarded-* (TRUST_PROXY), and the headers that depend on it:
 * HSTS only on HTTPS requests, and a docs page whose policy does not force HTTPS.
 */
const apps: TestApp[] = [];
const start = async (env: Record<string, string> = {}) => {
  const app = await startTestApp('proxy_headers', env);
  apps.push(app);
  return app;
};
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

const viaHttpsProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };
const hsts = async (app: TestApp, headers: Record<string, string> = {}) =>
  (await request(`${app.url}/health/live`, { headers })).headers.get('strict-transport-security');

it('by default trusts no proxy: a forwarded "https" from a client is not believed', async () => {
  const app = await start();
  expect(await hsts(app)).toBeNull();
  expect(await hsts(app, viaHttpsProxy)).toBeNull();
});

it.each(['true', 'loopback', '127.0.0.1'])('with TRUST_PROXY=%s, HTTPS behind the proxy gets HSTS', async (trust) => {
  const app = await start({ TRUST_PROXY: trust });
  expect(await hsts(app, viaHttpsProxy)).toBe('max-age=31536000; includeSubDomains');
  expect(await hsts(app)).toBeNull();
});

it('a proxy that is not the trusted one is not believed', async () => {
  const app = await start({ TRUST_PROXY: '10.0.0.1' });
  expect(await hsts(app, viaHttpsProxy)).toBeNull();
});

it('the docs page works over plain HTTP on any host name: no upgrade-insecure-requests', async () => {
  const app = await start();
  const page = await request(`${app.url}/docs`, { headers: { host: 'clerk-sync.lan:8080' } });
  expect(page.status).toBe(200);
  const policy = page.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).not.toContain('upgrade-insecure-requests');
  expect(page.headers.get('strict-transport-security')).toBeNull();
});
