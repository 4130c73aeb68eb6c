import { ServiceUnavailableException } from '@nestjs/common';

/** A 503 that tells the client when to try again (`Retry-After`, in seconds), when that is known. */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
