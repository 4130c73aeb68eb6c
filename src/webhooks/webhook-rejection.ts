import type { HttpStatusError } from '../http/http-status.error';

/** Why a delivery was refused, in a small fixed set (logs, and the metrics' `reason` label). */
export type RejectionReason = 'headers' | 'signature' | 'timestamp' | 'body' | 'payload';

const STATUS: Record<RejectionReason, number> = {
  headers: 400,
  signature: 400,
  timestamp: 400,
  body: 400,
  payload: 422,
};

/** A delivery refused with a 4xx (the HTTP filter answers it): Svix shows the message on the endpoint's attempts. */
export class WebhookRejection extends Error implements HttpStatusError {
  override readonly name = 'WebhookRejection';

  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return STATUS[this.reason];
  }
}
