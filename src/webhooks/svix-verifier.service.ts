import { BadRequestException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Webhook, WebhookVerificationError } from 'svix';
import { ClerkEvent } from '../clerk/clerk-event.schema';
import { AppConfigService } from '../config/config.service';

export const SVIX_HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;
type SvixHeaders = Record<(typeof SVIX_HEADERS)[number], string>;

export interface VerifiedDelivery {
  svixId: string;
  event: ClerkEvent;
}

/**
 * Svix's side of a delivery: its headers, and its signature over the exact bytes received,
 * checked before anything is parsed. Svix's own error texts never reach the client.
 */
@Injectable()
export class SvixVerifier {
  /** One verifier per configured secret: any of them may sign during a rotation. */
  private readonly verifiers: Webhook[];

  constructor(private readonly config: AppConfigService) {
    this.verifiers = config.clerk.webhookSigningSecrets.map((secret) => new Webhook(secret));
  }

  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): VerifiedDelivery {
    this.config.require(this.verifiers, 'CLERK_WEBHOOK_SIGNING_SECRET', 'Webhook verification');
    const svixHeaders = svixHeadersOf(headers);
    if (!this.verifiers.some((verifier) => verifies(verifier, rawBody, svixHeaders))) {
      throw new BadRequestException('Webhook signature is invalid or its timestamp is outside the tolerance');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new BadRequestException('The webhook body is not JSON');
    }
    const event = ClerkEvent.safeParse(payload);
    if (!event.success) throw new UnprocessableEntityException('The webhook body is not a Clerk event (type and data)');
    return { svixId: svixHeaders['svix-id'], event: event.data };
  }
}

function verifies(verifier: Webhook, rawBody: Buffer, headers: SvixHeaders): boolean {
  try {
    verifier.verify(rawBody, headers);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

function svixHeadersOf(headers: Record<string, string | string[] | undefined>): SvixHeaders {
  const missing = SVIX_HEADERS.filter((name) => typeof headers[name] !== 'string' || headers[name] === '');
  if (missing.length) throw new BadRequestException(`Missing Svix header(s): ${missing.join(', ')}`);
  return Object.fromEntries(SVIX_HEADERS.map((name) => [name, headers[name] as string])) as SvixHeaders;
}
