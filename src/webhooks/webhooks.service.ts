import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { ClerkEvent, DeletedUserJson } from '../clerk/clerk-event.schema';
import {
  DeletedOrganizationJson,
  InvalidClerkObjectError,
  toClerkMembershipSnapshot,
  toClerkOrganizationSnapshot,
} from '../clerk/clerk-organization.schema';
import { InvalidClerkUserError, toClerkUserSnapshot } from '../clerk/clerk-user.schema';
import { describeIssue } from '../clerk/clerk-values.schema';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { OrganizationsService } from '../organizations/organizations.service';
import type { SyncOutcome, SyncResult } from '../sync/sync.rule';
import { UsersRepository } from '../users/users.repository';
import { MetricsService } from '../metrics/metrics.service';
import { DeliveriesService } from './deliveries.service';
import { RawHeaders, SvixVerifier, VerifiedDelivery } from './svix-verifier.service';
import { WebhookRejection } from './webhook-rejection';

/** A delivery: verify it, apply it through the users or organizations service, and log one line. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhook');

  constructor(
    private readonly verifier: SvixVerifier,
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: OrganizationsService,
    private readonly deliveries: DeliveriesService,
    private readonly metrics: MetricsService,
  ) {}

  /** Resolves only once the delivery's effect is durably stored. */
  async receive(rawBody: Buffer, headers: RawHeaders): Promise<SyncOutcome> {
    const startedAt = process.hrtime.bigint();
    const svixId = typeof headers['svix-id'] === 'string' ? headers['svix-id'] : undefined;
    let delivery: VerifiedDelivery | undefined;
    try {
      delivery = this.verifier.verify(rawBody, headers);
      const outcome = await this.process(delivery);
      this.metrics.countDelivery(delivery.event.type, outcome);
      this.metrics.observeDeliveryDuration(startedAt, delivery.event.timestamp);
      this.logger.log(
        { svixId, type: delivery.event.type, objectId: objectId(delivery.event), outcome },
        'Webhook delivery',
      );
      return outcome;
    } catch (error) {
      if (error instanceof WebhookRejection) {
        const { reason, message } = error;
        const event = delivery?.event;
        this.metrics.countDelivery(event?.type, 'rejected', reason);
        const entry = { svixId, type: event?.type, objectId: event && objectId(event), outcome: 'rejected', reason };
        this.logger.warn({ ...entry, status: error.getStatus(), message }, 'Webhook delivery');
      }
      throw error;
    }
  }

  /**
   * Applies a verified event in one write: no read before it. A redelivery can never change
   * anything (its version is stored or superseded, or the object is deleted); DeliveriesService
   * tells it apart.
   */
  private async process({ svixId, event }: VerifiedDelivery): Promise<SyncOutcome> {
    return this.deliveries.settleDelivery(svixId, event.type, await this.apply(svixId, event));
  }

  /** The event's write, through the rule; undefined for a type the service does not handle. */
  private async apply(svixId: string, event: ClerkEvent): Promise<SyncResult | undefined> {
    let result: SyncResult;
    switch (event.type) {
      case 'user.created':
      case 'user.updated':
        result = await this.users.syncVersion(
          parsed(event, (data) => toClerkUserSnapshot(data, event.timestamp)),
          svixId,
        );
        break;
      case 'user.deleted':
        result = await this.users.tombstone(
          parsed(event, (data) => parseWith(DeletedUserJson, data).id),
          svixId,
        );
        break;
      case 'organization.created':
      case 'organization.updated':
        result = await this.organizations.syncVersion(parsed(event, toClerkOrganizationSnapshot), svixId);
        break;
      case 'organization.deleted': {
        const id = parsed(event, (data) => parseWith(DeletedOrganizationJson, data).id);
        result = await this.organizations.tombstone(id, svixId);
        break;
      }
      case 'organizationMembership.created':
      case 'organizationMembership.updated':
        result = await this.memberships.syncMembership(parsed(event, toClerkMembershipSnapshot), svixId);
        break;
      case 'organizationMembership.deleted':
        result = await this.memberships.tombstoneMembership(parsed(event, toClerkMembershipSnapshot), svixId);
        break;
      default:
        return undefined;
    }
    return result;
  }
}

/** The Clerk object an event is about, for the log: only an id of Clerk's shape, never personal data. */
function objectId(event: ClerkEvent): string | undefined {
  const id = (event.data as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^[a-z]+_[A-Za-z0-9_]{1,64}$/.test(id) ? id : undefined;
}

/** The event's data through a Clerk parser; what it cannot use is a 422 naming the event and field. */
function parsed<T>(event: ClerkEvent, parse: (data: unknown) => T): T {
  try {
    return parse(event.data);
  } catch (error) {
    if (error instanceof InvalidClerkUserError || error instanceof InvalidClerkObjectError) {
      throw new WebhookRejection('payload', `${event.type}: ${error.message}`);
    }
    throw error;
  }
}

function parseWith<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data);
  if (!result.success) throw new InvalidClerkObjectError(describeIssue(result.error));
  return result.data;
}
