import {
  BadRequestException,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Webhook, WebhookVerificationError } from 'svix';
import { AppConfigService } from '../config/config.service';
import { isDuplicateKeyError } from '../database/database.service';
import { InvalidClerkUserError, toClerkUserSnapshot } from '../users/clerk-user.dto';
import { SyncOutcome, UsersService } from '../users/users.service';
import { DELIVERY_RETENTION_SECONDS, WebhookDelivery } from './webhook-delivery.schema';
import { ClerkEvent, DeletedUserData, WebhookOutcome } from './webhook.dto';

export const SVIX_HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;
type SvixHeaders = Record<(typeof SVIX_HEADERS)[number], string>;

/** How many recent svix-ids are kept in memory (about 100 bytes each). */
const RECENT_DELIVERIES = 10_000;

const STATE_CHANGED: ReadonlySet<SyncOutcome> = new Set(['created', 'updated', 'deleted']);

function verifies(verifier: Webhook, rawBody: Buffer, headers: SvixHeaders): boolean {
  try {
    verifier.verify(rawBody, headers);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

@Injectable()
export class WebhooksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhooksService.name);
  /** One verifier per configured secret: any of them may sign during a rotation. */
  private readonly verifiers: Webhook[];
  private retentionSweep?: NodeJS.Timeout;
  /** svix-ids this process has stored, newest last: Svix redelivers when an answer was lost. */
  private readonly recentDeliveries = new Set<string>();

  constructor(
    private readonly config: AppConfigService,
    private readonly users: UsersService,
    @InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>,
  ) {
    this.verifiers = config.clerk.webhookSigningSecrets.map((secret) => new Webhook(secret));
  }

  /**
   * Checks the Svix signature over the exact bytes received, then parses them.
   * Svix's own error text never reaches the client.
   */
  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): { svixId: string; event: ClerkEvent } {
    this.config.require(this.verifiers, 'CLERK_WEBHOOK_SIGNING_SECRET', 'Webhook verification');
    const svixHeaders = this.svixHeaders(headers);
    if (!this.verifiers.some((verifier) => verifies(verifier, rawBody, svixHeaders))) {
      throw new BadRequestException('Webhook signature is invalid or its timestamp is outside the tolerance');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new BadRequestException('The webhook body is not JSON');
    }
    const event = ClerkEvent.safeParse(payload);
    if (!event.success) throw new UnprocessableEntityException('The webhook body is not a Clerk event (type and data)');
    return { svixId: svixHeaders['svix-id'], event: event.data };
  }

  /**
   * Applies a verified event once; resolves only when its effect is stored.
   *
   * There is no "seen this svix-id?" read before the write: a redelivery can never change
   * anything (its version is stored or superseded, or the user is deleted), so the write
   * goes first and the record of the delivery, unique by svix-id, tells a redelivery apart.
   * That saves a database round trip on every new delivery; redeliveries to this process
   * are answered from memory.
   */
  async process(svixId: string, event: ClerkEvent): Promise<WebhookOutcome> {
    if (this.recentDeliveries.has(svixId)) return 'duplicate';
    const outcome = await this.record(svixId, event.type, await this.apply(svixId, event));
    this.remember(svixId);
    return outcome;
  }

  private async apply(svixId: string, event: ClerkEvent): Promise<WebhookOutcome> {
    let result;
    switch (event.type) {
      case 'user.created':
      case 'user.updated':
        result = await this.users.syncFromClerk(this.userSnapshot(event), svixId);
        break;
      case 'user.deleted':
        result = await this.users.markDeleted(this.deletedUserId(event), svixId);
        break;
      default:
        return 'ignored';
    }
    if (STATE_CHANGED.has(result.outcome)) return 'applied';
    // Nothing changed: either an earlier attempt of this very message wrote it, or it is old.
    return result.writtenBy === svixId ? 'duplicate' : 'stale';
  }

  /** Records the message id; an earlier or concurrent attempt that recorded it first makes this a duplicate. */
  private async record(svixId: string, type: string, outcome: WebhookOutcome): Promise<WebhookOutcome> {
    try {
      await this.deliveries.create({ _id: svixId, type, outcome, processedAt: new Date() });
      return outcome;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return outcome === 'applied' ? outcome : 'duplicate';
    }
  }

  /** Keeps the newest ids only: a bounded set, oldest evicted first. */
  private remember(svixId: string): void {
    this.recentDeliveries.add(svixId);
    if (this.recentDeliveries.size > RECENT_DELIVERIES) this.recentDeliveries.delete(this.recentDeliveries.values().next().value!);
  }

  private userSnapshot(event: ClerkEvent) {
    try {
      return toClerkUserSnapshot(event.data, event.timestamp);
    } catch (error) {
      if (error instanceof InvalidClerkUserError) throw new UnprocessableEntityException(`${event.type}: ${error.message}`);
      throw error;
    }
  }

  private deletedUserId(event: ClerkEvent): string {
    const data = DeletedUserData.safeParse(event.data);
    if (!data.success) throw new UnprocessableEntityException('user.deleted: user data has no id');
    return data.data.id;
  }

  private svixHeaders(headers: Record<string, string | string[] | undefined>): SvixHeaders {
    const missing = SVIX_HEADERS.filter((name) => typeof headers[name] !== 'string' || headers[name] === '');
    if (missing.length) throw new BadRequestException(`Missing Svix header(s): ${missing.join(', ')}`);
    return Object.fromEntries(SVIX_HEADERS.map((name) => [name, headers[name] as string])) as SvixHeaders;
  }

  /** Processed ids expire by a TTL index; servers without TTL support get a periodic sweep. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.deliveries.collection.createIndex(
        { processedAt: 1 },
        { name: 'processedAt_ttl', expireAfterSeconds: DELIVERY_RETENTION_SECONDS },
      );
    } catch (error) {
      this.logger.warn(`No TTL index on webhook_deliveries (${(error as Error).message}); sweeping hourly instead`);
      const sweep = () =>
        void this.deliveries
          .deleteMany({ processedAt: { $lt: new Date(Date.now() - DELIVERY_RETENTION_SECONDS * 1000) } })
          .exec()
          .catch((sweepError: Error) => this.logger.warn(`Sweep of webhook_deliveries failed: ${sweepError.message}`));
      sweep();
      this.retentionSweep = setInterval(sweep, 60 * 60 * 1000).unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.retentionSweep);
  }
}
