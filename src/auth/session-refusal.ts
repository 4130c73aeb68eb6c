import { UnauthorizedException } from '@nestjs/common';

/**
 * Why a session is refused, as Clerk names it in the `x-clerk-auth-reason` header: @clerk/backend's
 * TokenVerificationErrorReason values (`token-expired`, `jwk-kid-mismatch`, …) and its
 * AuthErrorReason `session-token-missing`. Clerk has no reason of its own for a pending session
 * (its SDKs treat one as signed out): `session-token-pending` follows its naming.
 */
export const AUTH_REASON_HEADER = 'x-clerk-auth-reason';

const MESSAGES: Record<string, string> = {
  'session-token-missing': 'A Clerk session token is required',
  'session-token-pending': 'The session is pending: it has a task to finish in Clerk',
  'token-expired': 'The session token has expired',
  'token-not-active-yet': 'The session token is not valid yet',
  'token-iat-in-the-future': 'The session token was issued in the future',
  'token-invalid-authorized-parties': 'The session token was issued for an origin that is not allowed',
  'token-invalid-signature': 'The session token signature is invalid',
  'token-invalid-algorithm': 'The session token is not signed with an accepted algorithm',
  'jwk-kid-mismatch': 'The session token is signed with a key Clerk does not publish',
};

/** A 401 with Clerk's reason; `detail` goes to the request's log line only (never the token). */
export class SessionRefusedException extends UnauthorizedException {
  constructor(
    readonly reason: string,
    readonly detail?: string,
    message = MESSAGES[reason] ?? 'The session token is invalid',
  ) {
    super(message);
  }
}

/** An outside value as a log shows it: quoted and cut short. */
export const shown = (value: unknown): string => JSON.stringify(String(value).slice(0, 120));
