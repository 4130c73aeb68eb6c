import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { devSessionClaims, signJwt } from '../../src/dev/session-token';
import { startTestApp, TestApp } from '../support/app';
import { storedUser } from '../support/database';
import { postWebhook } from '../support/http';
import { CHROMIUM, findOutsideTool } from '../support/outside-tools';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';
import { createSigningKey } from '../support/tokens';

/**
 * examples/react without a Clerk account: built as `npm run build` builds it, with no publishable
 * key, served on an origin of its own, it takes a pasted `dev:token` and shows and changes the
 * profile of a local service. Needs Chromium and the example's dependencies
 * (`npm ci --prefix examples/react`, as CI installs them).
 */
jest.setTimeout(120_000);
const example = resolve(__dirname, '../../examples/react');
const vite = join(example, 'node_modules/vite/bin/vite.js');
const chromiumPath = findOutsideTool(CHROMIUM, 'test/me/react-example.e2e-spec.ts');
if (process.env.CI && !existsSync(vite)) throw new Error(`${vite} is missing: npm ci --prefix examples/react`);
const describeIfReady = chromiumPath && existsSync(vite) ? describe : describe.skip;

describeIfReady('the React example with a dev:token, no Clerk account', () => {
  const key = createSigningKey();
  const secret = newWebhookSecret();
  const outDir = mkdtempSync(join(tmpdir(), 'react-example-'));
  let site: Server;
  let origin: string;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    site = createServer((incoming, response) => {
      const path = join(outDir, incoming.url === '/' ? 'index.html' : incoming.url!.split('?')[0]);
      if (!path.startsWith(outDir) || !existsSync(path)) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': extname(path) === '.js' ? 'text/javascript' : 'text/html' });
      response.end(readFileSync(path));
    });
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    t = await startTestApp('react_example', {
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
      CORS_ORIGINS: origin,
      CLERK_AUTHORIZED_PARTIES: origin,
    });
    const { VITE_CLERK_PUBLISHABLE_KEY: _key, VITE_DEV_TOKEN: _token, ...env } = process.env;
    const build = spawnSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir'], {
      cwd: example,
      env: { ...env, VITE_API_URL: t.url },
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((done) => site?.close(done));
    rmSync(outDir, { recursive: true, force: true });
  });

  it('asks for a token, shows the profile it opens, and changes the colour', async () => {
    const user = clerkUser({ emails: ['ada@example.com'] });
    expect((await postWebhook(t.url, signedDelivery(secret, userEvent('user.created', user)))).status).toBe(200);
    const token = signJwt(key, devSessionClaims({ userId: user.id, azp: origin, ttlSeconds: 300 }));
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      await page.fill('textarea[name=token]', token);
      await page.click('text=Use this token');
      await page.waitForSelector('text=ada@example.com', { timeout: 10_000 });
      const before = (await storedUser(t.dbUri, user.id))!.favoriteColor as string;
      const chosen = before === 'BLUE' ? 'GREEN' : 'BLUE';
      await page.click(`button:text-is("${chosen}")`);
      await page.waitForSelector(`strong:text-is("${chosen}")`, { timeout: 10_000 });
      expect(await storedUser(t.dbUri, user.id)).toMatchObject({ favoriteColor: chosen });
      // A reload keeps the token for the tab; another token can be pasted.
      await page.reload();
      await page.waitForSelector('text=ada@example.com', { timeout: 10_000 });
      await page.click('text=Use another token');
      expect(await page.isVisible('textarea[name=token]')).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('a token for another origin is refused, and the page says so', async () => {
    const token = signJwt(
      key,
      devSessionClaims({ userId: clerkUser().id, azp: 'https://elsewhere.example', ttlSeconds: 300 }),
    );
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      await page.fill('textarea[name=token]', token);
      await page.click('text=Use this token');
      await page.waitForSelector('[role=alert]', { timeout: 10_000 });
      expect(await page.textContent('[role=alert]')).toMatch(/session token|invalid|expired|authorized/i);
    } finally {
      await page.close();
    }
  });
});
