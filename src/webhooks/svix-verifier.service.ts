import { Injectable } from '@nestjs/common';
import { Webhook, WebhookVerificationError } from 'svix';
import { AppConfigService } from '../config/config.service';
import { RawHeaders, svixHeadersOf } from './svix-headers';
import { WebhookRejection } from './webhook-rejection';

/**
 * Svix's side of a delivery, and only that: its headers, and its signature over the exact bytes
 * received, checked before anything is parsed. The headers and the timestamp are checked here
 * first (`svixHeadersOf`), so whatever the svix package then refuses is the signature: none of
 * its error texts is read, nor reaches the client.
 */
@Injectable()
export class SvixVerifier {
  /** One verifier per configured secret: any of them may sign during a rotation. */
  private readonly verifiers: Webhook[];

  constructor(private readonly config: AppConfigService) {
    this.verifiers = config.clerk.webhookSigningSecrets.map((secret) => new Webhook(secret));
  }

  /** The delivery's svix-id, once one of the secrets verifies its signature; else a WebhookRejection. */
  verify(rawBody: Buffer, headers: RawHeaders): string {
    this.config.require(this.verifiers, 'CLERK_WEBHOOK_SIGNING_SECRET', 'Webhook verification');
    const { id, timestamp, signature } = svixHeadersOf(headers);
    // Only the resolved headers, under one name each: the package has nothing left to choose.
    const signed = { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': signature };
    // One HMAC over the body per secret, at most: the first secret that verifies ends the search.
    if (!this.verifiers.some((verifier) => verifies(verifier, rawBody, signed))) {
      throw new WebhookRejection('signature', 'The webhook signature matches none of the configured secrets');
    }
    return id;
  }
}

function verifies(verifier: Webhook, rawBody: Buffer, headers: Record<string, string>): boolean {
  try {
    verifier.verify(rawBody, headers);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}
