import type { SyncOutcome, SyncResult } from '../sync/sync.rule';
import { deliveryOutcome, DeliveriesService, RECEIVED_KEPT } from './deliveries.service';

describe('delivery identity: what a delivery write says about its svix-id', () => {
  it.each([
    ['a write that changed the object', { outcome: 'applied', found: 'live' }, 'applied'],
    ['a new object', { outcome: 'applied', found: 'nothing' }, 'applied'],
    [
      'nothing changed, and this svix-id wrote the stored version',
      { outcome: 'stale', found: 'live', writers: ['msg_x', 'msg_1'] },
      'duplicate',
    ],
    [
      'nothing changed, and this svix-id made the tombstone',
      { outcome: 'stale', found: 'tombstone', writers: ['msg_1'] },
      'duplicate',
    ],
    ['nothing changed, others wrote it', { outcome: 'stale', found: 'live', writers: ['msg_x'] }, 'stale'],
    ['a tombstone written by others', { outcome: 'stale', found: 'tombstone', writers: [] }, 'stale'],
    ['no write (a type the service does not handle)', undefined, 'ignored'],
  ] as [string, SyncResult | undefined, SyncOutcome][])('%s → %s', (_case, result, outcome) => {
    expect(deliveryOutcome('msg_1', result)).toBe(outcome);
  });
});

describe('arrivedBefore: the svix-ids this process received last', () => {
  const service = () => new DeliveriesService(undefined as never);

  it('is false for a new svix-id, then true for the same one', () => {
    const deliveries = service();
    expect(deliveries.arrivedBefore('msg_1')).toBe(false);
    expect(deliveries.arrivedBefore('msg_1')).toBe(true);
    expect(deliveries.arrivedBefore('msg_2')).toBe(false);
  });

  it(`keeps the last ${RECEIVED_KEPT}: the oldest is forgotten first`, () => {
    const deliveries = service();
    for (let i = 0; i <= RECEIVED_KEPT; i++) deliveries.arrivedBefore(`msg_${i}`);
    expect(deliveries.arrivedBefore(`msg_${RECEIVED_KEPT}`)).toBe(true);
    expect(deliveries.arrivedBefore('msg_1')).toBe(true);
    expect(deliveries.arrivedBefore('msg_0')).toBe(false);
  });
});
