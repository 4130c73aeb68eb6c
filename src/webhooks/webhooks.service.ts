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
import { BoundedSet } from '../common/bounded-set';
import { OrganizationsService } from '../organizations/organizations.service';
import { SyncOutcome, SyncResult, UsersService } from '../users/users.service';
import { MetricsService } from '../metrics/metrics.service';
import { DeliveriesRepository } from './deliveries.repository';
import { deliveryIdOf, RawHeaders, SvixVerifier, VerifiedDelivery } from './svix-verifier.service';
import { WebhookRejection } from './webhook-rejection';
import type { WebhookOutcome } from './webhook.dto';

/** How many recent svix-ids are kept in memory (about 100 bytes each). */
const RECENT_DELIVERIES = 10_000;

const STATE_CHANGED: ReadonlySet<SyncOutcome> = new Set(['created', 'updated', 'deleted']);

/** A delivery: verify it, apply it through the users or organizations service, and log one line. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhook');
  /** svix-ids this process has stored: Svix redelivers when an answer was lost. */
  private readonly recent = new BoundedSet<string>(RECENT_DELIVERIES);

  constructor(
    private readonly verifier: SvixVerifier,
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
    private readonly deliveries: DeliveriesRepository,
    private readonly metrics: MetricsService,
  ) {}

  /** Resolves only once the delivery's effect is durably stored. */
  async receive(rawBody: Buffer, headers: RawHeaders): Promise<WebhookOutcome> {
    const startedAt = process.hrtime.bigint();
    const svixId = deliveryIdOf(headers);
    let delivery: VerifiedDelivery | undefined;
    try {
      delivery = this.verifier.verify(rawBody, headers);
      const outcome = await this.process(delivery);
      this.metrics.delivery(delivery.event.type, outcome);
      this.metrics.deliveryDone(startedAt, delivery.event.timestamp);
      this.logger.log(
        { svixId, type: delivery.event.type, objectId: objectId(delivery.event), outcome },
        'Webhook delivery',
      );
      return outcome;
    } catch (error) {
      if (error instanceof WebhookRejection) {
        const { reason, message } = error;
        const event = delivery?.event;
        this.metrics.delivery(event?.type, 'rejected', reason);
        const entry = { svixId, type: event?.type, objectId: event && objectId(event), outcome: 'rejected', reason };
        this.logger.warn({ ...entry, status: error.getStatus(), message }, 'Webhook delivery');
      }
      throw error;
    }
  }

  /**
   * Applies a verified event once, in one write: no read before it, no second write after it.
   * A redelivery can never change anything (its version is stored or superseded, or the object is
   * deleted). An applied delivery's svix-id is kept on the object it changed (its `writers`), so a
   * redelivery that changes nothing finds itself there; a delivery that changed nothing (stale,
   * ignored) is recorded in `webhook_deliveries`, unique by svix-id. Redeliveries to this process
   * are answered from memory.
   */
  private async process({ svixId, event }: VerifiedDelivery): Promise<WebhookOutcome> {
    if (this.recent.has(svixId)) return 'duplicate';
    let outcome = await this.apply(svixId, event);
    // A record that existed already: an earlier or concurrent attempt of this message.
    if ((outcome === 'stale' || outcome === 'ignored') && !(await this.deliveries.record(svixId, event.type, outcome)))
      outcome = 'duplicate';
    this.recent.add(svixId);
    return outcome;
  }

  private async apply(svixId: string, event: ClerkEvent): Promise<WebhookOutcome> {
    let result: SyncResult;
    switch (event.type) {
      case 'user.created':
      case 'user.updated':
        result = await this.users.syncFromClerk(parsed(event, toClerkUserSnapshot), svixId);
        break;
      case 'user.deleted':
        result = await this.users.markDeleted(
          parsed(event, (data) => parseWith(DeletedUserJson, data).id),
          svixId,
        );
        break;
      case 'organization.created':
      case 'organization.updated':
        result = await this.organizations.syncOrganization(parsed(event, toClerkOrganizationSnapshot), svixId);
        break;
      case 'organization.deleted': {
        const id = parsed(event, (data) => parseWith(DeletedOrganizationJson, data).id);
        result = await this.organizations.deleteOrganization(id, svixId);
        break;
      }
      case 'organizationMembership.created':
      case 'organizationMembership.updated':
        result = await this.organizations.syncMembership(parsed(event, toClerkMembershipSnapshot), svixId);
        break;
      case 'organizationMembership.deleted':
        result = await this.organizations.deleteMembership(parsed(event, toClerkMembershipSnapshot), svixId);
        break;
      default:
        return 'ignored';
    }
    if (STATE_CHANGED.has(result.outcome)) return 'applied';
    // Nothing changed: either an earlier attempt of this very message wrote it, or it is old.
    return result.writers?.includes(svixId) ? 'duplicate' : 'stale';
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
