import { randomBytes } from 'node:crypto';
import { Webhook } from 'svix';

export { clerkUser, deletedEvent, newUserId, userEvent } from '../../src/cli/clerk-sample';
export type { ClerkUserOptions } from '../../src/cli/clerk-sample';

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
export const newSvixId = () => `msg_${randomBytes(12).toString('hex')}`;

export interface Delivery {
  headers: Record<string, string>;
  body: string | Buffer;
}

/** A delivery signed exactly as Svix signs it, with the svix package itself. */
export function signedDelivery(
  secret: string,
  payload: unknown,
  { svixId = newSvixId(), timestamp = new Date() }: { svixId?: string; timestamp?: Date } = {},
): Delivery {
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  const signature = new Webhook(secret).sign(svixId, timestamp, body.toString());
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'svix-id': svixId,
      'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'svix-signature': signature,
    },
  };
}

