// The configuration as the code reads it, once `parseConfig` (config.schema.ts) has validated the environment.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const PUBLIC_PROFILE_SCOPES = ['organization', 'all'] as const;
/** Who sees a user's public profile: those who share a live organization with them, or every signed-in user. */
export type PublicProfileScope = (typeof PUBLIC_PROFILE_SCOPES)[number];

export interface AppConfig {
  production: boolean;
  port: number;
  host: string;
  /** Unset (development and tests only): an embedded mongodb-memory-server keeps data under ./.data/. */
  mongodbUri?: string;
  logLevel: LogLevel;
  /** Unset: pretty in development when stdout is a terminal, JSON otherwise. */
  logFormat?: LogFormat;
  /** Fastify's trustProxy: false (trust none), true, or the proxies' addresses or ranges. */
  trustProxy: boolean | string[];
  /** When set, GET /metrics requires it as a bearer token. */
  metricsToken?: string;
  /** Unset: the service does not reconcile by itself (the command still does). */
  reconcileIntervalMs?: number;
  corsOrigins: string[];
  publicProfiles: PublicProfileScope;
  clerk: {
    webhookSigningSecrets: string[];
    secretKey?: string;
    jwtKey?: string;
    publishableKey?: string;
    authorizedParties: string[];
    apiUrl?: string;
  };
  /** Clerk variables that are unset; the features needing them answer 503 (development only). */
  missingClerkVariables: string[];
  /** Every wait a request can cause is bounded (docs/operations.md, "Timeouts and limits"). */
  limits: RequestLimits;
}

export interface RequestLimits {
  /** A request whose body has not fully arrived by then is answered 408 and its connection closed. */
  requestTimeoutMs: number;
  /** How long a request waits on the database before it answers 503 with Retry-After. */
  databaseTimeoutMs: number;
  /** How long one call to Clerk's Backend API (or its JWKS) may take before it counts as unreachable. */
  clerkApiTimeoutMs: number;
  /** Concurrent connections the server accepts; more are closed as they arrive. */
  maxConnections: number;
}

/** The defaults of RequestLimits: Svix gives up on a delivery after 15 s, so a 503 must come well before. */
export const DEFAULT_LIMITS: Readonly<RequestLimits> = {
  requestTimeoutMs: 30_000,
  databaseTimeoutMs: 8_000,
  clerkApiTimeoutMs: 5_000,
  maxConnections: 2_000,
};
