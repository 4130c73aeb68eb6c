/** A feature whose configuration variable is unset (development only); the HTTP edge answers 503. */
export class FeatureNotConfiguredError extends Error {
  override readonly name = 'FeatureNotConfiguredError';

  constructor(
    readonly feature: string,
    readonly variable: string,
  ) {
    super(`${feature} is not configured: set ${variable}`);
  }
}
