import { toClerkUserSnapshot } from '../../src/clerk/clerk-user.schema';
import { UsersRepository } from '../../src/users/users.repository';
import { WebhookRejection } from '../../src/webhooks/webhook-rejection';
import { WebhooksModule } from '../../src/webhooks/webhooks.module';
import { WebhooksService } from '../../src/webhooks/webhooks.service';
import { deliveryCount, dumpDatabase, storedDocument, storedUser } from '../support/database';
import { MediumBed } from '../support/medium';
import {
  clerkMembership,
  clerkUser,
  deletedEvent,
  Delivery,
  membershipEvent,
  newWebhookSecret,
  signedDelivery,
  userEvent,
} from '../support/payloads';

/**
 * WebhooksService as Nest builds it, on a real database: a signed delivery's outcome, and its
 * effect through the rule, without HTTP in between.
 */
const bed = MediumBed.use('webhooks-service', [WebhooksModule]);
const service = () => bed.get(WebhooksService);
const receive = ({ body, headers }: Delivery) => service().receive(Buffer.from(body), headers);
const deliver = (payload: unknown) => receive(signedDelivery(bed.secret, payload));

/** The rejection `act` throws, after checking that the database did not change. */
async function rejection(act: () => Promise<unknown>): Promise<WebhookRejection> {
  const before = JSON.stringify(await dumpDatabase(bed.dbUri));
  const error = await act().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WebhookRejection);
  expect(JSON.stringify(await dumpDatabase(bed.dbUri))).toBe(before);
  return error as WebhookRejection;
}

describe('WebhooksService.receive', () => {
  it('applies a new user, then answers a redelivery of the same svix-id duplicate', async () => {
    const user = clerkUser();
    const delivery = signedDelivery(bed.secret, userEvent('user.created', user));
    expect(await receive(delivery)).toBe('applied');
    expect(await receive(delivery)).toBe('duplicate');
    expect(await storedUser(bed.dbUri, user.id)).toMatchObject({
      firstName: user.first_name,
      writers: [delivery.headers['svix-id']],
    });
  });

  it('an older version is stale, and its svix-id is recorded as such', async () => {
    const user = clerkUser({ updatedAt: 1_700_000_500_000 });
    expect(await deliver(userEvent('user.created', user))).toBe('applied');
    const older = signedDelivery(
      bed.secret,
      userEvent('user.updated', { ...user, first_name: 'Old', updated_at: 1_700_000_000_000 }),
    );
    expect(await receive(older)).toBe('stale');
    expect(await storedDocument(bed.dbUri, 'webhook_deliveries', older.headers['svix-id'])).toMatchObject({
      outcome: 'stale',
    });
    expect(await storedUser(bed.dbUri, user.id)).toMatchObject({ firstName: user.first_name });
  });

  it('a deleted user stays deleted: a later user.updated is stale', async () => {
    const user = clerkUser();
    await bed.get(UsersRepository).syncVersion(toClerkUserSnapshot(user), 'arranged');
    expect(await deliver(deletedEvent(user.id))).toBe('applied');
    const newer = { ...user, first_name: 'Back', updated_at: user.updated_at + 1_000 };
    expect(await deliver(userEvent('user.updated', newer))).toBe('stale');
    const stored = await storedUser(bed.dbUri, user.id);
    expect(stored).toMatchObject({ deletedAt: expect.any(Date) });
    expect(stored?.firstName).toBeUndefined();
  });

  it('a membership of a user deleted here is stale, and stores nothing', async () => {
    const user = clerkUser();
    expect(await deliver(userEvent('user.created', user))).toBe('applied');
    expect(await deliver(deletedEvent(user.id))).toBe('applied');
    const membership = clerkMembership({ userId: user.id });
    expect(await deliver(membershipEvent('organizationMembership.created', membership))).toBe('stale');
    expect(await storedDocument(bed.dbUri, 'organization_memberships', membership.id)).toBeNull();
  });

  it('refuses a signature of another secret: a 400 WebhookRejection, nothing stored', async () => {
    const foreign = signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()));
    expect(await rejection(() => receive(foreign))).toMatchObject({ reason: 'signature', httpStatus: 400 });
  });

  it('refuses a verified event it cannot use with 422, naming the field', async () => {
    const { id: _, ...withoutId } = clerkUser();
    const refused = await rejection(() => deliver(userEvent('user.created', withoutId)));
    expect(refused).toMatchObject({ reason: 'payload', httpStatus: 422, message: 'user.created: data.id is missing' });
  });

  it('an event type it does not sync is ignored, and recorded once', async () => {
    const delivery = signedDelivery(bed.secret, { type: 'session.created', data: {}, object: 'event' });
    const before = await deliveryCount(bed.dbUri);
    expect(await receive(delivery)).toBe('ignored');
    expect(await receive(delivery)).toBe('duplicate');
    expect(await deliveryCount(bed.dbUri)).toBe(before + 1);
  });
});
