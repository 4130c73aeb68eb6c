import { Injectable } from '@nestjs/common';
import { ClerkClient, createClerkClient } from '@clerk/backend';
import { AppConfigService } from '../config/config.service';
import { toClerkApiError } from './clerk-api.error';
import {
  ClerkMembershipSnapshot,
  ClerkOrganizationSnapshot,
  InvalidClerkObjectError,
  toClerkMembershipSnapshot,
  toClerkOrganizationSnapshot,
} from './clerk-organization.schema';
import { ClerkUserSnapshot, InvalidClerkUserError, toClerkUserSnapshot } from './clerk-user.schema';

/** One page of a Backend API list, in our own types. */
export interface ClerkPage<T> {
  items: T[];
  /** Why each unusable object of the page was left out. */
  invalid: string[];
  /** How many objects Clerk has in all. */
  totalCount: number;
}

/** Oldest first: objects created during a run land on later pages. */
const OLDEST_FIRST = '+created_at';

/**
 * Clerk's Backend API, in our own types: snapshots out, ClerkApiError (or InvalidClerkUserError
 * for a user we cannot use) thrown. Nothing of the SDK's shapes leaves this folder.
 */
@Injectable()
export class ClerkService {
  private client?: ClerkClient;

  constructor(private readonly config: AppConfigService) {}

  /** The user as Clerk has it now, or null when Clerk has no such user. */
  async getUser(userId: string): Promise<ClerkUserSnapshot | null> {
    const user = await this.call('getUser', (api) => api.users.getUser(userId), { nullIfNotFound: true });
    return user && toClerkUserSnapshot(user.raw);
  }

  /** The organization as Clerk has it now, or null when Clerk has no such organization. */
  async getOrganization(organizationId: string): Promise<ClerkOrganizationSnapshot | null> {
    const found = await this.call('getOrganization', (api) => api.organizations.getOrganization({ organizationId }), {
      nullIfNotFound: true,
    });
    return found && toClerkOrganizationSnapshot(found.raw);
  }

  async getUserPage(offset: number, limit: number): Promise<ClerkPage<ClerkUserSnapshot>> {
    const page = await this.call('getUserList', (api) =>
      api.users.getUserList({ offset, limit, orderBy: OLDEST_FIRST }),
    );
    return toPage(page, (user) => toClerkUserSnapshot(user.raw));
  }

  async getOrganizationPage(offset: number, limit: number): Promise<ClerkPage<ClerkOrganizationSnapshot>> {
    const page = await this.call('getOrganizationList', (api) =>
      api.organizations.getOrganizationList({ offset, limit, orderBy: OLDEST_FIRST }),
    );
    return toPage(page, (organization) => toClerkOrganizationSnapshot(organization.raw));
  }

  /** Every membership of the instance, oldest first. */
  async getMembershipPage(offset: number, limit: number): Promise<ClerkPage<ClerkMembershipSnapshot>> {
    const page = await this.call('getInstanceOrganizationMembershipList', (api) =>
      api.organizations.getInstanceOrganizationMembershipList({ offset, limit, orderBy: OLDEST_FIRST }),
    );
    return toPage(page, (membership) => toClerkMembershipSnapshot(membership.raw));
  }

  private async call<T>(what: string, request: (api: ClerkClient) => Promise<T>): Promise<T>;
  private async call<T>(
    what: string,
    request: (api: ClerkClient) => Promise<T>,
    options: { nullIfNotFound: true },
  ): Promise<T | null>;
  private async call<T>(
    what: string,
    request: (api: ClerkClient) => Promise<T>,
    { nullIfNotFound = false } = {},
  ): Promise<T | null> {
    try {
      return await request(this.api());
    } catch (error) {
      const failure = toClerkApiError(error, what);
      if (nullIfNotFound && failure.failure === 'not-found') return null;
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

function toPage<R, T>(page: { data: R[]; totalCount: number }, map: (raw: R) => T): ClerkPage<T> {
  const items: T[] = [];
  const invalid: string[] = [];
  for (const raw of page.data) {
    try {
      items.push(map(raw));
    } catch (error) {
      if (!(error instanceof InvalidClerkUserError || error instanceof InvalidClerkObjectError)) throw error;
      invalid.push(error.message);
    }
  }
  return { items, invalid, totalCount: page.totalCount };
}
