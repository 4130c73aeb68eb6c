import { randomBytes } from 'node:crypto';
import { Webhook } from 'svix';

export const newSvixId = () => `msg_${randomBytes(12).toString('hex')}`;

/** A webhook delivery as Svix sends it: the exact body bytes and the headers that sign them. */
export interface Delivery {
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * Signs a payload exactly as Svix does, with the svix package itself: `npm run webhook:send`,
 * the tests and the benchmark all deliver through this.
 */
export function signedDelivery(
  secret: string,
  payload: unknown,
  { svixId = newSvixId(), timestamp = new Date() }: { svixId?: string; timestamp?: Date } = {},
): Delivery {
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'svix-id': svixId,
      'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'svix-signature': new Webhook(secret).sign(svixId, timestamp, body.toString()),
    },
  };
}
