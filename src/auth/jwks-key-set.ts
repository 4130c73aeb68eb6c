import { createPublicKey } from 'node:crypto';

/** The JWKS could not be had: the token cannot be judged now (503), not refused. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
  constructor(
    message: string,
    /** Seconds until the next fetch may be tried. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface JwksKeySetLimits {
  /** Keys older than this are fetched again before use (Clerk's SDK caches them 5 minutes too). */
  maxAgeMs: number;
  /** At most one fetch this often for tokens whose kid is not in the set. */
  unknownKidIntervalMs: number;
  /** After a failed fetch, the next waits this long, doubling per failure up to `maxBackoffMs`. */
  firstBackoffMs: number;
  maxBackoffMs: number;
}

export const JWKS_LIMITS: JwksKeySetLimits = {
  maxAgeMs: 5 * 60_000,
  unknownKidIntervalMs: 5_000,
  firstBackoffMs: 1_000,
  maxBackoffMs: 10_000,
};

/** The base64url length of a 2048-bit modulus. */
const RSA_2048_MODULUS_LENGTH = 342;

/** Fetches Clerk's JWKS document (`{keys: [...]}`), or throws. */
export type JwksFetcher = () => Promise<unknown>;

/**
 * Clerk's signing keys as the JWKS publishes them now, each as the PEM `verifyToken` takes.
 *
 * A fetch replaces the set: a kid Clerk no longer publishes is refused from the next fetch on.
 * The set is fetched when it is empty or older than `maxAgeMs`; a token whose kid is not in the
 * set may trigger a fetch at most once per `unknownKidIntervalMs` for the whole process (so junk
 * kids cost no more than that), and inside that interval it is simply unknown. Failed fetches
 * back off. Concurrent callers share one fetch. Stale keys are never used: when the set cannot
 * be renewed, tokens cannot be judged (JwksUnavailableError), rather than judged by keys Clerk may
 * have retired.
 */
export class JwksKeySet {
  private keys?: Map<string, string>;
  private fetchedAt = 0;
  private lastUnknownKidFetch = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private retryAt = 0;
  private inflight?: Promise<void>;

  constructor(
    private readonly fetchJwks: JwksFetcher,
    private readonly limits: JwksKeySetLimits = JWKS_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The PEM of the key with this kid, or undefined when Clerk does not publish it (as of the last fetch). */
  async pemFor(kid: string): Promise<string | undefined> {
    if (!this.keys || this.now() >= this.fetchedAt + this.limits.maxAgeMs) await this.refresh();
    const known = this.keys!.get(kid);
    if (known !== undefined) return known;
    if (this.inflight) return this.afterInflight(kid);
    const now = this.now();
    if (now < this.lastUnknownKidFetch + this.limits.unknownKidIntervalMs || now < this.retryAt) return undefined;
    this.lastUnknownKidFetch = now;
    await this.refresh();
    return this.keys!.get(kid);
  }

  /** The kids of the current set (for logs and tests). */
  get kids(): string[] {
    return [...(this.keys?.keys() ?? [])];
  }

  private async afterInflight(kid: string): Promise<string | undefined> {
    await this.inflight?.catch(() => undefined);
    return this.keys?.get(kid);
  }

  private async refresh(): Promise<void> {
    if (!this.inflight) {
      const now = this.now();
      if (now < this.retryAt) {
        throw new JwksUnavailableError("Clerk's JWKS could not be fetched recently", (this.retryAt - now) / 1000);
      }
      this.inflight = this.fetchOnce().finally(() => (this.inflight = undefined));
    }
    await this.inflight;
  }

  private async fetchOnce(): Promise<void> {
    try {
      const keys = toPems(await this.fetchJwks());
      if (!keys.size) throw new Error('the JWKS holds no RSA signing key');
      this.keys = keys;
      this.fetchedAt = this.now();
      this.failures = 0;
      this.retryAt = 0;
    } catch (error) {
      const backoff = Math.min(this.limits.firstBackoffMs * 2 ** this.failures++, this.limits.maxBackoffMs);
      this.retryAt = this.now() + backoff;
      // Stale keys are dropped: a key Clerk may have retired is not trusted while the set cannot be renewed.
      if (this.keys && this.now() >= this.fetchedAt + this.limits.maxAgeMs) this.keys = undefined;
      throw new JwksUnavailableError(
        `Clerk's JWKS could not be fetched (${(error as Error)?.message ?? String(error)})`,
        backoff / 1000,
      );
    }
  }
}

/**
 * The usable keys of a JWKS document by kid: RSA-2048 keys with exponent 65537 and a kid, which is
 * what Clerk signs session tokens with, and what `verifyToken`'s `jwtKey` reads from a PEM.
 */
function toPems(document: unknown): Map<string, string> {
  const keys = (document as { keys?: unknown } | null)?.keys;
  const pems = new Map<string, string>();
  if (!Array.isArray(keys)) return pems;
  for (const jwk of keys as Record<string, unknown>[]) {
    if (jwk === null || typeof jwk !== 'object' || typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.e !== 'AQAB' || typeof jwk.n !== 'string' || jwk.n.length !== RSA_2048_MODULUS_LENGTH) continue;
    try {
      const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      pems.set(jwk.kid, pem.toString());
    } catch {
      // A key Node cannot read verifies nothing.
    }
  }
  return pems;
}
