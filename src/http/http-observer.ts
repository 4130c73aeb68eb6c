/**
 * What the request's life reports as it happens, for whoever counts it (the metrics). The HTTP
 * layer calls it and knows nothing of who listens.
 */
export interface HttpObserver {
  /** A request answered: by route pattern (never the raw URL, so ids stay out of any label). */
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** A request answered 503 because the database could not be reached. */
  countDatabaseUnavailable(): void;
}
