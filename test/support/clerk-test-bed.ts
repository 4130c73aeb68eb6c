import { startTestApp, TestApp } from './app';
import { ClerkStandIn } from './clerk-stand-in';
import { dumpDatabase, storedUser } from './database';
import { JsonResponse, postWebhook, request } from './http';
import { clerkUser, ClerkUserOptions, Delivery, newWebhookSecret, signedDelivery } from './payloads';
import { RunningService, startService } from './service-process';
import { createSigningKey, mintToken, SessionClaims, sessionClaims } from './tokens';

type Env = Record<string, string>;

/**
 * The app wired to Clerk as most suites need it: session tokens signed with `key` (networkless,
 * CLERK_JWT_KEY), webhooks signed with `secret`, and the Backend API stand-in `clerk`. `use()`
 * starts it before the file's tests, resets the stand-in after each test and stops it all after.
 * In-process by default; `{ process: true }` runs the built service (`node dist/src/main.js`) as
 * an operator does, with its log lines (`service`).
 */
export class ClerkTestBed {
  readonly key = createSigningKey();
  readonly secret = newWebhookSecret();
  readonly clerk = new ClerkStandIn();
  private started?: TestApp;
  private running?: RunningService;

  private constructor(private readonly asProcess: boolean) {}

  /** `env` adds to (or overrides) the bed's variables; a function of the bed may use its secret. */
  static use(
    label: string,
    env: Env | ((bed: ClerkTestBed) => Env) = {},
    { process = false }: { process?: boolean } = {},
  ): ClerkTestBed {
    const bed = new ClerkTestBed(process);
    beforeAll(() => bed.start(label, typeof env === 'function' ? env(bed) : env));
    afterEach(() => bed.clerk.reset());
    afterAll(() => bed.stop());
    return bed;
  }

  /** The in-process app. */
  get app(): TestApp {
    if (!this.started) throw new Error('The test bed has not started in process: use ClerkTestBed.use()');
    return this.started;
  }

  /** The service's process, with its output. */
  get service(): RunningService {
    if (!this.running)
      throw new Error('The test bed has not started a process: use ClerkTestBed.use(…, { process: true })');
    return this.running;
  }

  get url(): string {
    return this.running?.url ?? this.app.url;
  }

  get dbUri(): string {
    return this.running?.dbUri ?? this.app.dbUri;
  }

  /** Signs the payload with the bed's secret (or `secret`) and delivers it. */
  postWebhook(payload: unknown, options: { svixId?: string; timestamp?: Date; secret?: string } = {}) {
    return this.postDelivery(signedDelivery(options.secret ?? this.secret, payload, options));
  }

  /** The outcome a signed delivery of the payload gets. */
  async outcomeOf(payload: unknown): Promise<string> {
    return (await this.postWebhook(payload)).body.outcome;
  }

  /** Delivers exactly these bytes and headers (a redelivery, a tampered delivery). */
  postDelivery(delivery: Delivery) {
    return postWebhook(this.url, delivery);
  }

  /** A session token for the user, signed with the bed's key. */
  tokenFor(userId: string, claims: SessionClaims = {}): string {
    return mintToken(this.key, sessionClaims(userId, claims));
  }

  getMe(token: string, path = '/me') {
    return request(`${this.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  }

  /** PATCH /me with the body as JSON (a string is sent as it is). */
  patchMe(token: string, body: unknown) {
    return request(`${this.url}/me`, {
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
    return storedUser(this.dbUri, id);
  }

  /** Runs `act`; expects this error status (and message), the database exactly as before, and the process healthy. */
  async expectRefusedUnchanged(
    act: () => Promise<JsonResponse>,
    status: number,
    message: RegExp = /.+/,
  ): Promise<JsonResponse> {
    const before = JSON.stringify(await dumpDatabase(this.dbUri));
    const response = await act();
    expect(response).toMatchObject({
      status,
      body: { statusCode: status, error: expect.any(String), message: expect.stringMatching(message) },
    });
    expect(JSON.stringify(await dumpDatabase(this.dbUri))).toBe(before);
    expect((await request(`${this.url}/health/live`)).status).toBe(200);
    return response;
  }

  private async start(label: string, env: Env): Promise<void> {
    await this.clerk.start();
    const clerkEnv = {
      CLERK_JWT_KEY: this.key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: this.clerk.url,
      CLERK_WEBHOOK_SIGNING_SECRET: this.secret,
    };
    if (this.asProcess) this.running = await startService(label, { LOG_LEVEL: 'info', ...clerkEnv, ...env });
    else this.started = await startTestApp(label, { ...clerkEnv, ...env });
  }

  private async stop(): Promise<void> {
    await this.started?.close();
    await this.running?.stop();
    await this.clerk.stop();
  }
}
