import { Injectable } from '@nestjs/common';
import type { SyncOutcome, SyncResult } from '../sync/sync.rule';
import { DeliveriesRepository } from './deliveries.repository';

/** How many svix-ids `arrivedBefore` keeps: about 1 MiB, hours of deliveries at a usual rate. */
export const RECEIVED_KEPT = 10_000;

/**
 * Delivery identity: whether a delivery (by its svix-id) changed something now, was processed
 * before (Svix redelivers when an answer was lost), or changed nothing. Two records answer it,
 * and only this class reads them:
 * - an applied delivery's svix-id is on the object it changed (`writers`, in the same write);
 * - a delivery that changed nothing (stale, ignored) is recorded in `webhook_deliveries`, unique
 *   by svix-id, for the retention period.
 */
@Injectable()
export class DeliveriesService {
  /** The svix-ids this process received last (a memory, never a record), and the same in arrival order. */
  private readonly received = new Set<string>();
  private readonly arrivals: (string | undefined)[] = new Array(RECEIVED_KEPT);
  private next = 0;

  constructor(private readonly deliveries: DeliveriesRepository) {}

  /**
   * Whether this process received the svix-id before (among the last RECEIVED_KEPT), noting that
   * it did. It only chooses how the write is sent (`WriteHints`): what is stored decides the
   * outcome, so another process's or a restarted one's redelivery is answered the same, with one
   * more round trip.
   */
  arrivedBefore(svixId: string): boolean {
    if (this.received.has(svixId)) return true;
    // The oldest makes room (a ring: a Set's own oldest entry costs a walk past every one deleted).
    const oldest = this.arrivals[this.next];
    if (oldest !== undefined) this.received.delete(oldest);
    this.arrivals[this.next] = svixId;
    this.next = (this.next + 1) % RECEIVED_KEPT;
    this.received.add(svixId);
    return false;
  }

  /** The delivery's answer, once what it changed (or that it changed nothing) is durable. */
  async settleDelivery(svixId: string, type: string, result: SyncResult | undefined): Promise<SyncOutcome> {
    const outcome = deliveryOutcome(svixId, result);
    if (outcome === 'applied' || outcome === 'duplicate') return outcome;
    // A record that exists already: an earlier or concurrent attempt of this message.
    return (await this.deliveries.recordDelivery(svixId, type, outcome)) ? outcome : 'duplicate';
  }
}

/**
 * What a delivery's write says about it: `applied` when it changed the object, `duplicate` when
 * the object's writers hold this svix-id (an earlier attempt applied it), else `stale`; no write
 * at all (an unhandled type) is `ignored`. Stale and ignored are final once recorded.
 */
export function deliveryOutcome(svixId: string, result: SyncResult | undefined): SyncOutcome {
  if (!result) return 'ignored';
  if (result.outcome === 'applied') return 'applied';
  return result.writers?.includes(svixId) ? 'duplicate' : 'stale';
}
