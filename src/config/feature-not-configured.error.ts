/**
 * A feature whose configuration variable is unset (development only): a 503 naming the variable,
 * logged as a warning, not an incident. It carries what the HTTP layer's `HttpStatusError` asks
 * for without importing it: the configuration sits below the HTTP layer, which reads it.
 */
export class FeatureNotConfiguredError extends Error {
  override readonly name = 'FeatureNotConfiguredError';
  readonly httpStatus = 503;
  readonly expected = true;

  constructor(
    readonly feature: string,
    readonly variable: string,
  ) {
    super(`${feature} is not configured: set ${variable}`);
  }
}
