import { Injectable, Logger, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { verifyToken } from '@clerk/backend';
import { AppConfigService } from '../config/config.service';
import { FeatureNotConfiguredError } from '../config/feature-not-configured.error';
import type { ClerkSession } from './session.decorator';

/** Reasons that mean Clerk could not be asked, not that the token is bad. */
const CLERK_UNREACHABLE = new Set(['jwk-remote-failed-to-load', 'secret-key-invalid', 'jwk-failed-to-resolve']);

interface SessionClaims {
  sub?: string;
  sid?: string;
  org_id?: string;
  o?: { id?: string };
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly options: Parameters<typeof verifyToken>[1];

  constructor(private readonly config: AppConfigService) {
    const { jwtKey, secretKey, apiUrl, authorizedParties } = config.clerk;
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
    let claims: SessionClaims;
    try {
      claims = (await verifyToken(token, this.options)) as SessionClaims;
    } catch (error) {
      // The SDK throws TokenVerificationError; `instanceof` is unreliable across module formats,
      // so branch on its `reason`.
      const { reason, message = String(error) } = error as { reason?: string; message?: string };
      // No reason: not a verdict on the token but a failure to check it (the JWKS fetch failed).
      if (reason === undefined || CLERK_UNREACHABLE.has(reason)) {
        this.logger.warn(`Session token not verifiable: ${reason ?? 'error'} (${message})`);
        throw new ServiceUnavailableException('Clerk could not be reached to verify the session');
      }
      this.logger.debug(`Session token refused: ${reason} (${message})`);
      throw new UnauthorizedException('The session token is invalid or expired');
    }
    if (!claims.sub) throw new UnauthorizedException('The session token is invalid or expired');
    return { userId: claims.sub, sessionId: claims.sid ?? null, orgId: claims.org_id ?? claims.o?.id ?? null };
  }
}
