import { Injectable, Logger, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { verifyToken } from '@clerk/backend';
import { AppConfigService } from '../config/config.service';
import { FeatureNotConfiguredError } from '../config/feature-not-configured.error';
import { withTimeout } from '../common/with-timeout';
import { SessionObserver } from './session-observer';
import type { ClerkSession } from './clerk-session';
import { isVerificationUnavailable, JwksTimeoutError, malformedTokenReason } from './session-token';
import { VerifiedTokens } from './verified-tokens';

interface SessionClaims {
  sub?: string;
  sid?: string;
  org_id?: string;
  o?: { id?: string };
  exp?: number;
  nbf?: number;
  azp?: string;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly options: Parameters<typeof verifyToken>[1];
  private readonly timeoutMs: number;
  private readonly authorizedParties: readonly string[];
  /** Tokens verified here, kept until their exp (at most a minute): see VerifiedTokens for why that is safe. */
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly config: AppConfigService,
    private readonly observer: SessionObserver,
  ) {
    const { jwtKey, secretKey, apiUrl, authorizedParties } = config.clerk;
    this.timeoutMs = config.values.limits.clerkApiTimeoutMs;
    this.authorizedParties = authorizedParties;
    // With jwtKey the check is networkless; otherwise the SDK fetches and caches the JWKS.
    this.options = {
      jwtKey,
      secretKey,
      apiUrl,
      authorizedParties: authorizedParties.length ? authorizedParties : undefined,
    };
  }

  /** Verifies a Clerk session token: 401 for any bad token, 503 when Clerk cannot be reached. */
  async verifySessionToken(token: string | undefined): Promise<ClerkSession> {
    if (!token) throw new UnauthorizedException('A Clerk session token is required');
    if (!this.options.jwtKey && !this.options.secretKey) {
      throw new FeatureNotConfiguredError('Session verification', 'CLERK_JWT_KEY or CLERK_SECRET_KEY');
    }
    // The same bytes verified before, still within their exp, nbf and authorized parties.
    const known = this.verified.find(token, this.authorizedParties);
    if (known) return known;
    const malformed = malformedTokenReason(token);
    if (malformed) {
      this.logger.debug(`Session token refused: malformed (${malformed})`);
      throw new UnauthorizedException('The session token is invalid or expired');
    }
    let claims: SessionClaims;
    try {
      // Only a JWKS fetch waits on the network: it gets the Backend API's time limit.
      claims = (await withTimeout(
        verifyToken(token, this.options),
        this.timeoutMs,
        () => new JwksTimeoutError(this.timeoutMs),
      )) as SessionClaims;
    } catch (error) {
      // The SDK throws TokenVerificationError; `instanceof` is unreliable across module formats,
      // so branch on its `reason`.
      const { reason, message = String(error) } = error as { reason?: string; message?: string };
      if (isVerificationUnavailable(error)) {
        this.logger.warn(`Session token not verifiable: ${reason ?? 'error'} (${message})`);
        this.observer.countSessionVerificationUnavailable();
        throw new ServiceUnavailableException('Clerk could not be reached to verify the session');
      }
      this.logger.debug(`Session token refused: ${reason} (${message})`);
      throw new UnauthorizedException('The session token is invalid or expired');
    }
    // A signed token of another shape (a subject that is not a string) is no Clerk session either.
    if (typeof claims.sub !== 'string' || !claims.sub) {
      throw new UnauthorizedException('The session token is invalid or expired');
    }
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
}
