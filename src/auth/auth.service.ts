import { Injectable, Logger } from '@nestjs/common';
import { verifyToken } from '@clerk/backend';
import { AppConfigService } from '../config/config.service';
import { FeatureNotConfiguredError } from '../config/feature-not-configured.error';
import { ClerkBudget } from '../clerk/clerk-budget.service';
import { ClerkCallObserver } from '../clerk/clerk-call-observer';
import { RetryLaterException } from '../http/retry-later.exception';
import { SessionObserver } from './session-observer';
import type { ClerkSession } from './clerk-session';
import { decodedSegment, malformedTokenReason } from './session-token';
import { JwksKeySet, JwksUnavailableError } from './jwks-key-set';
import { jwksFetcher } from './jwks-fetch';
import { SessionRefusedException, shown } from './session-refusal';
import { VerifiedTokens } from './verified-tokens';

interface SessionClaims {
  sub?: string;
  sid?: string;
  sts?: string;
  org_id?: string;
  o?: { id?: string };
  exp?: number;
  nbf?: number;
  azp?: string;
}

/**
 * Verifies Clerk session tokens with @clerk/backend's own `verifyToken`, always given one key:
 * CLERK_JWT_KEY, or the PEM of the JWKS key this service selected by the token's kid (JwksKeySet).
 * The SDK's own JWKS cache only ever adds keys (a retired key stays trusted while unknown kids keep
 * it fresh), refetches for every unknown kid and cannot abort its fetch; owning the key set fixes
 * the three while the checks themselves (algorithm, signature, exp/nbf/iat with Clerk's 5 s skew,
 * azp, token category) stay exactly the SDK's.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly jwtKey?: string;
  private readonly keySet?: JwksKeySet;
  private readonly authorizedParties: readonly string[];
  /** Tokens verified here, kept until their exp (at most a minute): see VerifiedTokens for why that is safe. */
  private readonly verified = new VerifiedTokens();

  constructor(
    config: AppConfigService,
    budget: ClerkBudget,
    calls: ClerkCallObserver,
    private readonly observer: SessionObserver,
  ) {
    const { jwtKey, secretKey, apiUrl, authorizedParties } = config.clerk;
    this.authorizedParties = authorizedParties;
    this.jwtKey = jwtKey;
    if (!jwtKey && secretKey) {
      const timeoutMs = config.values.limits.clerkApiTimeoutMs;
      this.keySet = new JwksKeySet(
        jwksFetcher({
          apiUrl,
          secretKey,
          timeoutMs,
          onFetch: () => budget.record(),
          onAnswer: (status, seconds) => calls.countBackendApiCall('getJwks', status, seconds),
        }),
      );
    }
  }

  /** Verifies a Clerk session token: 401 (with Clerk's reason) for any bad token, 503 when Clerk cannot be reached. */
  async verifySessionToken(token: string | undefined): Promise<ClerkSession> {
    if (!token) throw new SessionRefusedException('session-token-missing');
    if (!this.jwtKey && !this.keySet) {
      throw new FeatureNotConfiguredError('Session verification', 'CLERK_JWT_KEY or CLERK_SECRET_KEY');
    }
    // The same bytes verified before, still within their exp, nbf and authorized parties.
    const known = this.verified.find(token, this.authorizedParties);
    if (known) return known;
    const malformed = malformedTokenReason(token);
    if (malformed) throw new SessionRefusedException('token-invalid', malformed);
    const jwtKey = this.jwtKey ?? (await this.keyOf(token));
    const { data, errors } = await verifyToken(token, {
      jwtKey,
      authorizedParties: this.authorizedParties.length ? [...this.authorizedParties] : undefined,
    }).then(
      (claims) => ({ data: claims as SessionClaims, errors: undefined }),
      (error: unknown) => ({ data: undefined, errors: error }),
    );
    if (!data) throw this.refusal(errors, token);
    const claims = data;
    // A signed token of another shape (a subject that is not a string) is no Clerk session either.
    if (typeof claims.sub !== 'string' || !claims.sub) throw new SessionRefusedException('token-invalid', 'no sub');
    // A session with an unfinished task is signed out, as Clerk's SDKs treat it by default.
    if (claims.sts === 'pending') throw new SessionRefusedException('session-token-pending');
    const orgId = claims.org_id ?? claims.o?.id;
    const session: ClerkSession = {
      userId: claims.sub,
      sessionId: typeof claims.sid === 'string' ? claims.sid : null,
      orgId: typeof orgId === 'string' ? orgId : null,
    };
    // verifyToken requires a numeric exp; a token without one is not kept.
    if (typeof claims.exp === 'number')
      this.verified.remember(token, {
        session,
        exp: claims.exp,
        nbf: typeof claims.nbf === 'number' ? claims.nbf : undefined,
        azp: typeof claims.azp === 'string' ? claims.azp : undefined,
      });
    return session;
  }

  /** The PEM of the JWKS key the token names: 401 for a kid Clerk does not publish, 503 when the JWKS cannot be had. */
  private async keyOf(token: string): Promise<string> {
    const { kid } = decodedSegment(token, 0) as { kid?: unknown };
    if (typeof kid !== 'string' || kid === '') throw new SessionRefusedException('token-invalid', 'no kid');
    try {
      const pem = await this.keySet!.pemFor(kid);
      if (pem === undefined) throw new SessionRefusedException('jwk-kid-mismatch', `kid ${shown(kid)}`);
      return pem;
    } catch (error) {
      if (!(error instanceof JwksUnavailableError)) throw error;
      this.logger.warn(`Session token not verifiable: ${error.message}`);
      this.observer.countSessionVerificationUnavailable();
      throw new RetryLaterException(
        'Clerk could not be reached to verify the session',
        Math.max(1, error.retryAfterSeconds),
      );
    }
  }

  /** The SDK's verdict as a 401 with its reason; the offending azp is named for the log. */
  private refusal(error: unknown, token: string): SessionRefusedException {
    // The SDK throws TokenVerificationError; `instanceof` is unreliable across module formats, so its `reason` decides.
    const reason = (error as { reason?: unknown } | undefined)?.reason;
    if (reason === 'token-invalid-authorized-parties') {
      const { azp } = decodedSegment(token, 1) as { azp?: unknown };
      return new SessionRefusedException(
        reason,
        `azp ${shown(azp)} is not in CLERK_AUTHORIZED_PARTIES (${this.authorizedParties.join(', ')})`,
      );
    }
    if (typeof reason === 'string') return new SessionRefusedException(reason);
    return new SessionRefusedException('token-invalid', String((error as Error)?.message ?? error).slice(0, 200));
  }
}
