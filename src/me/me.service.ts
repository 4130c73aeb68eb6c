import { BadGatewayException, Injectable, NotFoundException } from '@nestjs/common';
import type { ClerkSession } from '../auth/session.decorator';
import { ClerkService } from '../clerk/clerk.service';
import { InvalidClerkUserError, toClerkUserSnapshot } from '../users/clerk-user.dto';
import type { FavoriteColor, User } from '../users/user.schema';
import { UsersService } from '../users/users.service';
import type { MeDto } from './me.dto';

export const LAZY_SYNC = 'lazy-sync';

@Injectable()
export class MeService {
  /** First calls for one user share one Backend API fetch. */
  private readonly lazySyncs = new Map<string, Promise<User>>();

  constructor(
    private readonly users: UsersService,
    private readonly clerk: ClerkService,
  ) {}

  async me(session: ClerkSession): Promise<MeDto> {
    return toMeDto(session, await this.profile(session.userId));
  }

  async setFavoriteColor(session: ClerkSession, favoriteColor: FavoriteColor): Promise<MeDto> {
    await this.profile(session.userId);
    const updated = await this.users.setFavoriteColor(session.userId, favoriteColor);
    if (!updated) throw new NotFoundException('User not found');
    return toMeDto(session, updated);
  }

  /** The stored profile; only a user never stored before costs a call to Clerk. */
  async profile(userId: string): Promise<User> {
    const stored = await this.users.findById(userId);
    if (stored) return live(stored);
    let pending = this.lazySyncs.get(userId);
    if (!pending) {
      pending = this.fetchAndStore(userId).finally(() => this.lazySyncs.delete(userId));
      this.lazySyncs.set(userId, pending);
    }
    return pending;
  }

  private async fetchAndStore(userId: string): Promise<User> {
    const json = await this.clerk.getUserJson(userId);
    if (json === null) throw new NotFoundException('User not found');
    try {
      await this.users.syncFromClerk(toClerkUserSnapshot(json), LAZY_SYNC);
    } catch (error) {
      if (error instanceof InvalidClerkUserError) throw new BadGatewayException('Clerk returned an unusable user');
      throw error;
    }
    // Read back: a webhook may have stored a newer version, or a deletion, meanwhile.
    const stored = await this.users.findById(userId);
    if (!stored) throw new NotFoundException('User not found');
    return live(stored);
  }
}

function live(user: User): User {
  if (user.deletedAt) throw new NotFoundException('User not found');
  return user;
}

function toMeDto(session: ClerkSession, user: User): MeDto {
  return {
    userId: session.userId,
    sessionId: session.sessionId,
    orgId: session.orgId,
    profile: {
      id: user._id,
      email: user.email ?? null,
      firstName: user.firstName ?? null,
      lastName: user.lastName ?? null,
      username: user.username ?? null,
      imageUrl: user.imageUrl ?? null,
      favoriteColor: user.favoriteColor!,
      createdAt: new Date(user.createdAt).toISOString(),
      updatedAt: new Date(user.updatedAt).toISOString(),
    },
  };
}
