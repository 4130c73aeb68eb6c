import { createHash } from 'node:crypto';
import type { ClerkSession } from './clerk-session';

/** What a verified Clerk session token said, and what must be checked again on every use. */
export interface VerifiedToken {
  session: ClerkSession;
  /** The token's own `exp` and `nbf`, in seconds. */
  exp: number;
  nbf?: number;
  azp?: string;
}

interface Entry extends VerifiedToken {
  /** When this entry is forgotten (ms): the token's expiry, or a minute after it was verified. */
  forgetAt: number;
  bytes: number;
}

export interface VerifiedTokensLimits {
  /** Entries kept at most. */
  entries: number;
  /** Estimated bytes kept at most (keys, sessions and bookkeeping). */
  bytes: number;
  /** How long an entry is kept at most (ms). */
  ttlMs: number;
  /** The clock skew the SDK allows on exp and nbf (ms); the same is allowed here, no more. */
  clockSkewMs: number;
}

export const DEFAULT_LIMITS: VerifiedTokensLimits = {
  entries: 20_000,
  bytes: 8 * 1024 * 1024,
  ttlMs: 60_000,
  clockSkewMs: 5_000,
};

/** A map entry's fixed cost besides its strings: key, object, Map slot (a generous estimate). */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * Session tokens this process has verified itself, for the rest of their short life.
 *
 * Why it is safe: networkless verification accepts a token for as long as its signature holds and
 * `exp` is not passed; a Clerk session token cannot be revoked before that (Clerk keeps tokens
 * short-lived, about a minute, for that reason). An entry is found only by the SHA-256 of the
 * whole token string, so it answers for exactly the bytes that were verified, never for another
 * token of the same user or session; `exp`, `nbf` and the authorized party are checked again on
 * every use, with the SDK's own clock skew; and an entry is forgotten at the token's `exp`, or a
 * minute after verification, whichever comes first. It accepts nothing that verification would
 * refuse at that moment. It is bounded by entries and by bytes: the oldest entries go first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly limits: VerifiedTokensLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get estimatedBytes(): number {
    return this.bytes;
  }

  /** The session of this exact token, when it was verified here and is still valid for these parties. */
  find(token: string, authorizedParties: readonly string[]): ClerkSession | undefined {
    const key = digest(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.forgetAt) {
      this.forget(key, entry);
      return undefined;
    }
    if (!isValidNow(entry, now, this.limits.clockSkewMs, authorizedParties)) return undefined;
    return entry.session;
  }

  /** Keeps what verification of this token established. */
  remember(token: string, verified: VerifiedToken): void {
    const now = this.now();
    const forgetAt = Math.min(verified.exp * 1000, now + this.limits.ttlMs);
    if (forgetAt <= now) return;
    const key = digest(token);
    const previous = this.entries.get(key);
    if (previous) this.forget(key, previous);
    const { session } = verified;
    const bytes =
      ENTRY_OVERHEAD_BYTES +
      2 * (key.length + session.userId.length + (session.sessionId?.length ?? 0) + (session.orgId?.length ?? 0)) +
      2 * (verified.azp?.length ?? 0);
    const entry: Entry = { ...verified, forgetAt, bytes };
    this.entries.set(key, entry);
    this.bytes += bytes;
    // The oldest first (a Map keeps insertion order): they expire first too.
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size <= this.limits.entries && this.bytes <= this.limits.bytes) break;
      this.forget(oldestKey, oldest);
    }
  }

  private forget(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

const digest = (token: string): string => createHash('sha256').update(token).digest('base64');

/** The SDK's time and party checks, as it makes them on every verification. */
function isValidNow(entry: VerifiedToken, now: number, skewMs: number, authorizedParties: readonly string[]): boolean {
  if (entry.exp * 1000 + skewMs <= now) return false;
  if (entry.nbf !== undefined && entry.nbf * 1000 - skewMs > now) return false;
  if (entry.azp && authorizedParties.length && !authorizedParties.includes(entry.azp)) return false;
  return true;
}
