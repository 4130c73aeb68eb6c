import { Injectable } from '@nestjs/common';
import { ClerkClient, createClerkClient, type User } from '@clerk/backend';
import { withTimeout } from '../common/with-timeout';
import { AppConfigService } from '../config/config.service';
import { ClerkApiError, toClerkApiError } from './clerk-api.error';
import { ClerkCallObserver } from './clerk-call-observer';
import { ClerkPage, toPage } from './clerk-page';
import {
  ClerkMembershipSnapshot,
  ClerkOrganizationSnapshot,
  toClerkMembershipSnapshot,
  toClerkOrganizationSnapshot,
} from './clerk-organization.schema';
import { ClerkUserSnapshot, toClerkUserSnapshot } from './clerk-user.schema';
import { RequestWindow } from './request-window';

/**
 * The request layer of @clerk/backend's API classes (protected in its types): the same secret key,
 * Clerk-API-Version header, error parsing and deserialisation (a user list becomes User objects)
 * as every method of the SDK, for a query the SDK's methods cannot send.
 */
type SdkRequest = (options: { method: 'GET'; path: string; queryParams: Record<string, unknown> }) => Promise<unknown>;

/** Oldest first: objects created during a run land on later pages. */
const OLDEST_FIRST = '+created_at';

interface CallOptions {
  /** Lists and confirmations: they wait for their share of Clerk's rate limit. */
  bulk?: boolean;
  /** A 404 answers null instead of throwing. */
  nullIfNotFound?: boolean;
  /** The HTTP requests the SDK's method makes, each counted against the rate limit. */
  requests?: number;
}

/**
 * Clerk's Backend API, in our own types: snapshots out, ClerkApiError (or InvalidClerkPayload
 * for a user we cannot use) thrown. Nothing of the SDK's shapes leaves this folder.
 */
@Injectable()
export class ClerkService {
  private client?: ClerkClient;
  private readonly window: RequestWindow;

  constructor(
    private readonly config: AppConfigService,
    private readonly calls: ClerkCallObserver,
  ) {
    this.window = RequestWindow.forSecretKey(config.clerk.secretKey);
  }

  /**
   * The user as Clerk has it now, or null when Clerk has no such user. Lazy sync never waits;
   * `bulk` (an operator's command) waits for its share of the rate limit.
   */
  async getUser(userId: string, { bulk = false } = {}): Promise<ClerkUserSnapshot | null> {
    const user = await this.call('getUser', (api) => api.users.getUser(userId), { bulk, nullIfNotFound: true });
    return user && toClerkUserSnapshot(user.raw);
  }

  /** Whether Clerk still has the user (reconciliation's confirmation). */
  async userExists(userId: string): Promise<boolean> {
    const found = await this.call('getUser', (api) => api.users.getUser(userId), { bulk: true, nullIfNotFound: true });
    return found !== null;
  }

  /** Whether Clerk still has the organization. */
  async organizationExists(organizationId: string): Promise<boolean> {
    const found = await this.call('getOrganization', (api) => api.organizations.getOrganization({ organizationId }), {
      bulk: true,
      nullIfNotFound: true,
    });
    return found !== null;
  }

  /** Whether Clerk still has this membership of the user in the organization. */
  async membershipExists(membershipId: string, organizationId: string, userId: string): Promise<boolean> {
    const page = await this.call(
      'getOrganizationMembershipList',
      (api) => api.organizations.getOrganizationMembershipList({ organizationId, userId: [userId], limit: 10 }),
      { bulk: true, nullIfNotFound: true },
    );
    return page !== null && page.data.some((membership) => membership.id === membershipId);
  }

  /**
   * Users oldest first, the `limit` after the user `after` (from the first when undefined). Clerk
   * lists users by the `starting_after` cursor: deep offsets get slower and time out on a large
   * instance. @clerk/backend 3.25's getUserList has no parameter for the cursor (and asks for the
   * count with every page), so the page is asked for through the SDK's own request layer.
   */
  async getUserPageAfter(after: string | undefined, limit: number): Promise<ClerkPage<ClerkUserSnapshot>> {
    const users = await this.call(
      'getUserList',
      (api) => {
        const request = (api.users as unknown as { request: SdkRequest }).request;
        const queryParams = { limit, orderBy: OLDEST_FIRST, startingAfter: after };
        return request({ method: 'GET', path: '/users', queryParams }) as Promise<User[]>;
      },
      { bulk: true },
    );
    return toPage({ data: users }, (user) => toClerkUserSnapshot(user.raw));
  }

  /** How many users Clerk has: the listing's progress total. */
  async getUserCount(): Promise<number> {
    return this.call('getUserCount', (api) => api.users.getCount(), { bulk: true });
  }

  async getOrganizationPage(offset: number, limit: number): Promise<ClerkPage<ClerkOrganizationSnapshot>> {
    const page = await this.call(
      'getOrganizationList',
      (api) => api.organizations.getOrganizationList({ offset, limit, orderBy: OLDEST_FIRST }),
      { bulk: true },
    );
    return toPage(page, (organization) => toClerkOrganizationSnapshot(organization.raw));
  }

  /** Every membership of the instance, oldest first. */
  async getMembershipPage(offset: number, limit: number): Promise<ClerkPage<ClerkMembershipSnapshot>> {
    const page = await this.call(
      'getInstanceOrganizationMembershipList',
      (api) => api.organizations.getInstanceOrganizationMembershipList({ offset, limit, orderBy: OLDEST_FIRST }),
      { bulk: true },
    );
    return toPage(page, (membership) => toClerkMembershipSnapshot(membership.raw));
  }

  /** One Backend API call, counted against Clerk's rate limit; bulk calls wait for their share of it. */
  private async call<T>(what: string, request: (api: ClerkClient) => Promise<T>, options?: CallOptions): Promise<T>;
  private async call<T>(
    what: string,
    request: (api: ClerkClient) => Promise<T>,
    options: CallOptions & { nullIfNotFound: true },
  ): Promise<T | null>;
  private async call<T>(
    what: string,
    request: (api: ClerkClient) => Promise<T>,
    { bulk = false, nullIfNotFound = false, requests = 1 }: CallOptions = {},
  ): Promise<T | null> {
    const api = this.api();
    if (bulk) await this.window.acquireBulk(requests);
    else this.window.record(requests);
    const startedAt = performance.now();
    const took = () => (performance.now() - startedAt) / 1000;
    try {
      // A Clerk that accepts and never answers would hold the caller for Node's 300 s: unavailable.
      const timeoutMs = this.config.values.limits.clerkApiTimeoutMs;
      const answer = await withTimeout(
        request(api),
        timeoutMs,
        () => new ClerkApiError('unavailable', `${what}: no answer within ${timeoutMs / 1000} s`),
      );
      this.calls.countBackendApiCall(what, 200, took());
      return answer;
    } catch (error) {
      const failure = toClerkApiError(error, what);
      this.calls.countBackendApiCall(
        what,
        failure.status ?? (failure.failure === 'unavailable' ? 'network' : 'error'),
        took(),
      );
      if (nullIfNotFound && failure.failure === 'not_found') return null;
      throw failure;
    }
  }

  private api(): ClerkClient {
    const { secretKey, apiUrl } = this.config.clerk;
    this.client ??= createClerkClient({
      secretKey: this.config.require(secretKey, 'CLERK_SECRET_KEY', "Clerk's Backend API"),
      apiUrl,
    });
    return this.client;
  }
}
