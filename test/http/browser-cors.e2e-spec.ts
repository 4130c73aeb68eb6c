import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { CHROMIUM, findOutsideTool } from '../support/outside-tools';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';
import { clerkUser } from '../support/payloads';

/**
 * A real browser (Debian's chromium, driven by playwright-core) loads a page from another
 * loopback origin that calls GET /me with a session token: CORS decides, not the test.
 */
const chromiumPath = findOutsideTool(CHROMIUM, 'test/browser-cors.e2e-spec.ts');
const DOCS_HOST = 'clerk-sync.example.test';
const key = createSigningKey();
const clerk = new ClerkStandIn();
let t: TestApp;
let browser: Browser;
const frontends: Server[] = [];

/** A frontend on its own loopback origin: one page, no scripts of its own. */
async function startFrontend(): Promise<string> {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>frontend</title><p>frontend</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  frontends.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const describeWithChromium = chromiumPath ? describe : describe.skip;

describeWithChromium('in a real browser: CORS and the docs page', () => {
  let allowedOrigin: string;
  let otherOrigin: string;

  beforeAll(async () => {
    await clerk.start();
    allowedOrigin = await startFrontend();
    otherOrigin = await startFrontend();
    t = await startTestApp('browser_cors', {
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: clerk.url,
      CORS_ORIGINS: allowedOrigin,
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--no-first-run',
        // A host name that is not localhost, as a LAN or cluster address would be.
        `--host-resolver-rules=MAP ${DOCS_HOST} 127.0.0.1`,
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await clerk.stop();
    await Promise.all(frontends.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** Opens the frontend at `origin` and, from its page, calls the API as a Clerk frontend does. */
  async function callMeFrom(origin: string, token: string) {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ({ api, token }) => {
          try {
            const response = await fetch(`${api}/me`, {
              headers: { Authorization: `Bearer ${token}` },
              credentials: 'include',
            });
            return { status: response.status, body: await response.json() };
          } catch (error) {
            return { blocked: String(error) };
          }
        },
        { api: t.url, token },
      );
    } finally {
      await page.close();
    }
  }

  it('a page from an allowed origin reads /me', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    const result = await callMeFrom(allowedOrigin, mintToken(key, sessionClaims(user.id)));
    expect(result).toMatchObject({ status: 200, body: { userId: user.id, profile: { id: user.id } } });
  });

  it('a page from another origin is blocked by CORS', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    const result = await callMeFrom(otherOrigin, mintToken(key, sessionClaims(user.id)));
    expect(result).toEqual({ blocked: expect.stringContaining('Failed to fetch') });
  });

  it('the API documentation renders over plain HTTP on a host name that is not localhost', async () => {
    const page = await browser.newPage();
    try {
      const docs = `http://${DOCS_HOST}:${new URL(t.url).port}/docs`;
      const response = await page.goto(docs);
      expect(response?.status()).toBe(200);
      // Swagger UI's own script draws the operations: nothing shows if its assets were refused.
      await page.waitForSelector('.opblock-summary-path', { timeout: 10_000 });
      expect(await page.locator('.opblock-summary-path').allTextContents()).toContain('/webhooks/clerk');
    } finally {
      await page.close();
    }
  });
});
