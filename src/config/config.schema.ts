import { z } from 'zod';
import {
  count,
  isMongoUri,
  isRsaPublicKey,
  optional,
  originList,
  seconds,
  splitList,
  trustProxy,
  WEBHOOK_SECRET,
} from './env-values';
import { type AppConfig, DEFAULT_LIMITS, LOG_FORMATS, LOG_LEVELS, PUBLIC_PROFILE_SCOPES } from './app-config';
import { OTEL_ENV } from './otel-env';

/** The only NODE_ENV values with development rules; any other value (a typo such as `prod` too) gets production rules. */
const DEVELOPMENT_ENVS = ['development', 'test'];
const isProduction = (nodeEnv: string | undefined) => nodeEnv !== undefined && !DEVELOPMENT_ENVS.includes(nodeEnv);

/** The Clerk variables a production deployment must set; development starts without them. */
const REQUIRED_IN_PRODUCTION = ['CLERK_WEBHOOK_SIGNING_SECRET', 'CLERK_SECRET_KEY'] as const;

export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

const envSchema = z
  .object({
    NODE_ENV: optional(z.string()),
    PORT: optional(
      z
        .string()
        .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 65535')
        .transform(Number)
        .refine((port) => port <= 65535, 'must be a whole number from 0 to 65535'),
    ),
    HOST: optional(z.string()),
    MONGODB_URI: optional(
      z.string().refine(isMongoUri, 'must be a MongoDB connection string (mongodb://... or mongodb+srv://...)'),
    ),
    CLERK_WEBHOOK_SIGNING_SECRET: optional(
      z
        .string()
        .transform(splitList)
        .refine((secrets) => secrets.every((secret) => WEBHOOK_SECRET.test(secret)), {
          message:
            'must be one or more Svix signing secrets (whsec_ followed by base64), separated by spaces or commas',
        }),
    ),
    CLERK_SECRET_KEY: optional(
      z.string().regex(/^sk_(test|live)_\S+$/, 'must be a Clerk secret key (sk_test_... or sk_live_...)'),
    ),
    CLERK_JWT_KEY: optional(
      z
        .string()
        // .env files and container platforms often carry the PEM on one line with literal \n.
        .transform((pem) => pem.replace(/\\n/g, '\n'))
        .refine(
          isRsaPublicKey,
          'must be the PEM RSA public key from the Clerk dashboard (-----BEGIN PUBLIC KEY-----...)',
        ),
    ),
    CLERK_PUBLISHABLE_KEY: optional(
      z.string().regex(/^pk_(test|live)_\S+$/, 'must be a Clerk publishable key (pk_test_... or pk_live_...)'),
    ),
    CLERK_AUTHORIZED_PARTIES: originList,
    CLERK_API_URL: optional(
      z
        .string()
        .refine((url) => /^https?:\/\/[^/]/.test(url) && URL.canParse(url), 'must be an http(s) URL')
        .transform((url) => url.replace(/\/+$/, '')),
    ),
    CORS_ORIGINS: originList,
    LOG_LEVEL: optional(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
    LOG_FORMAT: optional(z.enum(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` })),
    TRUST_PROXY: trustProxy,
    PUBLIC_PROFILES: optional(
      z.enum(PUBLIC_PROFILE_SCOPES, { message: `must be one of ${PUBLIC_PROFILE_SCOPES.join(', ')}` }),
    ),
    METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (a random token)')),
    RECONCILE_INTERVAL_MINUTES: optional(
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, 'must be a number of minutes, such as 60 or 0.5')
        .transform(Number)
        .refine((minutes) => minutes > 0 && minutes <= 7 * 24 * 60, 'must be more than 0 and at most a week'),
    ),
    REQUEST_TIMEOUT_SECONDS: seconds(3600),
    DATABASE_TIMEOUT_SECONDS: seconds(60),
    CLERK_API_TIMEOUT_SECONDS: seconds(60),
    MAX_CONNECTIONS: count(1_000_000),
    ...OTEL_ENV,
  })
  .superRefine((env, ctx) => {
    // The periodic reconciliation reads Clerk's Backend API: it cannot run without the key.
    if (env.RECONCILE_INTERVAL_MINUTES !== undefined && env.CLERK_SECRET_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECONCILE_INTERVAL_MINUTES'],
        message: "needs CLERK_SECRET_KEY: the reconciliation reads Clerk's Backend API",
      });
    }
    if (!isProduction(env.NODE_ENV)) return;
    const why = env.NODE_ENV === 'production' ? '' : ' (every NODE_ENV but development and test gets production rules)';
    for (const name of REQUIRED_IN_PRODUCTION) {
      if (env[name] === undefined)
        ctx.addIssue({ code: 'custom', path: [name], message: `is required when NODE_ENV=${env.NODE_ENV}${why}` });
    }
    // The embedded database is for development and tests: its data would be gone at the next restart.
    if (env.MONGODB_URI === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['MONGODB_URI'],
        message: `is required when NODE_ENV=${env.NODE_ENV}${why}: the embedded MongoDB is for development and tests only`,
      });
  });

/**
 * Validates the environment and returns the typed configuration, or throws one
 * InvalidConfigError that names every bad variable (never its value: it may be a secret).
 */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = new Map<string, string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      if (!problems.has(name)) problems.set(name, issue.message);
    }
    const lines = [...problems].map(([name, message]) => `  - ${name} ${message}`);
    throw new InvalidConfigError(`Invalid configuration (${[...problems.keys()].join(', ')}):\n${lines.join('\n')}`);
  }
  const e = result.data;
  const clerk = {
    webhookSigningSecrets: e.CLERK_WEBHOOK_SIGNING_SECRET ?? [],
    secretKey: e.CLERK_SECRET_KEY,
    jwtKey: e.CLERK_JWT_KEY,
    publishableKey: e.CLERK_PUBLISHABLE_KEY,
    authorizedParties: e.CLERK_AUTHORIZED_PARTIES ?? [],
    apiUrl: e.CLERK_API_URL,
  };
  return {
    production: isProduction(e.NODE_ENV),
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    mongodbUri: e.MONGODB_URI,
    logLevel: e.LOG_LEVEL ?? 'info',
    logFormat: e.LOG_FORMAT,
    trustProxy: e.TRUST_PROXY ?? false,
    metricsToken: e.METRICS_TOKEN,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MINUTES === undefined ? undefined : e.RECONCILE_INTERVAL_MINUTES * 60_000,
    corsOrigins: e.CORS_ORIGINS ?? [],
    publicProfiles: e.PUBLIC_PROFILES ?? 'organization',
    clerk,
    missingClerkVariables: REQUIRED_IN_PRODUCTION.filter((name) => e[name] === undefined),
    limits: {
      requestTimeoutMs: milliseconds(e.REQUEST_TIMEOUT_SECONDS) ?? DEFAULT_LIMITS.requestTimeoutMs,
      databaseTimeoutMs: milliseconds(e.DATABASE_TIMEOUT_SECONDS) ?? DEFAULT_LIMITS.databaseTimeoutMs,
      clerkApiTimeoutMs: milliseconds(e.CLERK_API_TIMEOUT_SECONDS) ?? DEFAULT_LIMITS.clerkApiTimeoutMs,
      maxConnections: e.MAX_CONNECTIONS ?? DEFAULT_LIMITS.maxConnections,
    },
  };
}

const milliseconds = (seconds: number | undefined) => (seconds === undefined ? undefined : Math.round(seconds * 1000));
