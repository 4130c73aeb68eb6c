import { WRITERS_KEPT } from '../../src/sync/clerk-object.statements';
import { decideWrite, StoredVersion } from '../../src/sync/sync.rule';
import { UsersRepository } from '../../src/users/users.repository';
import { startTestApp } from '../support/app';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { deliveryCount, insertDocument, userCount } from '../support/database';
import { postWebhook } from '../support/http';
import { clerkUser, newUserId, signedDelivery, userEvent, userVersion } from '../support/payloads';

/**
 * The newest version wins, whatever the order, the concurrency or the redeliveries: through signed
 * webhooks, and through the repository itself with no HTTP in between to spread the writes out
 * (where a non-atomic read-modify-write would lose updates). Deletion: deletion.e2e-spec.ts.
 */
const bed = ClerkTestBed.use('ordering');

describe('through webhooks', () => {
  it('keeps the newest version whatever the order, and answers stale for older ones', async () => {
    const id = newUserId();
    const newer = clerkUser({ id, firstName: 'Newer', updatedAt: 1_700_000_002_000 });
    const older = clerkUser({ id, firstName: 'Older', updatedAt: 1_700_000_001_000 });
    expect((await bed.postWebhook(userEvent('user.updated', newer))).body.outcome).toBe('applied');
    expect((await bed.postWebhook(userEvent('user.updated', older))).body.outcome).toBe('stale');
    expect((await bed.storedUser(id))!.firstName).toBe('Newer');
  });

  it('answers duplicate to a redelivery of a processed svix-id and changes nothing', async () => {
    const delivery = signedDelivery(bed.secret, userEvent('user.created', clerkUser()));
    expect((await bed.postDelivery(delivery)).body.outcome).toBe('applied');
    expect((await bed.postDelivery(delivery)).body).toEqual({ received: true, outcome: 'duplicate' });
  });

  it('a redelivery to another instance is still duplicate, whatever the first outcome was', async () => {
    const id = newUserId();
    const applied = signedDelivery(
      bed.secret,
      userEvent('user.created', clerkUser({ id, updatedAt: 1_700_000_001_000 })),
    );
    const newer = signedDelivery(
      bed.secret,
      userEvent('user.updated', clerkUser({ id, firstName: 'Newer', updatedAt: 1_700_000_002_000 })),
    );
    const stale = signedDelivery(
      bed.secret,
      userEvent('user.updated', clerkUser({ id, firstName: 'Older', updatedAt: 1_700_000_000_000 })),
    );
    const ignored = signedDelivery(bed.secret, {
      type: 'session.created',
      data: { id: 'sess_1', user_id: id },
      object: 'event',
    });
    const firstOutcomes = [];
    for (const delivery of [applied, newer, stale, ignored])
      firstOutcomes.push((await bed.postDelivery(delivery)).body.outcome);
    expect(firstOutcomes).toEqual(['applied', 'applied', 'stale', 'ignored']);

    const other = await startTestApp(
      'ordering_other',
      { CLERK_WEBHOOK_SIGNING_SECRET: bed.secret },
      { dbUri: bed.app.dbUri },
    );
    try {
      for (const delivery of [applied, newer, stale, ignored]) {
        expect((await postWebhook(other.url, delivery)).body).toEqual({ received: true, outcome: 'duplicate' });
      }
    } finally {
      await other.close({ keepDatabase: true });
    }
    expect(await bed.storedUser(id)).toMatchObject({ firstName: 'Newer', clerkUpdatedAt: 1_700_000_002_000 });
  });

  it.each([
    ['created then updated', ['user.created', 'user.updated']],
    ['updated then created', ['user.updated', 'user.created']],
  ])('%s ends with the updated version', async (_, order) => {
    const id = newUserId();
    const created = clerkUser({ id, firstName: 'First' });
    const updated = clerkUser({ id, firstName: 'Second', updatedAt: created.updated_at + 1 });
    const versions: Record<string, unknown> = {
      'user.created': userEvent('user.created', created),
      'user.updated': userEvent('user.updated', updated),
    };
    for (const type of order) await bed.postWebhook(versions[type]);
    expect(await bed.storedUser(id)).toMatchObject({ firstName: 'Second', clerkUpdatedAt: updated.updated_at });
  });

  it('the same delivery 20 times at once has one effect: one applied, the rest duplicate', async () => {
    const user = clerkUser();
    const delivery = signedDelivery(bed.secret, userEvent('user.created', user));
    const responses = await Promise.all(Array.from({ length: 20 }, () => bed.postDelivery(delivery)));
    const outcomes = responses.map((response) => response.body.outcome).sort();
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(19);
    expect(await userCount(bed.app.dbUri, { _id: user.id })).toBe(1);
    // An applied delivery is kept on the user it changed, in the same write: no second record.
    expect((await bed.storedUser(user.id))!.writers).toEqual([delivery.headers['svix-id']]);
    expect(await deliveryCount(bed.app.dbUri, { _id: delivery.headers['svix-id'] })).toBe(0);
  });

  it('20 versions of one user delivered at once in random order: the newest wins', async () => {
    const id = newUserId();
    const versions = Array.from({ length: 20 }, (_, index) =>
      clerkUser({ id, firstName: `Version ${index}`, updatedAt: 1_700_000_000_000 + index * 1000 }),
    );
    const shuffled = [...versions].sort(() => Math.random() - 0.5);
    const responses = await Promise.all(shuffled.map((version) => bed.postWebhook(userEvent('user.updated', version))));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(await bed.storedUser(id)).toMatchObject({
      firstName: 'Version 19',
      clerkUpdatedAt: versions[19].updated_at,
    });
    expect(responses.filter((response) => response.body.outcome === 'applied').length).toBeGreaterThanOrEqual(1);
  });
});

