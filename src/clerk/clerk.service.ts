import { Injectable } from '@nestjs/common';
import { ClerkClient, createClerkClient } from '@clerk/backend';
import { AppConfigService } from '../config/config.service';
import { toClerkApiError } from './clerk-api.error';
import { ClerkUserSnapshot, InvalidClerkUserError, toClerkUserSnapshot } from './clerk-user.schema';

export interface ClerkUserPage {
  users: ClerkUserSnapshot[];
  /** Why each unusable user of the page was left out. */
  invalid: string[];
  /** How many users Clerk has in all. */
  totalCount: number;
}

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
    let raw: unknown;
    try {
      raw = (await this.api().users.getUser(userId)).raw;
    } catch (error) {
      const failure = toClerkApiError(error, 'getUser');
      if (failure.failure === 'not-found') return null;
      throw failure;
    }
    return toClerkUserSnapshot(raw);
  }

  /** One page of users, oldest first so that new sign-ups during a run land on later pages. */
  async getUserPage(offset: number, limit: number): Promise<ClerkUserPage> {
    let page;
    try {
      page = await this.api().users.getUserList({ offset, limit, orderBy: '+created_at' });
    } catch (error) {
      throw toClerkApiError(error, 'getUserList');
    }
    const users: ClerkUserSnapshot[] = [];
    const invalid: string[] = [];
    for (const user of page.data) {
      try {
        users.push(toClerkUserSnapshot(user.raw));
      } catch (error) {
        if (!(error instanceof InvalidClerkUserError)) throw error;
        invalid.push(error.message);
      }
    }
    return { users, invalid, totalCount: page.totalCount };
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
