import { BadGatewayException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { ClerkSession } from '../auth/session.decorator';
import { ClerkApiError } from '../clerk/clerk-api.error';
import { InvalidClerkUserError } from '../clerk/clerk-user.schema';
import { ClerkService } from '../clerk/clerk.service';
import type { FavoriteColor, User } from '../users/user.schema';
import { UsersService } from '../users/users.service';
import type { FavoriteColorDto, MeDto } from './me.dto';
import { toFavoriteColorDto, toMeDto } from './me.mapper';

export const LAZY_SYNC = 'lazy-sync';

@Injectable()
export class MeService {
  /** First calls for one user share one Backend API fetch. */
  private readonly lazySyncs = new Map<string, Promise<User>>();

  constructor(
    private readonly users: UsersService,
    private readonly clerk: ClerkService,
  ) {}

  async getMe(session: ClerkSession): Promise<MeDto> {
    return toMeDto(session, await this.findLiveOrFail(session.userId));
  }

  async getFavoriteColor(session: ClerkSession): Promise<FavoriteColorDto> {
    return toFavoriteColorDto(await this.findLiveOrFail(session.userId));
  }

  async setFavoriteColor(session: ClerkSession, favoriteColor: FavoriteColor): Promise<MeDto> {
    await this.findLiveOrFail(session.userId);
    const updated = await this.users.setFavoriteColor(session.userId, favoriteColor);
    if (!updated) throw new NotFoundException('User not found');
    return toMeDto(session, updated);
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
    try {
      const user = await this.clerk.getUser(userId);
      if (!user) throw new NotFoundException('User not found');
      await this.users.syncFromClerk(user, LAZY_SYNC);
    } catch (error) {
      if (error instanceof InvalidClerkUserError) throw new BadGatewayException('Clerk returned an unusable user');
      if (error instanceof ClerkApiError)
        throw new ServiceUnavailableException('Clerk could not be reached to fetch the user');
      throw error;
    }
    // Read back: a webhook may have stored a newer version, or a deletion, meanwhile.
    const stored = await this.users.findById(userId);
    if (!stored) throw new NotFoundException('User not found');
    return liveOrFail(stored);
  }
}

function liveOrFail(user: User): User {
  if (user.deletedAt) throw new NotFoundException('User not found');
  return user;
}
