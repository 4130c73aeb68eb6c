import type { ModuleMetadata, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { ClerkStandIn } from './clerk-stand-in';
import { dropDatabase, uniqueDatabaseUri } from './database';
import { newWebhookSecret } from './payloads';

type Env = Record<string, string | undefined>;

/**
 * A feature's module built by Nest as the app builds it (its real providers, repositories and
 * the rule), on a database of its own, without HTTP: the middle tier between a pure function's
 * spec and the app over HTTP. The Clerk client is the only thing pointed elsewhere: at the
 * loopback Backend API stand-in (`clerk`), through CLERK_API_URL.
 */
export class MediumBed {
  readonly clerk = new ClerkStandIn();
  readonly secret = newWebhookSecret();
  readonly dbUri: string;
  private built?: TestingModule;

  private constructor(
    label: string,
    private readonly imports: NonNullable<ModuleMetadata['imports']>,
    private readonly env: Env,
  ) {
    this.dbUri = uniqueDatabaseUri(label);
  }

  /**
   * Builds the modules before the file's tests (`env` adds to or overrides the bed's variables),
   * resets the stand-in after each test, and closes everything and drops the database after.
   */
  static use(label: string, imports: NonNullable<ModuleMetadata['imports']>, env: Env = {}): MediumBed {
    const bed = new MediumBed(label, imports, env);
    beforeAll(() => bed.start());
    afterEach(() => bed.clerk.reset());
    afterAll(() => bed.stop());
    return bed;
  }

  /** A provider of the built modules: the service under test, or a repository to arrange or check with. */
  get<T>(type: Type<T>): T {
    if (!this.built) throw new Error('The medium bed has not started: use MediumBed.use()');
    return this.built.get(type, { strict: false });
  }

  private async start(): Promise<void> {
    await this.clerk.start();
    const env = {
      NODE_ENV: 'test',
      MONGODB_URI: this.dbUri,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: this.clerk.url,
      CLERK_WEBHOOK_SIGNING_SECRET: this.secret,
      ...this.env,
    };
    this.built = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot({ env }), MetricsModule, DatabaseModule, ...this.imports],
    }).compile();
    // Bootstrap hooks create the indexes, as at the app's start.
    await this.built.init();
  }

  private async stop(): Promise<void> {
    await this.built?.close();
    await dropDatabase(this.dbUri);
    await this.clerk.stop();
  }
}
