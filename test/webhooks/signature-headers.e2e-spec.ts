import { randomBytes } from 'node:crypto';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { deliveryCount } from '../support/database';
import { clerkUser, Delivery, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';

/**
 * The Svix headers are checked before the signature, each refusal naming its header: a timestamp
 * that is no number is a timestamp problem (not a bad signature), and a signature header is
 * bounded before any cryptography, while a rotation's several signatures still verify.
 */
const bed = ClerkTestBed.use('signature-headers');

/** A signature of the right form (v1, the base64 of 32 bytes) that no configured secret made. */
const foreignSignature = () => `v1,${randomBytes(32).toString('base64')}`;

function withHeader(delivery: Delivery, name: string, value: string): Delivery {
  return { ...delivery, headers: { ...delivery.headers, [name]: value } };
}

const signedUserCreated = () => {
  const user = clerkUser();
  return { user, delivery: signedDelivery(bed.secret, userEvent('user.created', user)) };
};

describe('the timestamp', () => {
  it.each(['soon', '', 'NaN', '-'])('%j, not a number: 400 naming the timestamp, nothing stored', async (value) => {
    const { user, delivery } = signedUserCreated();
    // An empty header is a missing one; the others are there but no number.
    const message =
      value === ''
        ? /^Missing Svix header\(s\): svix-timestamp/
        : /^The svix-timestamp must be a Unix time in seconds$/;
    await bed.expectRefusedUnchanged(
      () => bed.postDelivery(withHeader(delivery, 'svix-timestamp', value)),
      400,
      message,
    );
    expect(await bed.storedUser(user.id)).toBeNull();
  });

  it('under its Standard Webhooks name, the message names that header', async () => {
    const { delivery } = signedUserCreated();
    const { 'svix-timestamp': _, ...headers } = delivery.headers;
    const response = await bed.postDelivery({ ...delivery, headers: { ...headers, 'webhook-timestamp': 'later' } });
    expect(response.body).toMatchObject({
      statusCode: 400,
      message: 'The webhook-timestamp must be a Unix time in seconds',
    });
  });
});

describe('the signature header', () => {
  it('more than 10 signatures: 400 before any is checked, nothing stored', async () => {
    const { user, delivery } = signedUserCreated();
    const many = [...Array.from({ length: 10 }, foreignSignature), delivery.headers['svix-signature']].join(' ');
    await bed.expectRefusedUnchanged(
      () => bed.postDelivery(withHeader(delivery, 'svix-signature', many)),
      400,
      /^The svix-signature header holds more than 10 signatures$/,
    );
    expect(await bed.storedUser(user.id)).toBeNull();
    expect(await deliveryCount(bed.app.dbUri)).toBe(0);
  });

  it('longer than 1024 characters: 400, nothing stored', async () => {
    const { user, delivery } = signedUserCreated();
    const long = `${delivery.headers['svix-signature']} v1,${'A'.repeat(1_200)}`;
    await bed.expectRefusedUnchanged(
      () => bed.postDelivery(withHeader(delivery, 'svix-signature', long)),
      400,
      /^The svix-signature header is longer than 1024 characters$/,
    );
    expect(await bed.storedUser(user.id)).toBeNull();
  });

  it('a webhook-signature of 8 KiB: 400 naming webhook-signature', async () => {
    const { delivery } = signedUserCreated();
    const { 'svix-signature': signature, ...headers } = delivery.headers;
    const response = await bed.postDelivery({
      ...delivery,
      headers: { ...headers, 'webhook-signature': `${signature} ${'x'.repeat(8 * 1024)}` },
    });
    expect(response.body).toMatchObject({
      statusCode: 400,
      message: 'The webhook-signature header is longer than 1024 characters',
    });
  });

  it('a rotation: several signatures of the right form, the valid one last, verifies', async () => {
    const { user, delivery } = signedUserCreated();
    const rotated = [...Array.from({ length: 9 }, foreignSignature), delivery.headers['svix-signature']].join(' ');
    expect(rotated.split(' ')).toHaveLength(10);
    const response = await bed.postDelivery(withHeader(delivery, 'svix-signature', rotated));
    expect(response.body).toEqual({ received: true, outcome: 'applied' });
    expect(await bed.storedUser(user.id)).not.toBeNull();
  });

  it('several signatures, none made with a configured secret: the signature message', async () => {
    const other = signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()));
    const several = [foreignSignature(), other.headers['svix-signature'], foreignSignature()].join(' ');
    await bed.expectRefusedUnchanged(
      () => bed.postDelivery(withHeader(other, 'svix-signature', several)),
      400,
      /^The webhook signature matches none of the configured secrets$/,
    );
  });
});
