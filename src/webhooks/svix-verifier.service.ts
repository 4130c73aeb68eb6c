import { Injectable } from '@nestjs/common';
import { Webhook, WebhookVerificationError } from 'svix';
import { AppConfigService } from '../config/config.service';
import { WebhookRejection } from './webhook-rejection';

const SVIX_HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;
/** The Standard Webhooks names of the same headers, which the svix package accepts as well. */
const STANDARD_NAMES: Record<(typeof SVIX_HEADERS)[number], string> = {
  'svix-id': 'webhook-id',
  'svix-timestamp': 'webhook-timestamp',
  'svix-signature': 'webhook-signature',
};
const MAX_SVIX_ID = 256;
const SVIX_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_SVIX_ID}}$`);
type SvixHeaders = Record<(typeof SVIX_HEADERS)[number], string>;
export type RawHeaders = Record<string, string | string[] | undefined>;

/**
 * Svix's side of a delivery, and only that: its headers, and its signature over the exact bytes
 * received, checked before anything is parsed. Svix's own error texts never reach the client.
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
    const svixHeaders = svixHeadersOf(headers);
    const failures = this.verifiers.map((verifier) => verificationFailure(verifier, rawBody, svixHeaders));
    if (!failures.includes(undefined)) {
      // The timestamp is checked before the signature, and is the same for every secret.
      if (failures.every((failure) => /timestamp/i.test(failure!))) {
        throw new WebhookRejection('timestamp', "The svix-timestamp is outside Svix's tolerance of 5 minutes");
      }
      throw new WebhookRejection('signature', 'The webhook signature matches none of the configured secrets');
    }
    return svixHeaders['svix-id'];
  }
}

/** Why the signature does not verify with this secret, or undefined when it does. */
function verificationFailure(verifier: Webhook, rawBody: Buffer, headers: SvixHeaders): string | undefined {
  try {
    verifier.verify(rawBody, headers);
    return undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.message;
    throw error;
  }
}

/**
 * The delivery id of a request: its `svix-id`, else its `webhook-id` (as the svix package reads
 * them), for the logs of a delivery refused before it verified.
 */
export function deliveryIdOf(headers: RawHeaders): string | undefined {
  const id = headerOf(headers, 'svix-id');
  return id && SVIX_ID.test(id) ? id : undefined;
}

/** A header by its Svix name, else by its Standard Webhooks name: the svix package's own precedence. */
function headerOf(headers: RawHeaders, name: (typeof SVIX_HEADERS)[number]): string | undefined {
  for (const candidate of [name, STANDARD_NAMES[name]]) {
    const value = headers[candidate];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function svixHeadersOf(headers: RawHeaders): SvixHeaders {
  const found = Object.fromEntries(SVIX_HEADERS.map((name) => [name, headerOf(headers, name)]));
  const missing = SVIX_HEADERS.filter((name) => found[name] === undefined);
  if (missing.length) {
    const names = missing.map((name) => `${name} (or ${STANDARD_NAMES[name]})`);
    throw new WebhookRejection('headers', `Missing Svix header(s): ${names.join(', ')}`);
  }
  // The id becomes a record's key and a log field: Svix's are short printable ASCII (msg_...).
  if (!SVIX_ID.test(found['svix-id']!)) {
    throw new WebhookRejection('headers', `svix-id must be at most ${MAX_SVIX_ID} printable ASCII characters`);
  }
  return found as SvixHeaders;
}