describe('through the repository', () => {
  let users: UsersRepository;
  beforeAll(() => {
    users = bed.app.app.get(UsersRepository);
  });

  it('20 concurrent versions of one user: the newest is stored, each outcome accounted for', async () => {
    const id = newUserId();
    const order = Array.from({ length: 20 }, (_, index) => index).sort(() => Math.random() - 0.5);
    const results = await Promise.all(order.map((index) => users.syncVersion(userVersion(id, index), `src_${index}`)));
    expect(await users.findById(id)).toMatchObject({
      firstName: 'Version 19',
      clerkUpdatedAt: 1_700_000_000_019,
      writtenBy: 'src_19',
    });
    expect(results.filter((result) => result.found === 'nothing')).toHaveLength(1);
    expect(results.every((result) => ['applied', 'stale'].includes(result.outcome))).toBe(true);
  });

  it('colour changes and Clerk updates racing on one user lose neither', async () => {
    const id = newUserId();
    await users.syncVersion(userVersion(id, 0), 'seed');
    await Promise.all([
      ...Array.from({ length: 10 }, (_, index) => users.syncVersion(userVersion(id, index + 1), `src_${index}`)),
      users.setFavoriteColor(id, 'BLUE'),
    ]);
    expect(await users.findById(id)).toMatchObject({ firstName: 'Version 10', favoriteColor: 'BLUE' });
  });

  it('the same version twice is stale and names who wrote it', async () => {
    const id = newUserId();
    expect(await users.syncVersion(userVersion(id, 1), 'first')).toEqual({ outcome: 'applied', found: 'nothing' });
    expect(await users.syncVersion(userVersion(id, 1), 'second')).toEqual({
      outcome: 'stale',
      found: 'live',
      writers: ['first'],
    });
    expect(await users.syncVersion(userVersion(id, 0), 'third')).toEqual({
      outcome: 'stale',
      found: 'live',
      writers: ['first'],
    });
  });

  it(`keeps the last ${WRITERS_KEPT} writers that changed the user, oldest first`, async () => {
    const id = newUserId();
    const writers = Array.from({ length: WRITERS_KEPT + 4 }, (_, index) => `msg_${index}`);
    for (const [index, writer] of writers.entries()) await users.syncVersion(userVersion(id, index), writer);
    expect(await users.syncVersion(userVersion(id, 0), 'late')).toEqual({
      outcome: 'stale',
      found: 'live',
      writers: writers.slice(4),
    });
    expect(await users.tombstone(id, 'msg_deleted')).toEqual({ outcome: 'applied', found: 'live' });
    expect(await users.tombstone(id, 'again')).toEqual({
      outcome: 'stale',
      found: 'tombstone',
      writers: [...writers.slice(5), 'msg_deleted'],
    });
  });

  it('keeps the schema timestamps: createdAt at the first write, updatedAt at each change', async () => {
    const id = newUserId();
    await users.syncVersion(userVersion(id, 1), 'first');
    const created = (await users.findById(id))!;
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.updatedAt).toEqual(created.createdAt);
    // A read for serving leaves the bookkeeping and the private metadata in the database.
    expect(created).not.toHaveProperty('writers');
    expect(created).not.toHaveProperty('privateMetadataJson');
    await new Promise((done) => setTimeout(done, 5));
    await users.syncVersion(userVersion(id, 2), 'second');
    const updated = (await users.findById(id))!;
    expect(updated.createdAt).toEqual(created.createdAt);
    expect(updated.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
    await users.tombstone(id, 'deleted');
    expect((await users.findById(id))!.updatedAt.getTime()).toBeGreaterThan(updated.updatedAt.getTime());
  });

  it.each(['nothing', 'older', 'same', 'newer', 'no version', 'tombstone'] as const)(
    'stored %s: the MongoDB filters decide as their in-memory twins, for every incoming write',
    async (state) => {
      const V = userVersion('user_x', 10).version;
      for (const incoming of [V - 1, V, V + 1, 'tombstone'] as const) {
        const id = newUserId();
        const stored: StoredVersion | null =
          state === 'nothing'
            ? null
            : {
                _id: id,
                deletedAt: state === 'tombstone' ? new Date() : null,
                writers: ['seed'],
                ...(
                  {
                    older: { clerkUpdatedAt: V - 5 },
                    same: { clerkUpdatedAt: V },
                    newer: { clerkUpdatedAt: V + 5 },
                  } as Record<string, object>
                )[state],
              };
        if (stored) await insertDocument(bed.app.dbUri, 'users', stored);
        const decision = decideWrite(stored, incoming);
        const result =
          incoming === 'tombstone'
            ? await users.tombstone(id, 'probe')
            : await users.syncVersion(userVersion(id, incoming - V + 10), 'probe');
        expect(result).toEqual(
          decision === 'write' ? { outcome: 'applied', found: stored ? 'live' : 'nothing' } : decision,
        );
      }
    },
  );
});
