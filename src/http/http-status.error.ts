/**
 * What an error tells the error filter about its answer. A feature throws an HttpException, or an
 * error of its own that carries its status this way: the filter knows no feature's errors.
 */
export interface HttpStatusError {
  readonly message: string;
  /** The answer's status: a 4xx the client can act on, or a 503. */
  readonly httpStatus: number;
  /** Seconds the client should wait before trying again (`Retry-After`), when that is known. */
  readonly retryAfterSeconds?: number;
  /** An answer that is no incident although it is a 5xx (a development 503): a warning without a stack. */
  readonly expected?: boolean;
}

export function isHttpStatusError(error: unknown): error is HttpStatusError {
  return error instanceof Error && Number.isInteger((error as Partial<HttpStatusError>).httpStatus);
}
