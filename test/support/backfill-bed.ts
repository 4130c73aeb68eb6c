import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from './app';
import { ClerkStandIn } from './clerk-stand-in';
import { dropDatabase, uniqueDatabaseUri } from './database';
import { postWebhook } from './http';
import { newWebhookSecret, signedDelivery } from './payloads';

/** The built command, as an operator runs it (`npm test` builds first). */
const CLI = resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'users-backfill.js');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run users:backfill` against the Clerk stand-in, beside the live service writing to the same
 * database (its webhooks), from an empty directory so that no .env is read. `use()` starts it all
 * before the file's tests (after `seed` has filled the stand-in) and stops it after.
 */
export class BackfillBed {
  readonly clerk = new ClerkStandIn();
  readonly secret = newWebhookSecret();
  readonly dbUri: string;
  private webhooks?: TestApp;
  private cwd = '';

  private constructor(label: string) {
    this.dbUri = uniqueDatabaseUri(label);
  }

  static use(label: string, seed: (clerk: ClerkStandIn) => void): BackfillBed {
    const bed = new BackfillBed(label);
    beforeAll(async () => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the tests with \`npm test\`, which builds first`);
      bed.cwd = mkdtempSync(join(tmpdir(), `${label}-`));
      await bed.clerk.start();
      seed(bed.clerk);
      bed.webhooks = await startTestApp(label, { CLERK_WEBHOOK_SIGNING_SECRET: bed.secret }, { dbUri: bed.dbUri });
    });
    afterAll(async () => {
      await bed.webhooks?.close();
      await bed.clerk.stop();
      await dropDatabase(bed.dbUri).catch(() => undefined);
      rmSync(bed.cwd, { recursive: true, force: true });
    });
    return bed;
  }

  /** Runs the command with these arguments; resolves with its exit code and output. */
  backfill(...args: string[]): Promise<CommandResult> {
    return this.backfillWith({}, ...args);
  }

  /** The same with the environment changed: a variable set to undefined is left out. */
  async backfillWith(changes: Record<string, string | undefined>, ...args: string[]): Promise<CommandResult> {
    const all = {
      PATH: process.env.PATH ?? '',
      MONGODB_URI: this.dbUri,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: this.clerk.url,
      ...changes,
    };
    const env = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as Record<
      string,
      string
    >;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: this.cwd, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const { code, stdout, stderr } = error as CommandResult;
      return { code, stdout, stderr };
    }
  }

  /** The outcome a signed delivery to the live service gets. */
  async outcomeOf(payload: unknown): Promise<string> {
    return (await this.webhook(payload)).body.outcome;
  }

  /** A signed delivery to the live service. */
  webhook(payload: unknown) {
    return postWebhook(this.webhooks!.url, signedDelivery(this.secret, payload));
  }
}
