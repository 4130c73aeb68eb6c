import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';
import { devSessionClaims, signJwt } from '../../src/dev/session-token';
import { startTestApp, TestApp } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { request } from '../support/http';
import { CHROMIUM, findOutsideTool } from '../support/outside-tools';
import { createSigningKey } from '../support/tokens';
import { clerkUser } from '../support/payloads';

/**
 * The frontend's loop in a real browser: a page on another origin calls GET /me and PATCH /me
 * with a token shaped as `npm run dev:token` prints it, through the React example's own calls
 * (examples/react/src/api.ts, compiled as it is), and shows what the service answered.
 */
const chromiumPath = findOutsideTool(CHROMIUM, 'test/frontend.e2e-spec.ts');
const describeWithChromium = chromiumPath ? describe : describe.skip;
const exampleApi = transpileModule(readFileSync(resolve(__dirname, '../../examples/react/src/api.ts'), 'utf8'), {
  compilerOptions: { module: ModuleKind.ESNext, target: ScriptTarget.ES2022 },
}).outputText;

/** The page: the example's calls, and the profile they answer shown in the DOM. */
const PAGE = `<!doctype html><title>frontend</title>
<p id="email"></p><p id="color"></p><p id="error"></p>
<button id="RED">RED</button><button id="GREEN">GREEN</button><button id="BLUE">BLUE</button>
<script type="module">
  import { getMe, setFavoriteColor } from '/api.js';
  const params = new URLSearchParams(location.search);
  const [api, token] = [params.get('api'), params.get('token')];
  const show = (me) => {
    document.getElementById('email').textContent = me.profile.email;
    document.getElementById('color').textContent = me.profile.favoriteColor;
  };
  const fail = (error) => (document.getElementById('error').textContent = error.status + ' ' + error.message);
  getMe(api, token).then(show, fail);
  for (const color of ['RED', 'GREEN', 'BLUE'])
    document.getElementById(color).onclick = () => setFavoriteColor(api, token, color).then(show, fail);
</script>`;

describeWithChromium('the frontend loop in a real browser', () => {
  const key = createSigningKey();
  const clerk = new ClerkStandIn();
  let frontend: Server;
  let origin: string;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    await clerk.start();
    frontend = createServer((incoming, response) => {
      const isApi = incoming.url === '/api.js';
      response.writeHead(200, { 'content-type': isApi ? 'text/javascript' : 'text/html' });
      response.end(isApi ? exampleApi : PAGE);
    });
    await new Promise<void>((done) => frontend.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(frontend.address() as AddressInfo).port}`;
    t = await startTestApp('frontend', {
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: clerk.url,
      CORS_ORIGINS: origin,
      CLERK_AUTHORIZED_PARTIES: origin,
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await clerk.stop();
    await new Promise((done) => frontend?.close(done));
  });

  it('shows GET /me and changes the colour with PATCH /me', async () => {
    const user = clerkUser({ emails: ['grace@example.com'] });
    clerk.putUser(user);
    const token = signJwt(key, devSessionClaims({ userId: String(user.id), azp: origin, ttlSeconds: 300 }));
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/?${new URLSearchParams({ api: t.url, token })}`);
      await page.waitForSelector('#color:not(:empty)', { timeout: 10_000 });
      expect(await page.textContent('#error')).toBe('');
      expect(await page.textContent('#email')).toBe('grace@example.com');
      const before = await page.textContent('#color');
      const chosen = before === 'GREEN' ? 'BLUE' : 'GREEN';

      await page.click(`#${chosen}`);
      await page.waitForSelector(`#color:text-is("${chosen}")`, { timeout: 10_000 });
      const stored = await request(`${t.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(stored.body.profile.favoriteColor).toBe(chosen);
    } finally {
      await page.close();
    }
  });

  it('a token minted for another site is refused, and the page says so', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    const token = signJwt(
      key,
      devSessionClaims({ userId: String(user.id), azp: 'https://elsewhere.example', ttlSeconds: 300 }),
    );
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/?${new URLSearchParams({ api: t.url, token })}`);
      await page.waitForSelector('#error:not(:empty)', { timeout: 10_000 });
      expect(await page.textContent('#error')).toMatch(/^401 /);
      expect(await page.textContent('#color')).toBe('');
    } finally {
      await page.close();
    }
  });
});
