import { startTestApp, TestApp } from './app';
import { ClerkStandIn } from './clerk-stand-in';
import { createSigningKey } from './tokens';
import { newWebhookSecret } from './webhooks';

/**
 * The app wired to Clerk as most suites need it: session tokens signed with `key` (networkless,
 * CLERK_JWT_KEY), webhooks signed with `secret`, and the Backend API stand-in `clerk`. `use()`
 * starts it before the file's tests and stops it after.
 */
export class ClerkTestBed {
  readonly key = createSigningKey();
  readonly secret = newWebhookSecret();
  readonly clerk = new ClerkStandIn();
  private started?: TestApp;

  static use(label: string, env: Record<string, string> = {}): ClerkTestBed {
    const bed = new ClerkTestBed();
    beforeAll(() => bed.start(label, env));
    afterAll(() => bed.stop());
    return bed;
  }

  get app(): TestApp {
    if (!this.started) throw new Error('The test bed has not started: use ClerkTestBed.use() at the top of the file');
    return this.started;
  }

  private async start(label: string, env: Record<string, string>): Promise<void> {
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
