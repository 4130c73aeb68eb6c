import type { ClerkSession } from '../auth/session.decorator';
import type { User } from '../users/user.schema';
import type { FavoriteColorDto, MeDto } from './me.dto';

/** The session joined to the stored profile, as GET /me answers it. */
export function toMeDto(session: ClerkSession, user: User): MeDto {
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

/** The tutorial frontend's answer. */
export function toFavoriteColorDto(user: User): FavoriteColorDto {
  return { payload: user.favoriteColor!, message: `Your favorite color is ${user.favoriteColor}` };
}
