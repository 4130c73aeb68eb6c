import type { SyncOutcome, SyncResult } from '../sync/sync.rule';
import { deliveryOutcome } from './deliveries.service';

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
