/**
 * Clerk JSON the service cannot use, wherever it came from (a webhook's body, a Backend API
 * answer). `body`: not JSON at all (or nested too deep); `payload`: JSON, but not a Clerk event or
 * object the service can use. The message names the field, in the payload's own terms.
 */
export class InvalidClerkPayload extends Error {
  override readonly name = 'InvalidClerkPayload';

  constructor(
    message: string,
    readonly reason: 'body' | 'payload' = 'payload',
    /** The event it was, when the envelope was readable: for the log and the metric. */
    readonly event?: { type: string; objectId?: string },
  ) {
    super(message);
  }
}
