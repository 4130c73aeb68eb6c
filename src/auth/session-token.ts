import { NETWORK_CODES } from '../clerk/clerk-api.error';

/**
 * The shape of a session token, checked before the SDK sees it: three base64url segments whose
 * first two are JSON objects. The SDK reads the header's fields before its own checks, so a header
 * that is the JSON `null` (or a number, an array) threw a TypeError without a reason, which read as
 * "Clerk could not be reached" (503). Any token that fails here is simply invalid (401).
 */

/** Clerk's session tokens are 1-2 KiB; a cookie holds at most 4 KiB. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Why the token cannot be a JWT, or undefined when its shape is right (its signature is not checked here). */
export function malformedTokenReason(token: string): string | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return `longer than ${MAX_TOKEN_LENGTH} characters`;
  const segments = token.split('.');
  if (segments.length !== 3) return 'not three dot-separated segments';
  if (!segments.every((segment) => SEGMENT.test(segment))) return 'a segment is not base64url';
  for (const [name, segment] of [
    ['header', segments[0]],
    ['payload', segments[1]],
  ] as const) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    } catch {
      return `the ${name} is not JSON`;
    }
    if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded))
      return `the ${name} is not an object`;
  }
  return undefined;
}

/** The JWKS fetch took longer than the Backend API's time limit. */
export class JwksTimeoutError extends Error {
  override readonly name = 'JwksTimeoutError';

  constructor(timeoutMs: number) {
    super(`Clerk's JWKS did not arrive within ${timeoutMs / 1000} s`);
  }
}

/** The SDK's reasons that mean Clerk could not be asked, not that the token is bad. */
const CLERK_UNREACHABLE = new Set(['jwk-remote-failed-to-load', 'secret-key-invalid', 'jwk-failed-to-resolve']);

/**
 * Whether a verification failure means the JWKS could not be had (503) rather than a bad token
 * (401): a reason the SDK gives for it, our own time limit, or (with no reason) a failed fetch or
 * a JWKS answer that is not JSON. A token of the right shape cannot cause the latter two.
 */
export function isVerificationUnavailable(error: unknown): boolean {
  if (error instanceof JwksTimeoutError) return true;
  const { reason, name, message, cause } = (error ?? {}) as {
    reason?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown };
  };
  if (typeof reason === 'string') return CLERK_UNREACHABLE.has(reason);
  if (name === 'AbortError' || name === 'TimeoutError' || name === 'SyntaxError') return true;
  if (typeof cause?.code === 'string' && NETWORK_CODES.has(cause.code)) return true;
  return typeof message === 'string' && /fetch failed/i.test(message);
}
