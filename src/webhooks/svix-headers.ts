import { WebhookRejection } from './webhook-rejection';

export type RawHeaders = Record<string, string | string[] | undefined>;

/** A delivery's Svix headers, by whichever of their two names each came. */
interface SvixHeaders {
  id: string;
  timestamp: string;
  signature: string;
  /** The name the signature came under (`svix-signature` or `webhook-signature`), for messages. */
  signatureName: string;
}

/**
 * Each header's Svix name, then its Standard Webhooks name: the first that is set is read, the
 * svix package's own precedence. Resolved here only; the svix package is handed the result.
 */
const NAMES = {
  id: ['svix-id', 'webhook-id'],
  timestamp: ['svix-timestamp', 'webhook-timestamp'],
  signature: ['svix-signature', 'webhook-signature'],
} as const;
type Field = keyof typeof NAMES;

const MAX_SVIX_ID = 256;
const SVIX_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_SVIX_ID}}$`);

/**
 * A signature header holds one `v1,<base64 HMAC-SHA256>` entry (47 characters) per secret that
 * signed it: a few during a rotation. More is no Svix delivery, and is refused before any
 * cryptography, so a bad delivery costs the same whatever its header holds.
 */
const MAX_SIGNATURES = 10;
export const MAX_SIGNATURE_LENGTH = 1024;

/** Svix's tolerance (standard-webhooks' verifyTimestamp): further from now either way is a replay or a wrong clock. */
const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

function headerOf(headers: RawHeaders, field: Field): [name: string, value: string] | undefined {
  for (const name of NAMES[field]) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return [name, value];
  }
  return undefined;
}

/** The delivery id of a request, for the logs of a delivery refused before it verified. */
export function deliveryIdOf(headers: RawHeaders): string | undefined {
  const id = headerOf(headers, 'id')?.[1];
  return id && SVIX_ID.test(id) ? id : undefined;
}

/**
 * The three headers, each checked for what the service relies on before the signature is: all
 * present, an id that can be a key and a log field, a bounded signature header, and a timestamp
 * within Svix's tolerance. Each problem is a WebhookRejection naming it.
 */
export function svixHeadersOf(headers: RawHeaders, nowMs = Date.now()): SvixHeaders {
  const id = headerOf(headers, 'id');
  const timestamp = headerOf(headers, 'timestamp');
  const signature = headerOf(headers, 'signature');
  if (!id || !timestamp || !signature) {
    const missing = (['id', 'timestamp', 'signature'] as const).filter((field) => !headerOf(headers, field));
    const names = missing.map((field) => `${NAMES[field][0]} (or ${NAMES[field][1]})`);
    throw new WebhookRejection('headers', `Missing Svix header(s): ${names.join(', ')}`);
  }
  // The id becomes a record's key and a log field: Svix's are short printable ASCII (msg_...).
  if (!SVIX_ID.test(id[1])) {
    throw new WebhookRejection('headers', `svix-id must be at most ${MAX_SVIX_ID} printable ASCII characters`);
  }
  checkSignatureSize(...signature);
  checkTimestamp(timestamp[0], timestamp[1], nowMs);
  return { id: id[1], timestamp: timestamp[1], signature: signature[1], signatureName: signature[0] };
}

function checkSignatureSize(name: string, value: string): void {
  if (value.length > MAX_SIGNATURE_LENGTH) {
    throw new WebhookRejection('headers', `The ${name} header is longer than ${MAX_SIGNATURE_LENGTH} characters`);
  }
  // Entries are separated by single spaces, as the svix package splits them.
  if (value.split(' ', MAX_SIGNATURES + 1).length > MAX_SIGNATURES) {
    throw new WebhookRejection('headers', `The ${name} header holds more than ${MAX_SIGNATURES} signatures`);
  }
}

/** The timestamp as standard-webhooks reads it (a base-10 integer prefix), within the tolerance. */
function checkTimestamp(name: string, value: string, nowMs: number): void {
  const seconds = Number.parseInt(value, 10);
  if (Number.isNaN(seconds)) {
    throw new WebhookRejection('timestamp', `The ${name} must be a Unix time in seconds`);
  }
  if (Math.abs(Math.floor(nowMs / 1000) - seconds) > TIMESTAMP_TOLERANCE_SECONDS) {
    throw new WebhookRejection('timestamp', `The ${name} is outside Svix's tolerance of 5 minutes`);
  }
}
