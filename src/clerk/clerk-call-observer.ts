/**
 * Who counts the calls to Clerk's Backend API (the metrics). An abstract class, so that Nest
 * injects whatever provides it and this folder imports none of its users.
 */
export abstract class ClerkCallObserver {
  /** One call: its HTTP status, `network` when Clerk did not answer, `error` when it failed otherwise. */
  abstract countBackendApiCall(operation: string, status: number | 'network' | 'error', seconds: number): void;
}
