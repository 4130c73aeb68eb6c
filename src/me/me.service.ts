import { BadGatewayException, BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import type { ClerkSession } from '../auth/clerk-session';
import { ClerkApiError, ClerkFailure } from '../clerk/clerk-api.error';
import { InvalidClerkPayload } from '../clerk/invalid-clerk-payload.error';
import { ClerkService } from '../clerk/clerk.service';
import { cursorKey, SignedCursors } from '../common/signed-cursors';
import { AppConfigService } from '../config/config.service';
import { RetryLaterException } from '../http/retry-later.exception';
import type { FavoriteColor, User } from '../users/user.schema';
import { MetricsService } from '../metrics/metrics.service';
import {
  OrganizationPosition,
  UserOrganizationPage,
  UserOrganizationsService,
} from '../organizations/user-organizations.service';
import { UsersRepository } from '../users/users.repository';
import type { FavoriteColorDto, MeDto, MeOrganizationPageDto } from './me.dto';
import { toFavoriteColorDto, toMeDto, toMeOrganizationDto } from './me.mapper';

const LAZY_SYNC = 'lazy-sync';
/** Organizations inline in /me, and per page of /me/organizations. */
const ORGANIZATIONS_PER_PAGE = 100;
/** A cursor's position in the user's organizations: the last of its page, by (name, id). */
const OrganizationCursor = z.strictObject({
  n: z.string().max(1_000),
  i: z.string().regex(/^org_[A-Za-z0-9_]{1,60}$/),
});

/** What the operator should look at, by failure. */
const OPERATOR_HINTS: Record<Exclude<ClerkFailure, 'not_found'>, string> = {
  refused: 'Clerk refused CLERK_SECRET_KEY: check that it is the secret key of this Clerk instance',
  unusable: "Clerk's answer could not be used: check CLERK_API_URL points at Clerk's Backend API",
  throttled: "Clerk's Backend API rate limit was reached: lazy sync resumes when it resets",
  unavailable: "Clerk's Backend API could not be reached or failed: check the network path and Clerk's status",
};

@Injectable()
export class MeService {
  private readonly logger = new Logger(MeService.name);
  /** First calls for one user share one Backend API fetch. */
  private readonly lazySyncs = new Map<string, Promise<User>>();
  private readonly cursors: SignedCursors;

  constructor(
    private readonly users: UsersRepository,
    private readonly clerk: ClerkService,
    private readonly organizations: UserOrganizationsService,
    private readonly metrics: MetricsService,
    config: AppConfigService,
  ) {
    this.cursors = new SignedCursors(cursorKey([config.clerk.secretKey, ...config.clerk.webhookSigningSecrets]));
  }

  async getMe(session: ClerkSession): Promise<MeDto> {
    const [user, organizations] = await Promise.all([
      this.findLiveOrFail(session.userId),
      this.firstOrganizations(session.userId),
    ]);
    return toMeDto(session, user, organizations.page.organizations, organizations.next);
  }

  /** The user's organizations after `/me`'s `organizationsNext` (or a page's `next`). */
  async listOrganizations(session: ClerkSession, after: string | undefined): Promise<MeOrganizationPageDto> {
    const position = after === undefined ? undefined : this.readCursor(session.userId, after);
    await this.findLiveOrFail(session.userId);
    const page = await this.organizations.pageUserOrganizations(session.userId, position, ORGANIZATIONS_PER_PAGE);
    return { data: page.organizations.map(toMeOrganizationDto), next: this.nextCursor(session.userId, page) };
  }

  async getFavoriteColor(session: ClerkSession): Promise<FavoriteColorDto> {
    return toFavoriteColorDto(await this.findLiveOrFail(session.userId));
  }

  /** The write goes first: only a user it did not find (never stored, or deleted) costs more. */
  async setFavoriteColor(session: ClerkSession, favoriteColor: FavoriteColor): Promise<MeDto> {
    const [updated, organizations] = await Promise.all([
      this.users.setFavoriteColor(session.userId, favoriteColor),
      this.firstOrganizations(session.userId),
    ]);
    const user = updated ?? (await this.syncThenSetColor(session.userId, favoriteColor));
    return toMeDto(session, user, organizations.page.organizations, organizations.next);
  }

  /** /me's organizations: the first page, with the cursor of the next. */
  private async firstOrganizations(userId: string): Promise<{ page: UserOrganizationPage; next: string | null }> {
    const page = await this.organizations.pageUserOrganizations(userId, undefined, ORGANIZATIONS_PER_PAGE);
    return { page, next: this.nextCursor(userId, page) };
  }

  private nextCursor(userId: string, { last }: UserOrganizationPage): string | null {
    return last ? this.cursors.write(`me-organizations:${userId}`, { n: last.name, i: last.id }) : null;
  }

  private readCursor(userId: string, cursor: string): OrganizationPosition {
    const position = this.cursors.read(`me-organizations:${userId}`, cursor, OrganizationCursor);
    if (!position) throw new BadRequestException('after must be a cursor from /me or a page before, as it came');
    return { name: position.n, id: position.i };
  }

  /** A user the write did not find: synced from Clerk if never stored; a deleted one fails as for GET /me. */
  private async syncThenSetColor(userId: string, favoriteColor: FavoriteColor): Promise<User> {
    await this.findLiveOrFail(userId);
    const updated = await this.users.setFavoriteColor(userId, favoriteColor);
    if (!updated) throw new NotFoundException('User not found');
    return updated;
  }

  /** The stored live profile; only a user never stored before costs a call to Clerk. */
  private async findLiveOrFail(userId: string): Promise<User> {
    const stored = await this.users.findById(userId);
    if (stored) return liveOrFail(stored);
    let pending = this.lazySyncs.get(userId);
    if (!pending) {
      pending = this.syncFromClerk(userId).finally(() => this.lazySyncs.delete(userId));
      this.lazySyncs.set(userId, pending);
    }
    return pending;
  }

  private async syncFromClerk(userId: string): Promise<User> {
    let user;
    try {
      user = await this.clerk.getUser(userId);
    } catch (error) {
      throw this.lazySyncFailure(userId, error);
    }
    if (!user) {
      this.metrics.countLazySync('not_found');
      throw new NotFoundException('User not found');
    }
    await this.users.syncVersion(user, LAZY_SYNC);
    this.metrics.countLazySync('synced');
    // Read back: a webhook may have stored a newer version, or a deletion, meanwhile.
    const stored = await this.users.findById(userId);
    if (!stored) throw new NotFoundException('User not found');
    return liveOrFail(stored);
  }

  /**
   * A failed lazy sync, as the client and the operator need it: 502 when Clerk refuses our key or
   * returns a user we cannot use, 503 (with Retry-After when Clerk gave one) when Clerk is
   * unreachable, failing or throttling. Logged once, with Clerk's trace id, never with the key.
   */
  private lazySyncFailure(userId: string, error: unknown): unknown {
    if (error instanceof InvalidClerkPayload) {
      this.metrics.countLazySync('unusable');
      this.logger.error({ userId, failure: 'unusable', cause: error.message }, OPERATOR_HINTS.unusable);
      return new BadGatewayException('Clerk returned a user the service cannot use');
    }
    if (!(error instanceof ClerkApiError) || error.failure === 'not_found') return error;
    const { failure, status, traceId, retryAfter, message } = error;
    this.metrics.countLazySync(failure);
    const entry = { userId, failure, status, traceId, retryAfter, cause: message };
    if (!error.transient) {
      this.logger.error(entry, OPERATOR_HINTS[failure]);
      const refused = failure === 'refused';
      return new BadGatewayException(
        refused ? "Clerk refused the service's credentials" : 'Clerk returned an answer the service cannot use',
      );
    }
    this.logger.warn(entry, OPERATOR_HINTS[failure]);
    return failure === 'throttled'
      ? new RetryLaterException("Clerk's rate limit was reached; try again later", retryAfter)
      : new RetryLaterException('Clerk could not be reached to fetch the user');
  }
}

function liveOrFail(user: User): User {
  if (user.deletedAt) throw new NotFoundException('User not found');
  return user;
}
