import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ClerkClient, createClerkClient } from '@clerk/backend';
import { AppConfigService } from '../config/config.service';

/** A Backend API failure; `status` is undefined when Clerk could not be reached at all. */
export interface ClerkApiFailure {
  status?: number;
  /** Seconds, from a 429's Retry-After header. */
  retryAfter?: number;
}

export const clerkApiFailure = (error: unknown): ClerkApiFailure => {
  const { status, retryAfter } = (error ?? {}) as ClerkApiFailure;
  return { status, retryAfter };
};

/** Clerk's Backend API, for the users this service has not seen yet. */
@Injectable()
export class ClerkService {
  private client?: ClerkClient;

  constructor(private readonly config: AppConfigService) {}

  /** The user's JSON as Clerk has it, or null when Clerk has no such user. */
  async getUserJson(userId: string): Promise<unknown> {
    try {
      const user = await this.api().users.getUser(userId);
      return user.raw;
    } catch (error) {
      if (clerkApiFailure(error).status === 404) return null;
      throw new ServiceUnavailableException('Clerk could not be reached to fetch the user');
    }
  }

  /** One page of users, oldest first so that new sign-ups during a run land on later pages. */
  async getUserPage(offset: number, limit: number): Promise<{ users: unknown[]; totalCount: number }> {
    const { data, totalCount } = await this.api().users.getUserList({ offset, limit, orderBy: '+created_at' });
    return { users: data.map((user) => user.raw), totalCount };
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
