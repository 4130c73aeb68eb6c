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

/** The JSON of a segment of a token whose shape `malformedTokenReason` accepted (0: header, 1: payload). */
export function decodedSegment(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8')) as Record<string, unknown>;
}
