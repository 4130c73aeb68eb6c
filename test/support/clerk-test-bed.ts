import { startTestApp, TestApp } from './app';
import { ClerkStandIn } from './clerk-stand-in';
import { dumpDatabase, storedUser } from './database';
import { JsonResponse, postWebhook, request } from './http';
import { clerkUser, ClerkUserOptions, Delivery, newWebhookSecret, signedDelivery } from './payloads';
import { createSigningKey, mintToken, SessionClaims, sessionClaims } from './tokens';

type Env = Record<string, string>;

/**
 * The app wired to Clerk as most suites need it: session tokens signed with `key` (networkless,
 * CLERK_JWT_KEY), webhooks signed with `secret`, and the Backend API stand-in `clerk`. `use()`
 * starts it before the file's tests, resets the stand-in after each test and stops it all after.
 */
export class ClerkTestBed {
  readonly key = createSigningKey();
  readonly secret = newWebhookSecret();
  readonly clerk = new ClerkStandIn();
  private started?: TestApp;

  /** `env` adds to (or overrides) the bed's variables; a function of the bed may use its secret. */
  static use(label: string, env: Env | ((bed: ClerkTestBed) => Env) = {}): ClerkTestBed {
    const bed = new ClerkTestBed();
    beforeAll(() => bed.start(label, typeof env === 'function' ? env(bed) : env));
    afterEach(() => bed.clerk.reset());
    afterAll(() => bed.stop());
    return bed;
  }

  get app(): TestApp {
    if (!this.started) throw new Error('The test bed has not started: use ClerkTestBed.use() at the top of the file');
    return this.started;
  }

  /** Signs the payload with the bed's secret (or `secret`) and delivers it. */
  postWebhook(payload: unknown, options: { svixId?: string; timestamp?: Date; secret?: string } = {}) {
    return this.postDelivery(signedDelivery(options.secret ?? this.secret, payload, options));
  }

  /** Delivers exactly these bytes and headers (a redelivery, a tampered delivery). */
  postDelivery(delivery: Delivery) {
    return postWebhook(this.app.url, delivery);
  }

  /** A session token for the user, signed with the bed's key. */
  tokenFor(userId: string, claims: SessionClaims = {}): string {
    return mintToken(this.key, sessionClaims(userId, claims));
  }

  getMe(token: string, path = '/me') {
    return request(`${this.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  }

  /** PATCH /me with the body as JSON (a string is sent as it is). */
  patchMe(token: string, body: unknown) {
    return request(`${this.app.url}/me`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** A user Clerk knows (the stand-in has it) but this service has not stored yet. */
  putClerkUser(options: ClerkUserOptions = {}) {
    const user = clerkUser(options);
    this.clerk.putUser(user);
    return user;
  }

  storedUser(id: string) {
    return storedUser(this.app.dbUri, id);
  }

  /** Runs `act`; expects this error status (and message), the database exactly as before, and the process healthy. */
  async expectRefusedUnchanged(
    act: () => Promise<JsonResponse>,
    status: number,
    message: RegExp = /.+/,
  ): Promise<JsonResponse> {
    const before = JSON.stringify(await dumpDatabase(this.app.dbUri));
    const response = await act();
    expect(response).toMatchObject({
      status,
      body: { statusCode: status, error: expect.any(String), message: expect.stringMatching(message) },
    });
    expect(JSON.stringify(await dumpDatabase(this.app.dbUri))).toBe(before);
    expect((await request(`${this.app.url}/health/live`)).status).toBe(200);
    return response;
  }

  private async start(label: string, env: Env): Promise<void> {
    await this.clerk.start();
    this.started = await startTestApp(label, {
      CLERK_JWT_KEY: this.key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: this.clerk.url,
      CLERK_WEBHOOK_SIGNING_SECRET: this.secret,
      ...env,
    });
  }

  private async stop(): Promise<void> {
    await this.started?.close();
    await this.clerk.stop();
  }
}
