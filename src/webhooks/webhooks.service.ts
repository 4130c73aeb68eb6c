import { Injectable, Logger } from '@nestjs/common';
import { ClerkChange, parseClerkEvent } from '../clerk/clerk-event.schema';
import { InvalidClerkPayload } from '../clerk/invalid-clerk-payload.error';
import { RequestLog } from '../http/request-log';
import { MetricsService } from '../metrics/metrics.service';
import { annotateRequestSpan } from '../telemetry/span-hooks';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { OrganizationsSyncService } from '../organizations/organizations-sync.service';
import type { WriteHints } from '../sync/clerk-object.repository';
import type { SyncOutcome, SyncResult } from '../sync/sync.rule';
import { UsersRepository } from '../users/users.repository';
import { DeliveriesService } from './deliveries.service';
import { deliveryIdOf, RawHeaders } from './svix-headers';
import { SvixVerifier } from './svix-verifier.service';
import { deliverySpanAttributes } from './webhook-span';
import { WebhookRejection } from './webhook-rejection';

/** A delivery: verify it, parse it, apply it through the rule, and log one line. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhook');

  constructor(
    private readonly verifier: SvixVerifier,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: OrganizationsSyncService,
    private readonly deliveries: DeliveriesService,
    private readonly metrics: MetricsService,
    private readonly requestLog: RequestLog,
  ) {}

  /** Resolves only once the delivery's effect is durably stored. */
  async receive(rawBody: Buffer, headers: RawHeaders): Promise<SyncOutcome> {
    const startedAt = process.hrtime.bigint();
    this.metrics.markDeliveryReceived();
    const svixId = deliveryIdOf(headers);
    try {
      const verifiedId = this.verifier.verify(rawBody, headers);
      const parsed = parseClerkEvent(rawBody);
      // One write, no read before it. A redelivery can never change anything (its version is
      // stored or superseded, or the object is a tombstone); DeliveriesService tells it apart.
      const hints = { redelivery: this.deliveries.arrivedBefore(verifiedId) };
      const result = parsed.change && (await this.applyChange(parsed.change, verifiedId, hints));
      const outcome = await this.deliveries.settleDelivery(verifiedId, parsed.type, result);
      this.metrics.countDelivery(parsed.type, outcome);
      this.metrics.observeDeliveryDuration(startedAt, parsed.timestamp);
      const entry = { svixId, type: parsed.type, objectId: parsed.objectId, outcome };
      this.requestLog.record(this.logger, 'log', entry, 'Webhook delivery');
      annotateRequestSpan(deliverySpanAttributes(entry));
      return outcome;
    } catch (error) {
      const rejection = toRejection(error);
      if (!rejection) throw error;
      // A refused payload still names its event when the envelope was readable.
      const event = error instanceof InvalidClerkPayload ? error.event : undefined;
      const { reason, message, httpStatus: status } = rejection;
      this.metrics.countDelivery(event?.type, 'rejected', reason);
      const entry = { svixId, type: event?.type, objectId: event?.objectId, outcome: 'rejected', reason };
      this.requestLog.record(this.logger, 'warn', { ...entry, status, message }, 'Webhook delivery');
      annotateRequestSpan(deliverySpanAttributes(entry));
      throw rejection;
    }
  }

  /** The event's write, through the rule (`sync.rule.ts`). */
  private applyChange(change: ClerkChange, svixId: string, hints: WriteHints): Promise<SyncResult> {
    switch (change.kind) {
      case 'syncUser':
        return this.users.syncVersion(change.user, svixId, hints);
      case 'tombstoneUser':
        return this.users.tombstone(change.id, svixId, hints);
      case 'syncOrganization':
        return this.organizations.syncVersion(change.organization, svixId, hints);
      case 'tombstoneOrganization':
        return this.organizations.tombstone(change.id, svixId, hints);
      case 'syncMembership':
        return this.memberships.syncMembership(change.membership, svixId, hints);
      case 'tombstoneMembership':
        return this.memberships.tombstoneMembership(change.membership, svixId, hints);
    }
  }
}

/** A refused delivery: Svix's side (WebhookRejection) or Clerk's (InvalidClerkPayload). */
function toRejection(error: unknown): WebhookRejection | undefined {
  if (error instanceof WebhookRejection) return error;
  if (error instanceof InvalidClerkPayload) return new WebhookRejection(error.reason, error.message);
  return undefined;
}
