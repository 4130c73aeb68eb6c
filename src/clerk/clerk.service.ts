import { Injectable } from '@nestjs/common';
import { AppConfigService } from '../config/config.service';
import { BackendGet, backendGet } from './backend-api';
import { ClerkBudget } from './clerk-budget.service';
import { toClerkApiError } from './clerk-api.error';
import { ClerkCallObserver } from './clerk-call-observer';
import { ClerkPage, toPage } from './clerk-page';
import {
  ClerkMembershipSnapshot,
  ClerkOrganizationSnapshot,
  toClerkMembershipSnapshot,
  toClerkOrganizationSnapshot,
} from './clerk-organization.schema';
import { ClerkUserSnapshot, toClerkUserSnapshot } from './clerk-user.schema';

/** Oldest first: objects created during a run land on later pages. */
const OLDEST_FIRST = '+created_at';

interface CallOptions {
  /** Lists and confirmations: they wait for their share of Clerk's rate limit. */
  bulk?: boolean;
  /** A 404 answers null instead of throwing. */
  nullIfNotFound?: boolean;
  /** The HTTP requests the call makes, each counted against the rate limit. */
  requests?: number;
}

type Json = Record<string, unknown>;
/** A list as Clerk answers it: organizations and memberships as `{data, total_count}`. */
type RawList = { data: Json[]; total_count?: number };

/**
 * Clerk's Backend API, in our own types: snapshots out, ClerkApiError (or InvalidClerkPayload
 * for a user we cannot use) thrown. Nothing of the SDK's shapes leaves this folder.
 */
@Injectable()
export class ClerkService {
  private get?: BackendGet;

  constructor(
    private readonly config: AppConfigService,
    private readonly calls: ClerkCallObserver,
    private readonly budget: ClerkBudget,
  ) {}

  /**
   * The user as Clerk has it now, or null when Clerk has no such user. Lazy sync never waits;
   * `bulk` (an operator's command) waits for its share of the rate limit.
   */
  async getUser(userId: string, { bulk = false } = {}): Promise<ClerkUserSnapshot | null> {
    const user = await this.call('getUser', (get) => get('getUser', `/users/${encodeURIComponent(userId)}`), {
      bulk,
      nullIfNotFound: true,
    });
    return user === null ? null : toClerkUserSnapshot(user);
  }

  /** Whether Clerk still has the user (reconciliation's confirmation). */
  async userExists(userId: string): Promise<boolean> {
    const found = await this.call('getUser', (get) => get('getUser', `/users/${encodeURIComponent(userId)}`), {
      bulk: true,
      nullIfNotFound: true,
    });
    return found !== null;
  }

  /** Whether Clerk still has the organization. */
  async organizationExists(organizationId: string): Promise<boolean> {
    const found = await this.call(
      'getOrganization',
      (get) => get('getOrganization', `/organizations/${encodeURIComponent(organizationId)}`),
      { bulk: true, nullIfNotFound: true },
    );
    return found !== null;
  }

  /** Whether Clerk still has this membership of the user in the organization. */
  async membershipExists(membershipId: string, organizationId: string, userId: string): Promise<boolean> {
    const page = await this.call(
      'getOrganizationMembershipList',
      (get) =>
        get('getOrganizationMembershipList', `/organizations/${encodeURIComponent(organizationId)}/memberships`, {
          user_id: [userId],
          limit: 10,
        }) as Promise<RawList>,
      { bulk: true, nullIfNotFound: true },
    );
    return page !== null && page.data.some((membership) => membership.id === membershipId);
  }

  /**
   * Users oldest first, the `limit` after the user `after` (from the first when undefined). Clerk
   * lists users by the `starting_after` cursor: deep offsets get slower and time out on a large
   * instance (the SDK's getUserList has no parameter for the cursor, and asks for the count with
   * every page).
   */
  async getUserPageAfter(after: string | undefined, limit: number): Promise<ClerkPage<ClerkUserSnapshot>> {
    const users = await this.call(
      'getUserList',
      (get) =>
        get('getUserList', '/users', { limit, order_by: OLDEST_FIRST, starting_after: after }) as Promise<Json[]>,
      { bulk: true },
    );
    return toPage({ data: Array.isArray(users) ? users : [] }, toClerkUserSnapshot);
  }

  /** How many users Clerk has: the listing's progress total. */
  async getUserCount(): Promise<number> {
    const count = await this.call('getUserCount', (get) => get('getUserCount', '/users/count') as Promise<Json>, {
      bulk: true,
    });
    return Number(count.total_count);
  }

  async getOrganizationPage(offset: number, limit: number): Promise<ClerkPage<ClerkOrganizationSnapshot>> {
    const page = await this.call(
      'getOrganizationList',
      (get) =>
        get('getOrganizationList', '/organizations', { offset, limit, order_by: OLDEST_FIRST }) as Promise<RawList>,
      { bulk: true },
    );
    return toPage(ownPage(page), toClerkOrganizationSnapshot);
  }

  /** Every membership of the instance, oldest first. */
  async getMembershipPage(offset: number, limit: number): Promise<ClerkPage<ClerkMembershipSnapshot>> {
    const page = await this.call(
      'getInstanceOrganizationMembershipList',
      (get) =>
        get('getInstanceOrganizationMembershipList', '/organization_memberships', {
          offset,
          limit,
          order_by: OLDEST_FIRST,
        }) as Promise<RawList>,
      { bulk: true },
    );
    return toPage(ownPage(page), toClerkMembershipSnapshot);
  }

  /** One Backend API call, counted against Clerk's rate limit; bulk calls wait for their share of it. */
  private async call<T>(what: string, request: (get: BackendGet) => Promise<T>, options?: CallOptions): Promise<T>;
  private async call<T>(
    what: string,
    request: (get: BackendGet) => Promise<T>,
    options: CallOptions & { nullIfNotFound: true },
  ): Promise<T | null>;
  private async call<T>(
    what: string,
    request: (get: BackendGet) => Promise<T>,
    { bulk = false, nullIfNotFound = false, requests = 1 }: CallOptions = {},
  ): Promise<T | null> {
    const get = this.backendGet();
    if (bulk) await this.budget.acquireBulk(requests);
    else this.budget.record(requests);
    const startedAt = performance.now();
    const took = () => (performance.now() - startedAt) / 1000;
    try {
      // Each request ends at CLERK_API_TIMEOUT_SECONDS, its connection with it (see backendGet).
      const answer = await request(get);
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

  private backendGet(): BackendGet {
    const { secretKey, apiUrl } = this.config.clerk;
    this.get ??= backendGet({
      secretKey: this.config.require(secretKey, 'CLERK_SECRET_KEY', "Clerk's Backend API"),
      apiUrl,
      timeoutMs: this.config.values.limits.clerkApiTimeoutMs,
    });
    return this.get;
  }
}

/** A list answer as toPage reads it: an answer without its `data` array lists nothing. */
const ownPage = ({ data, total_count }: RawList) => ({
  data: Array.isArray(data) ? data : [],
  totalCount: typeof total_count === 'number' ? total_count : undefined,
});
