/**
 * Who counts the session checks that could not be made (the metrics). An abstract class, so that
 * Nest injects whatever provides it and this folder imports none of its users.
 */
export abstract class SessionObserver {
  /** A token answered 503: Clerk's JWKS could not be fetched to verify it. */
  abstract countSessionVerificationUnavailable(): void;
}
