import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ClerkEvent, DeletedObjectJson } from '../clerk/clerk-event.schema';
import { ClerkUserSnapshot, InvalidClerkUserError, toClerkUserSnapshot } from '../clerk/clerk-user.schema';
import { BoundedSet } from '../common/bounded-set';
import { SyncOutcome, SyncResult, UsersService } from '../users/users.service';
import { DeliveriesRepository } from './deliveries.repository';
import type { VerifiedDelivery } from './svix-verifier.service';
import type { WebhookOutcome } from './webhook.dto';

/** How many recent svix-ids are kept in memory (about 100 bytes each). */
const RECENT_DELIVERIES = 10_000;

const STATE_CHANGED: ReadonlySet<SyncOutcome> = new Set(['created', 'updated', 'deleted']);

/** A verified delivery: apply it through the users service, then record it. */
@Injectable()
export class WebhooksService {
  /** svix-ids this process has stored: Svix redelivers when an answer was lost. */
  private readonly recent = new BoundedSet<string>(RECENT_DELIVERIES);

  constructor(
    private readonly users: UsersService,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  /**
   * Applies a verified event once; resolves only when its effect is stored.
   *
   * A redelivery can never change anything (its version is stored or superseded, or the user is
   * deleted), so the write goes first and the record of the delivery, unique by svix-id, tells a
   * redelivery apart: no read before the write. Redeliveries to this process are answered from
   * memory.
   */
  async process({ svixId, event }: VerifiedDelivery): Promise<WebhookOutcome> {
    if (this.recent.has(svixId)) return 'duplicate';
    const applied = await this.apply(svixId, event);
    const firstRecord = await this.deliveries.record(svixId, event.type, applied);
    this.recent.add(svixId);
    // A record that existed already: an earlier or concurrent attempt of this message.
    return firstRecord || applied === 'applied' ? applied : 'duplicate';
  }

  private async apply(svixId: string, event: ClerkEvent): Promise<WebhookOutcome> {
    let result: SyncResult;
    switch (event.type) {
      case 'user.created':
      case 'user.updated':
        result = await this.users.syncFromClerk(userSnapshot(event), svixId);
        break;
      case 'user.deleted':
        result = await this.users.markDeleted(deletedId(event), svixId);
        break;
      default:
        return 'ignored';
    }
    if (STATE_CHANGED.has(result.outcome)) return 'applied';
    // Nothing changed: either an earlier attempt of this very message wrote it, or it is old.
    return result.writtenBy === svixId ? 'duplicate' : 'stale';
  }
}

function userSnapshot(event: ClerkEvent): ClerkUserSnapshot {
  try {
    return toClerkUserSnapshot(event.data, event.timestamp);
  } catch (error) {
    if (error instanceof InvalidClerkUserError)
      throw new UnprocessableEntityException(`${event.type}: ${error.message}`);
    throw error;
  }
}

function deletedId(event: ClerkEvent): string {
  const data = DeletedObjectJson.safeParse(event.data);
  if (!data.success) throw new UnprocessableEntityException(`${event.type}: user data has no id`);
  return data.data.id;
}
