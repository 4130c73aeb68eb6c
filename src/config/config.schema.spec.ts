import { generateKeyPairSync } from 'node:crypto';
import { InvalidConfigError, parseConfig } from './config.schema';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const otherSecret = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
/** What production rules require. */
const productionEnv = {
  CLERK_WEBHOOK_SIGNING_SECRET: secret,
  CLERK_SECRET_KEY: 'sk_live_abc',
  MONGODB_URI: 'mongodb://db.internal:27017/users',
};

function configError(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseConfig', () => {
  it('has working defaults in development', () => {
    expect(parseConfig({})).toMatchObject({
      production: false,
      port: 3000,
      host: '0.0.0.0',
      mongodbUri: undefined,
      logLevel: 'info',
      corsOrigins: [],
      missingClerkVariables: ['CLERK_WEBHOOK_SIGNING_SECRET', 'CLERK_SECRET_KEY'],
    });
  });

  it('names every bad variable in one message, without echoing secret values', () => {
    const message = configError({
      PORT: '70000',
      MONGODB_URI: 'http://nope',
      CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_tooshort-and-not-base64!',
      CLERK_SECRET_KEY: 'pk_test_wrongkind',
      CLERK_JWT_KEY: 'not a pem',
      CLERK_API_URL: 'ftp://x',
      CORS_ORIGINS: 'https://ok.example, https://bad.example/path',
      LOG_LEVEL: 'loud',
    });
    for (const name of [
      'PORT',
      'MONGODB_URI',
      'CLERK_WEBHOOK_SIGNING_SECRET',
      'CLERK_SECRET_KEY',
      'CLERK_JWT_KEY',
      'CLERK_API_URL',
      'CORS_ORIGINS',
      'LOG_LEVEL',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('tooshort');
    expect(message).not.toContain('pk_test_wrongkind');
  });

  it.each(['prod', 'staging', 'Production'])(
    'NODE_ENV=%s gets production rules, and the message says why',
    (nodeEnv) => {
      const message = configError({ NODE_ENV: nodeEnv });
      expect(message).toContain(
        `CLERK_SECRET_KEY is required when NODE_ENV=${nodeEnv} (every NODE_ENV but development and test gets production rules)`,
      );
      const env = { NODE_ENV: nodeEnv, ...productionEnv };
      expect(parseConfig(env).production).toBe(true);
    },
  );

  it.each(['development', 'test'])('NODE_ENV=%s gets development rules', (nodeEnv) => {
    expect(parseConfig({ NODE_ENV: nodeEnv }).production).toBe(false);
  });

  it('shows public profiles to co-members unless PUBLIC_PROFILES=all, and refuses any other value', () => {
    expect(parseConfig({}).publicProfiles).toBe('organization');
    expect(parseConfig({ PUBLIC_PROFILES: 'organization' }).publicProfiles).toBe('organization');
    expect(parseConfig({ PUBLIC_PROFILES: 'all' }).publicProfiles).toBe('all');
    expect(configError({ PUBLIC_PROFILES: 'everyone' })).toMatch(/PUBLIC_PROFILES must be one of organization, all/);
  });

  it('trusts no proxy unless TRUST_PROXY says so', () => {
    expect(parseConfig({}).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'loopback',
    ]);
  });

  it.each(['yes', '10.0.0.300', 'proxy.example.com', '10.0.0.0/99'])('refuses TRUST_PROXY=%s', (value) => {
    expect(configError({ TRUST_PROXY: value })).toMatch(/TRUST_PROXY must be true, false, or comma-separated proxy/);
  });

  it('RECONCILE_INTERVAL_MINUTES: unset is off; minutes, fractions allowed; nothing else', () => {
    expect(parseConfig({}).reconcileIntervalMs).toBeUndefined();
    const key = { CLERK_SECRET_KEY: 'sk_test_abc' };
    expect(parseConfig({ ...key, RECONCILE_INTERVAL_MINUTES: '60' }).reconcileIntervalMs).toBe(3_600_000);
    expect(parseConfig({ ...key, RECONCILE_INTERVAL_MINUTES: '0.5' }).reconcileIntervalMs).toBe(30_000);
    expect(configError({ RECONCILE_INTERVAL_MINUTES: '60' })).toContain(
      "RECONCILE_INTERVAL_MINUTES needs CLERK_SECRET_KEY: the reconciliation reads Clerk's Backend API",
    );
    for (const bad of ['0', '-5', 'hourly', '20000']) {
      expect(configError({ RECONCILE_INTERVAL_MINUTES: bad })).toMatch(/RECONCILE_INTERVAL_MINUTES must be/);
    }
  });

  it('request limits: 30 s for a body, 8 s on the database, 5 s a Clerk call, 2,000 connections; seconds may be fractions', () => {
    expect(parseConfig({}).limits).toEqual({
      requestTimeoutMs: 30_000,
      databaseTimeoutMs: 8_000,
      clerkApiTimeoutMs: 5_000,
      maxConnections: 2_000,
    });
    expect(
      parseConfig({
        REQUEST_TIMEOUT_SECONDS: '0.5',
        DATABASE_TIMEOUT_SECONDS: '2',
        CLERK_API_TIMEOUT_SECONDS: '1.5',
        MAX_CONNECTIONS: '50',
      }).limits,
    ).toEqual({ requestTimeoutMs: 500, databaseTimeoutMs: 2_000, clerkApiTimeoutMs: 1_500, maxConnections: 50 });
    const message = configError({
      REQUEST_TIMEOUT_SECONDS: '0',
      DATABASE_TIMEOUT_SECONDS: '61',
      CLERK_API_TIMEOUT_SECONDS: 'soon',
      MAX_CONNECTIONS: '1.5',
    });
    expect(message).toMatch(/REQUEST_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 3600/);
    expect(message).toMatch(/DATABASE_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 60/);
    expect(message).toMatch(/CLERK_API_TIMEOUT_SECONDS must be a number of seconds/);
    expect(message).toMatch(/MAX_CONNECTIONS must be a whole number from 1 to 1000000/);
  });

  it('LOG_FORMAT is json or pretty', () => {
    expect(parseConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(parseConfig({}).logFormat).toBeUndefined();
    expect(configError({ LOG_FORMAT: 'yaml' })).toMatch(/LOG_FORMAT must be one of json, pretty/);
  });

  it.each(['abc', '-1', '65536', '3000.5'])('refuses PORT=%s', (port) => {
    expect(configError({ PORT: port })).toMatch(/PORT/);
  });

  it('requires the Clerk secrets and a database in production', () => {
    const message = configError({ NODE_ENV: 'production' });
    expect(message).toContain('CLERK_WEBHOOK_SIGNING_SECRET is required when NODE_ENV=production');
    expect(message).toContain('CLERK_SECRET_KEY is required when NODE_ENV=production');
    expect(message).toContain(
      'MONGODB_URI is required when NODE_ENV=production: the embedded MongoDB is for development and tests only',
    );
    const { MONGODB_URI: _, ...withoutDatabase } = productionEnv;
    expect(configError({ NODE_ENV: 'production', ...withoutDatabase })).toMatch(
      /^Invalid configuration \(MONGODB_URI\):\n {2}- MONGODB_URI is required when NODE_ENV=production/,
    );
    expect(parseConfig({ NODE_ENV: 'production', ...productionEnv })).toMatchObject({
      production: true,
      missingClerkVariables: [],
    });
  });

  it('takes several signing secrets separated by spaces or commas', () => {
    expect(
      parseConfig({ CLERK_WEBHOOK_SIGNING_SECRET: ` ${secret},${otherSecret}  ` }).clerk.webhookSigningSecrets,
    ).toEqual([secret, otherSecret]);
    expect(
      parseConfig({ CLERK_WEBHOOK_SIGNING_SECRET: `${secret} ${otherSecret}` }).clerk.webhookSigningSecrets,
    ).toEqual([secret, otherSecret]);
  });

  it('accepts a PEM key written on one line with \\n, and lists of origins', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const config = parseConfig({
      CLERK_JWT_KEY: pem.replace(/\n/g, '\\n'),
      CLERK_AUTHORIZED_PARTIES: 'https://app.example.com, http://localhost:5173/',
      CORS_ORIGINS: 'https://app.example.com',
      CLERK_API_URL: 'http://127.0.0.1:4000/',
    });
    expect(config.clerk.jwtKey).toBe(pem);
    expect(config.clerk.authorizedParties).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.corsOrigins).toEqual(['https://app.example.com']);
    expect(config.clerk.apiUrl).toBe('http://127.0.0.1:4000');
  });

  it('treats blank values as unset', () => {
    expect(parseConfig({ PORT: '', MONGODB_URI: '  ', CLERK_SECRET_KEY: '' })).toMatchObject({
      port: 3000,
      mongodbUri: undefined,
    });
  });
});
